#!/usr/bin/env bash
# `abort` and `retry rollout|experiment` against nova-sim: argo's merge patches (status
# subresource first for rollouts), the objects afterwards, the exact requests, several names
# where one does not exist, -o json, --dry-run, a 403, aliases, `retry` alone, and a Rollout CRD
# without the status subresource (404, then the same patch on the main resource).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/write_rollout_helpers.bash"

start_sim --load "nova=$FIXTURES/write-rollouts.yaml"
ABORT="$MERGE {\"status\":{\"abort\":true}}"
RETRY="$MERGE {\"status\":{\"abort\":false}}"

# --- abort ---------------------------------------------------------------------------------------
nr 0 abort held stepping
expect_eq "$OUT" "rollout 'held' aborted
rollout 'stepping' aborted"
expect_eq "$(requests)" "PATCH $NS/rollouts/held/status 200 $ABORT
PATCH $NS/rollouts/stepping/status 200 $ABORT" "abort requests"
expect_eq "$(field rollouts held '{.status.abort}') $(field rollouts stepping '{.status.abort}')" \
    "true true" "aborted"
expect_eq "$(field rollouts held '{.status.currentStepIndex}')" 1 "held's step untouched"

# --- retry rollout ---------------------------------------------------------------------------------
nr 0 retry rollout held stepping
expect_eq "$OUT" "rollout 'held' retried
rollout 'stepping' retried"
expect_eq "$(requests)" "PATCH $NS/rollouts/held/status 200 $RETRY
PATCH $NS/rollouts/stepping/status 200 $RETRY" "retry requests"
expect_eq "$(field rollouts held '{.status.abort}') $(field rollouts stepping '{.status.abort}')" \
    "false false" "retried"
expect_eq "$(field rollouts held '{.status.pauseConditions[0].reason}')" CanaryPauseStep \
    "held's pause conditions untouched"
for alias in ro rollouts; do
    nr 0 retry "$alias" held
    expect_eq "$OUT" "rollout 'held' retried" "retry $alias"
done

# --- Several names, the second missing: the first done, the error names the second, exit 1 ----
nr 1 abort held nope stepping
expect_eq "$(printf '%s\n' "$OUT" | head -n 1)" "rollout 'held' aborted" "first line"
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 2 "lines"
expect_contains "$OUT" 'error: ' "second line"
expect_contains "$OUT" 'rollouts.argoproj.io "nope" not found' "second line"
expect_eq "$(requests)" "PATCH $NS/rollouts/held/status 200 $ABORT
PATCH $NS/rollouts/nope/status 404 $ABORT
PATCH $NS/rollouts/nope 404 $ABORT" "requests stop at the missing name"
expect_eq "$(field rollouts held '{.status.abort}') $(field rollouts stepping '{.status.abort}')" \
    "true false" "held aborted, stepping not"

nr 1 retry rollout held nope stepping
expect_eq "$(printf '%s\n' "$OUT" | head -n 1)" "rollout 'held' retried" "first line"
expect_contains "$OUT" 'rollouts.argoproj.io "nope" not found'
expect_eq "$(requests | wc -l)" 3 "requests stop at the missing name"
expect_eq "$(field rollouts held '{.status.abort}')" false "held retried"

# --- retry experiment: the whole status goes -------------------------------------------------------
nr 0 retry experiment exp-done
expect_eq "$OUT" "experiment 'exp-done' retried"
expect_eq "$(requests)" "PATCH $NS/experiments/exp-done 200 $MERGE {\"status\":null}" \
    "retry experiment requests"
expect_eq "$(field experiments exp-done '{.status}')" "" "exp-done's status"
for alias in exp experiments; do
    nr 0 retry "$alias" exp-done
    expect_eq "$OUT" "experiment 'exp-done' retried" "retry $alias"
done
nr 1 retry experiment exp-done missing
expect_eq "$(printf '%s\n' "$OUT" | head -n 1)" "experiment 'exp-done' retried" "first line"
expect_contains "$OUT" 'experiments.argoproj.io "missing" not found'
expect_eq "$(requests | cut -d' ' -f1-3)" "PATCH $NS/experiments/exp-done 200
PATCH $NS/experiments/missing 404" "requests"

# --- -o json: the objects as the server returned them ----------------------------------------------
nr 0 abort stepping -o json
expect_eq "$(json_at kind) $(json_at metadata.name) $(json_at status.abort)" \
    "Rollout stepping true" "printed object"
nr 0 retry rollout held stepping -o json
expect_eq "$(json_at kind) $(json_at items.0.metadata.name) $(json_at items.1.metadata.name)" \
    "List held stepping" "printed list"
expect_eq "$(json_at items.1.status.abort)" false "printed abort"
nr 0 retry exp exp-done -o json
expect_eq "$(json_at kind) $(json_at metadata.name)" "Experiment exp-done" "printed experiment"

# --- --dry-run: printed, not sent; each object read first, so that a missing one fails as the ---
# --- patch would; one discovery for all tells where the patches would go --------------------------
nr 0 abort blue-green held --dry-run
expect_eq "$OUT" "PATCH $(server)$NS/rollouts/blue-green/status
Content-Type: $MERGE

{\"status\":{\"abort\":true}}

rollout 'blue-green' aborted (dry run)
PATCH $(server)$NS/rollouts/held/status
Content-Type: $MERGE

{\"status\":{\"abort\":true}}

rollout 'held' aborted (dry run)"
expect_eq "$(requests)" "GET $NS/rollouts/blue-green 200
GET /apis/argoproj.io/v1alpha1 200
GET $NS/rollouts/held 200" "requests under --dry-run"
expect_eq "$(field rollouts blue-green '{.status.abort}')" "" "blue-green not aborted"
nr 0 retry rollout held --dry-run
expect_contains "$OUT" "rollout 'held' retried (dry run)"
expect_eq "$(requests)" "GET $NS/rollouts/held 200
GET /apis/argoproj.io/v1alpha1 200" "requests under --dry-run"
nr 0 retry experiment exp-done --dry-run
expect_eq "$OUT" "PATCH $(server)$NS/experiments/exp-done
Content-Type: $MERGE

{\"status\":null}

experiment 'exp-done' retried (dry run)"
expect_eq "$(requests)" "GET $NS/experiments/exp-done 200" "requests under --dry-run"

# A missing object fails under --dry-run as it does without: the first printed, exit 1.
nr 1 abort held nope --dry-run
expect_eq "$(printf '%s\n' "$OUT" | sed -n '6p')" "rollout 'held' aborted (dry run)" "first done"
expect_eq "$(printf '%s\n' "$OUT" | tail -n 1)" \
    'error: from server (NotFound): rollouts.argoproj.io "nope" not found' "second fails"
expect_eq "$(requests)" "GET $NS/rollouts/held 200
GET /apis/argoproj.io/v1alpha1 200
GET $NS/rollouts/nope 404" "requests under --dry-run"
expect_eq "$(field rollouts held '{.status.abort}')" false "held not aborted"
nr 1 retry rollout nope --dry-run
expect_eq "$OUT" 'error: from server (NotFound): rollouts.argoproj.io "nope" not found'
expect_eq "$(requests)" "GET $NS/rollouts/nope 404" "requests under --dry-run"
nr 1 retry experiment nope --dry-run
expect_eq "$OUT" 'error: from server (NotFound): experiments.argoproj.io "nope" not found'
expect_eq "$(requests)" "GET $NS/experiments/nope 404" "requests under --dry-run"
# A 403 on the read says what to ask for.
sim_ctl fail nova 1 403 --method GET >/dev/null
nr 1 abort blue-green --dry-run
expect_forbidden get rollouts blue-green
# A 403 on discovery says it is the API's resource list (it said "you may not list  cluster-wide;
# ask an admin for "list" on """).
for command in abort "retry rollout"; do
    sim_ctl fail nova 1 403 --method GET --path-suffix /v1alpha1 >/dev/null
    nr 1 $command held --dry-run
    expect_eq "$OUT" "error: forbidden: you may not read the resource list of API \"argoproj.io/v1alpha1\" (GET /apis/argoproj.io/v1alpha1), which tells whether \"rollouts/status\" is served; ask an admin for \"get\" on the non-resource URL \"/apis/argoproj.io/v1alpha1\" (the system:discovery role grants it) (server: forbidden: User \"admin\" cannot get path \"/apis/argoproj.io/v1alpha1\")"
    expect_eq "$(requests | cut -d' ' -f1-3)" "GET $NS/rollouts/held 200
GET /apis/argoproj.io/v1alpha1 403" "requests of $command"
done
# kubectl's --dry-run=client and =server habits: the flag takes no value.
for value in client server; do
    nr 2 abort held --dry-run=$value
    expect_eq "$OUT" "error: --dry-run takes no value (got \"$value\"): it prints the requests and sends nothing (see '$(basename "$NR") abort --help')"
done
nr 2 retry rollout held --dry-run=client
expect_contains "$OUT" "error: --dry-run takes no value"
expect_eq "$(requests)" "" "requests of usage errors"

# --- 403: one line naming the verb, the resource and the namespace ---------------------------------
sim_ctl fail nova 1 403 --method PATCH >/dev/null
nr 1 abort blue-green
expect_forbidden patch rollouts/status blue-green
sim_ctl fail nova 1 403 --method PATCH >/dev/null
nr 1 retry rollout held
expect_forbidden patch rollouts/status held
sim_ctl fail nova 1 403 --method PATCH >/dev/null
nr 1 retry experiment exp-done
expect_forbidden patch experiments exp-done

# --- Usage: `retry` alone shows its help; wrong words are usage errors -----------------------------
nr 0 retry
expect_contains "$OUT" "Retry a rollout or experiment"
expect_contains "$OUT" "experiment, exp, experiments"
nr 2 retry nothing held
nr 2 abort
nr 2 retry rollout
nr 2 abort held --dry-run -o json
expect_eq "$(requests)" "" "requests of usage errors"

# --- A Rollout CRD without the status subresource ------------------------------------------------
stop_sim
start_sim --load "nova=$FIXTURES/write-rollouts-crd-no-status.yaml" \
    --load "nova=$FIXTURES/write-rollouts.yaml"

nr 0 abort held stepping
expect_eq "$OUT" "rollout 'held' aborted
rollout 'stepping' aborted"
expect_eq "$(requests)" "PATCH $NS/rollouts/held/status 404 $ABORT
PATCH $NS/rollouts/held 200 $ABORT
PATCH $NS/rollouts/stepping/status 404 $ABORT
PATCH $NS/rollouts/stepping 200 $ABORT" "abort requests with the fallback"
expect_eq "$(field rollouts held '{.status.abort}') $(field rollouts stepping '{.status.abort}')" \
    "true true" "aborted through the main resource"

nr 0 retry rollout held -o json
expect_eq "$(requests)" "PATCH $NS/rollouts/held/status 404 $RETRY
PATCH $NS/rollouts/held 200 $RETRY" "retry requests with the fallback"
expect_eq "$(json_at status.abort)" false "printed abort"
expect_eq "$(field rollouts held '{.status.abort}')" false "retried through the main resource"

nr 0 abort held --dry-run
expect_eq "$OUT" "PATCH $(server)$NS/rollouts/held
Content-Type: $MERGE

{\"status\":{\"abort\":true}}

rollout 'held' aborted (dry run)"
expect_eq "$(requests)" "GET $NS/rollouts/held 200
GET /apis/argoproj.io/v1alpha1 200" "requests under --dry-run"
expect_eq "$(field rollouts held '{.status.abort}')" false "held not aborted"
