#!/usr/bin/env bash
# Object names and namespaces go into URLs: every command that changes something checks each
# name given on the command line (all of them, before the first request) and refuses one that
# would address something else ("", "demo/status", "demo?dryRun=All", "demo#x", ".."): exit 2,
# one line naming the argument, no request. A name read from the server (spec.workloadRef.name)
# gets the same check: exit 1, naming where it came from, nothing written.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/write_rollout_helpers.bash"

start_sim --load "nova=$FIXTURES/write-rollouts.yaml"

# refused KIND NAME CMD...: exit 2, the one line naming the bad argument, no request at all.
refused() {
    local kind=$1 name=$2
    shift 2
    nr 2 "$@"
    expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines for $*"
    expect_contains "$OUT" "error: invalid $kind name \"$name\": " "$*"
    expect_eq "$(requests)" "" "requests of $*"
}

for name in "" . .. demo/status 'demo?dryRun=All' 'demo#x' demo%2Fstatus Demo; do
    refused rollout "$name" promote "$name"
    refused rollout "$name" promote --full "$name"
    refused rollout "$name" pause "$name"
    refused rollout "$name" resume "$name"
    refused rollout "$name" restart "$name"
    refused rollout "$name" undo "$name"
    refused rollout "$name" set image "$name" 'held=nginx:1'
    refused rollout "$name" retry rollout "$name"
    refused experiment "$name" retry experiment "$name"
    refused analysisrun "$name" terminate analysisrun "$name"
    refused experiment "$name" terminate experiment "$name"
    refused rollout "$name" pause "$name" --dry-run
done
expect_eq "$(field rollouts held '{.spec.paused}')" "" "held untouched"

# Several names: a bad one anywhere stops the command before the first write (argo aborted the
# good ones, then failed on the bad one).
refused rollout "" abort held ""
refused rollout "held/status" abort stepping blue-green held/status
refused rollout "demo?dryRun=All" pause held 'demo?dryRun=All'
refused experiment "" retry experiment exp-done ""
expect_eq "$(field rollouts held '{.status.abort}') $(field rollouts stepping '{.status.abort}')" \
    " " "nothing aborted"

# The messages, in full.
nr 2 pause demo/status
expect_eq "$OUT" "error: invalid rollout name \"demo/status\": may not contain '/'"
nr 2 promote ""
expect_eq "$OUT" 'error: invalid rollout name "": must not be empty'
nr 2 abort held 'demo?dryRun=All'
expect_eq "$OUT" "error: invalid rollout name \"demo?dryRun=All\": must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"

# Namespaces: a DNS-1123 label.
for namespace in Team team.a team/x 'team?x' ..; do
    nr 2 -n "$namespace" pause held
    expect_contains "$OUT" "error: invalid namespace \"$namespace\": " "-n $namespace"
    expect_eq "$(requests)" "" "requests with -n $namespace"
done

# --- A name from the server: spec.workloadRef.name -------------------------------------------
kubectl apply -f - >/dev/null <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: odd-ref, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: odd-ref}}
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: "web/scale"}
  strategy: {canary: {steps: [{setWeight: 20}]}}
YAML
sim_ctl requests nova --clear >/dev/null
for command in "set image odd-ref web=nginx:1" "undo odd-ref" "undo odd-ref --dry-run"; do
    # shellcheck disable=SC2086 # the words of the command
    nr 1 $command
    expect_eq "$OUT" "error: rollout \"odd-ref\": invalid spec.workloadRef.name \"web/scale\": may not contain '/'" \
        "$command"
    expect_eq "$(requests)" "GET $NS/rollouts/odd-ref 200" "requests of $command: the rollout only"
done
