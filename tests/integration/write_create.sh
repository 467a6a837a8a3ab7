#!/usr/bin/env bash
# `create -f` and `create analysisrun` against nova-sim: the five kinds from YAML and JSON (the
# exact POSTs, the objects checked with kubectl), a ClusterAnalysisTemplate at its cluster-scoped
# URL, every file checked before the first POST and every object by the server (dryRun=All)
# before the first create, AlreadyExists and 403 naming the object with nothing created, a
# refusal after the dry run naming what stays created, generateName, --dry-run, -o json, -w on a
# Rollout, an Experiment and an AnalysisRun, hostile files (cyclic aliases, deep nesting,
# duplicate JSON keys), nova-sim's fieldValidation, and runs made from templates with arguments
# and labels.
source "$(dirname "$0")/lib.sh"

DATA=$(cd "$(dirname "$0")/../data/sim" && pwd)
start_sim
NR=$NOVA_ROLLOUTS_BIN
cd "$TEST_TMP"

# The requests nova received since the last call, one "METHOD PATH CONTENT-TYPE" line each;
# reads (GET) only with `all`. The server-side dry runs (dryRun=All) go out in one concurrent
# round, in any order: they are listed first, sorted, and must all precede the real writes.
requests() {
    sim_ctl requests nova --clear | python3 -c '
import json, sys
dry, real = [], []
for line in sys.stdin:
    r = json.loads(line)
    if r["method"] != "GET" or sys.argv[1] == "all":
        text = " ".join([r["method"], r["path"], r["contentType"]])
        if "dryRun=All" in r["path"]:
            if real:
                print("a dry run after a real request:", text)
            dry.append(text)
        else:
            real.append(text)
print("\n".join(sorted(dry) + real))
' "${1:-writes}"
}

# The JSON body of the last recorded POST.
last_post_body() {
    sim_ctl requests nova | python3 -c '
import sys, json
bodies = [json.loads(l)["body"] for l in sys.stdin if json.loads(l)["method"] == "POST"]
print(bodies[-1])'
}

# Whether two JSON documents (files or text) are equal as JSON.
same_json() {
    python3 -c 'import json, sys; sys.exit(0 if json.loads(sys.argv[1]) == json.load(open(sys.argv[2])) else 1)' "$1" "$2"
}

jsonpath() {
    kubectl get "$1" "$2" -o "jsonpath=$3"
}

A=/apis/argoproj.io/v1alpha1
NS=$A/namespaces/default

# --- The five kinds from one multi-document YAML file -------------------------------------------
requests >/dev/null
expect_exit 0 "$NR" create -f "$DATA/write-create-kinds.yaml"
expect_eq "$OUT" "rollout.argoproj.io/ro-yaml created
experiment.argoproj.io/exp-yaml created
analysistemplate.argoproj.io/tpl-yaml created
clusteranalysistemplate.argoproj.io/ctpl-yaml created
analysisrun.argoproj.io/run-yaml created" "created lines (YAML)"
# Every object checked by the server first (a dry run of each, all at once), then created.
STRICT="?fieldValidation=Strict"
DRY="$STRICT&dryRun=All"
# The five kinds: the server's dry runs (in the order the round answers), then the creates in
# file order.
FIVE_KINDS_POSTS="POST $A/clusteranalysistemplates$DRY application/json
POST $NS/analysisruns$DRY application/json
POST $NS/analysistemplates$DRY application/json
POST $NS/experiments$DRY application/json
POST $NS/rollouts$DRY application/json
POST $NS/rollouts$STRICT application/json
POST $NS/experiments$STRICT application/json
POST $NS/analysistemplates$STRICT application/json
POST $A/clusteranalysistemplates$STRICT application/json
POST $NS/analysisruns$STRICT application/json"
expect_eq "$(requests)" "$FIVE_KINDS_POSTS" "POSTs (YAML)"
expect_eq "$(jsonpath rollouts.argoproj.io ro-yaml '{.spec.replicas}')" 2 "rollout replicas"
expect_eq "$(jsonpath experiments.argoproj.io exp-yaml '{.spec.duration}')" 5m "experiment"
expect_eq "$(jsonpath analysistemplates.argoproj.io tpl-yaml '{.spec.args[0].name}')" \
    service-name "template args"
expect_eq "$(jsonpath clusteranalysistemplates.argoproj.io ctpl-yaml '{.spec.metrics[0].name}')" \
    always "cluster template"
expect_eq "$(jsonpath analysisruns.argoproj.io run-yaml '{.spec.args[0].value}')" web "run args"

# --- The five kinds from JSON files, each POSTed as read -----------------------------------------
expect_exit 0 "$NR" create -f "$DATA/write-create-rollout.json" \
    -f "$DATA/write-create-experiment.json" -f "$DATA/write-create-template.json" \
    -f "$DATA/write-create-cluster-template.json" -f "$DATA/write-create-run.json"
expect_eq "$OUT" "rollout.argoproj.io/ro-json created
experiment.argoproj.io/exp-json created
analysistemplate.argoproj.io/tpl-json created
clusteranalysistemplate.argoproj.io/ctpl-json created
analysisrun.argoproj.io/run-json created" "created lines (JSON)"
same_json "$(last_post_body)" "$DATA/write-create-run.json" || fail "the POST body is not the file"
expect_eq "$(requests)" "$FIVE_KINDS_POSTS" "POSTs (JSON)"
expect_eq "$(jsonpath rollouts.argoproj.io ro-json '{.spec.template.spec.containers[0].image}')" \
    argoproj/rollouts-demo:green "rollout from JSON"
expect_eq "$(jsonpath clusteranalysistemplates.argoproj.io ctpl-json '{.metadata.name}')" \
    ctpl-json "cluster template from JSON"

# From stdin, into the namespace of -n.
kubectl create namespace team >/dev/null
requests >/dev/null
expect_exit 0 "$NR" -n team create -f - <"$DATA/write-create-rollout.json"
expect_eq "$OUT" "rollout.argoproj.io/ro-json created" "created from stdin"
expect_eq "$(requests)" "POST $A/namespaces/team/rollouts$STRICT application/json" "POST into -n"

# --- Bad input: nothing is created, one line --------------------------------------------------
cat >good.yaml <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: never-created}
spec: {metrics: [{name: m, provider: {job: {}}}]}
YAML
cat >deployment.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {}
YAML
printf 'kind: [Rollout\n' >broken.yaml
cat >in-other.yaml <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: elsewhere, namespace: default}
spec: {metrics: []}
YAML
expect_exit 1 "$NR" create -f good.yaml -f deployment.yaml
expect_eq "$OUT" "error: deployment.yaml: creates of apps/Deployment unsupported"
expect_exit 1 "$NR" create -f good.yaml -f broken.yaml
expect_contains "$OUT" "error: broken.yaml: invalid YAML: line "
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines for a broken file"
expect_exit 1 "$NR" create -f good.yaml -f missing.yaml
expect_eq "$OUT" "error: cannot read missing.yaml: no such file or directory"
expect_exit 1 "$NR" create -f good.yaml -f good.yaml
expect_eq "$OUT" 'error: good.yaml: analysistemplate "never-created" is also in good.yaml (it would be created twice)'
expect_exit 1 "$NR" -n team create -f good.yaml -f in-other.yaml
expect_eq "$OUT" "error: in-other.yaml: the namespace from the provided object \"default\" does not match the namespace \"team\". You must pass '--namespace=default' to perform this operation."
expect_exit 2 "$NR" create
expect_contains "$OUT" "error: at least one -f FILE is required"
expect_exit 2 "$NR" create -f good.yaml -f in-other.yaml -w
expect_contains "$OUT" "error: -w watches one object, and the files hold 2"
expect_exit 2 "$NR" create -f good.yaml -w
expect_contains "$OUT" "error: -w watches a Rollout, an Experiment or an AnalysisRun, not an AnalysisTemplate"
expect_exit 2 "$NR" create -f good.yaml --timeout 5s
# Names and namespaces go into URLs: checked before anything is sent.
sed 's/name: never-created/name: "tpl\/status"/' good.yaml >bad-name.yaml
expect_exit 1 "$NR" create -f good.yaml -f bad-name.yaml
expect_eq "$OUT" "error: bad-name.yaml: invalid metadata.name \"tpl/status\": may not contain '/'"
sed 's/name: never-created/name: "tpl?dryRun=All"/' good.yaml >query-name.yaml
expect_exit 1 "$NR" create -f good.yaml -f query-name.yaml
expect_contains "$OUT" "error: query-name.yaml: invalid metadata.name \"tpl?dryRun=All\": must consist of"
sed 's/^metadata: .*/metadata: {name: x, namespace: Team}/' good.yaml >bad-namespace.yaml
expect_exit 1 "$NR" create -f good.yaml -f bad-namespace.yaml
expect_contains "$OUT" "error: bad-namespace.yaml: invalid metadata.namespace \"Team\": must consist of"
expect_exit 2 "$NR" -n Team create -f good.yaml
expect_contains "$OUT" "error: invalid namespace \"Team\": must consist of"
expect_exit 2 "$NR" -n team/x create -f good.yaml
expect_eq "$OUT" "error: invalid namespace \"team/x\": may not contain '/'"
expect_eq "$(requests all)" "" "requests after bad input"
expect_exit 1 kubectl get analysistemplates.argoproj.io never-created

# --- An object the server refuses: one line naming it, and nothing created -------------------
cat >new.yaml <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: fresh}
spec: {metrics: []}
YAML
expect_exit 1 "$NR" create -f new.yaml -f "$DATA/write-create-rollout.json" -f good.yaml
expect_eq "$OUT" 'error: rollout.argoproj.io/ro-json not created: from server (AlreadyExists): rollouts.argoproj.io "ro-json" already exists; nothing was created'
expect_eq "$(requests)" "POST $NS/analysistemplates$DRY application/json
POST $NS/analysistemplates$DRY application/json
POST $NS/rollouts$DRY application/json" "only dry runs before a refusal"
expect_exit 1 kubectl get analysistemplates.argoproj.io fresh
expect_exit 1 kubectl get analysistemplates.argoproj.io never-created
# Forbidden in the dry run of the second object: the line names it, nothing is created.
cat >second.yaml <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Experiment
metadata: {name: second}
spec: {templates: []}
YAML
sim_ctl fail nova 1 403 --method POST --path-suffix /experiments >/dev/null
expect_exit 1 "$NR" create -f new.yaml -f second.yaml
expect_contains "$OUT" 'error: experiment.argoproj.io/second not created: forbidden: you may not create experiments in namespace "default"'
expect_contains "$OUT" "; nothing was created"
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines for a refused dry run"
expect_eq "$(requests)" "POST $NS/analysistemplates$DRY application/json
POST $NS/experiments$DRY application/json" "dry runs of a refused pair"
expect_exit 1 kubectl get analysistemplates.argoproj.io fresh

# --dry-run prints the real requests only (the server's dry runs are a check, not the change).
requests >/dev/null
expect_exit 0 "$NR" create -f new.yaml -f second.yaml --dry-run
expect_contains "$OUT" "$NS/analysistemplates$STRICT
Content-Type: application/json"
expect_contains "$OUT" "$NS/experiments$STRICT
Content-Type: application/json"
expect_not_contains "$OUT" "dryRun"
expect_eq "$(requests all)" "" "requests of create --dry-run"

# Refused after the dry run passed (something changed in between): the line says what stays
# created.
sim_ctl fail nova 1 409 --method POST --path-suffix /experiments --after 1 >/dev/null
expect_exit 1 "$NR" create -f new.yaml -f second.yaml
expect_contains "$OUT" 'analysistemplate.argoproj.io/fresh created
error: experiment.argoproj.io/second not created: '
expect_contains "$OUT" "; already created: analysistemplate.argoproj.io/fresh"
expect_eq "$(printf '%s\n' "$OUT" | grep -c '^error: ')" 1 "error lines after a race"
expect_eq "$(requests)" "POST $NS/analysistemplates$DRY application/json
POST $NS/experiments$DRY application/json
POST $NS/analysistemplates$STRICT application/json
POST $NS/experiments$STRICT application/json" "requests of a race"
expect_exit 0 kubectl get analysistemplates.argoproj.io fresh
expect_exit 1 kubectl get experiments.argoproj.io second
kubectl delete analysistemplates.argoproj.io fresh >/dev/null

sim_ctl fail nova 1 403 --method POST >/dev/null
expect_exit 1 "$NR" create -f good.yaml
expect_contains "$OUT" 'error: analysistemplate.argoproj.io/never-created not created: forbidden: you may not create analysistemplates in namespace "default"; ask an admin for "create" on "analysistemplates" in API group "argoproj.io"'
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines for a 403"
requests >/dev/null

# --- generateName: the server's name is reported ---------------------------------------------
cat >generated.yaml <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Experiment
metadata: {generateName: nightly-}
spec: {templates: []}
YAML
expect_exit 0 "$NR" create -f generated.yaml
[[ "$OUT" =~ ^experiment\.argoproj\.io/(nightly-[a-z0-9]{5})\ created$ ]] ||
    fail "unexpected line for generateName: $OUT"
expect_exit 0 kubectl get experiments.argoproj.io "${BASH_REMATCH[1]}"

# --- --dry-run prints the POST and sends nothing; -o json prints what the server returned ------
requests >/dev/null
expect_exit 0 "$NR" create -f good.yaml --dry-run
expect_contains "$OUT" "POST https://127.0.0.1:"
expect_contains "$OUT" "$NS/analysistemplates$STRICT
Content-Type: application/json

{"
expect_contains "$OUT" "analysistemplate.argoproj.io/never-created created (dry run)"
expect_eq "$(requests)" "" "writes under --dry-run"
expect_exit 1 kubectl get analysistemplates.argoproj.io never-created

expect_exit 0 "$NR" create -f good.yaml -o json
python3 -c 'import json, sys
o = json.loads(sys.argv[1])
assert o["kind"] == "AnalysisTemplate" and o["metadata"]["name"] == "never-created", o
assert o["metadata"]["uid"] and o["metadata"]["resourceVersion"], o' "$OUT" ||
    fail "-o json did not print the created object: $OUT"
expect_exit 2 "$NR" create -f good.yaml -o json --dry-run

# --- -w: the live view of a Rollout, ended by --until-done or --timeout ----------------------
cat >watched.yaml <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: watched}
spec:
  replicas: 1
  selector: {matchLabels: {app: watched}}
  strategy: {canary: {steps: [{setWeight: 20}, {pause: {}}]}}
  template:
    metadata: {labels: {app: watched}}
    spec: {containers: [{name: main, image: argoproj/rollouts-demo:blue}]}
YAML
start_bg watch "$NR" create -f watched.yaml --until-done --timeout 30s --no-color
pid=$BG_PID
wait_until 10 grep -q "^Name: *watched" "$TEST_TMP/watch.out"
head -1 "$TEST_TMP/watch.out" | grep -qx "rollout.argoproj.io/watched created" ||
    fail "no created line before the view: $(cat "$TEST_TMP/watch.out")"
patch_rollout_status watched '{"phase":"Paused","message":"CanaryPauseStep","observedGeneration":"1"}'
wait_until 10 grep -q "CanaryPauseStep" "$TEST_TMP/watch.out"
is_running "$pid" || fail "create --until-done ended on a paused rollout"
patch_rollout_status watched '{"phase":"Healthy","message":"","observedGeneration":"1"}'
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 0 "create --until-done on Healthy"
expect_contains "$(cat "$TEST_TMP/watch.out")" "✔ Healthy"
expect_not_contains "$(cat "$TEST_TMP/watch.out")" $'\e[' "view with --no-color"

sed 's/watched/timed/g' watched.yaml >timed.yaml
expect_exit 4 "$NR" create -f timed.yaml -w --timeout 1s --no-color
expect_contains "$OUT" "rollout.argoproj.io/timed created"
expect_contains "$OUT" "Name:            timed"
expect_contains "$OUT" 'error: stopped watching rollout "timed" after --timeout 1s'
expect_eq "$(printf '%s\n' "$OUT" | grep -c '^error: ')" 1 "error lines"

# --until-done on a Rollout that ends Degraded: exit 3.
sed 's/watched/doomed/g' watched.yaml >doomed.yaml
start_bg doomed "$NR" create -f doomed.yaml --until-done --timeout 30s --no-color
pid=$BG_PID
wait_until 10 grep -q "^Name: *doomed" "$TEST_TMP/doomed.out"
patch_rollout_status doomed '{"phase":"Degraded","message":"RolloutAborted: metric failed","observedGeneration":"1"}'
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 3 "create --until-done on Degraded"
expect_contains "$(cat "$TEST_TMP/doomed.out")" 'error: rollout "doomed" is Degraded'

# An Experiment: the experiment view.
sed 's/nightly-/watched-exp/; s/generateName/name/' generated.yaml >exp.yaml
expect_exit 4 "$NR" create -f exp.yaml -w --timeout 1s --no-color
expect_contains "$OUT" "experiment.argoproj.io/watched-exp created"
expect_contains "$OUT" "Name:            watched-exp"

# An AnalysisRun: a line per phase until it is decided; Successful exits 0, Failed 3.
cat >run.yaml <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: AnalysisRun
metadata: {name: watched-run}
spec: {metrics: [{name: m, provider: {job: {}}}]}
YAML
# The watch follows from the created resourceVersion: a change made before it opens is not lost.
set_run_status() {
    kubectl patch analysisruns.argoproj.io "$1" --type merge -p "{\"status\":$2}" >/dev/null
}
start_bg run "$NR" create -f run.yaml -w --timeout 30s
pid=$BG_PID
wait_until 10 grep -q "created" "$TEST_TMP/run.out"
set_run_status watched-run '{"phase":"Running"}'
wait_until 10 grep -q "^Running" "$TEST_TMP/run.out"
set_run_status watched-run '{"phase":"Running","message":"again"}'
set_run_status watched-run '{"phase":"Successful","message":"all good"}'
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 0 "create -w on a Successful run"
expect_eq "$(cat "$TEST_TMP/run.out")" "analysisrun.argoproj.io/watched-run created
Running
Successful - all good" "run phases"

sed 's/watched-run/failing-run/' run.yaml >failing.yaml
start_bg failing "$NR" create -f failing.yaml -w
pid=$BG_PID
wait_until 10 grep -q "created" "$TEST_TMP/failing.out"
# The server's message of two lines stays on the phase's line.
set_run_status failing-run '{"phase":"Failed","message":"metric \"m\" assessed Failed\nsee\tdetails"}'
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 3 "create -w on a Failed run"
expect_eq "$(cat "$TEST_TMP/failing.out")" 'analysisrun.argoproj.io/failing-run created
Failed - metric "m" assessed Failed see details
error: analysisrun "failing-run" ended Failed - metric "m" assessed Failed see details'

sed 's/watched-run/slow-run/' run.yaml >slow.yaml
expect_exit 4 "$NR" create -f slow.yaml -w --timeout 1s
expect_contains "$OUT" 'error: analysisrun "slow-run" did not finish within 1s: no phase yet'

# Ctrl-C ends the wait for a run as it ends get -w (and create -w on a Rollout): exit 0.
sed 's/watched-run/stopped-run/' run.yaml >stopped.yaml
start_bg stopped "$NR" create -f stopped.yaml -w
pid=$BG_PID
wait_until 10 grep -q "created" "$TEST_TMP/stopped.out"
set_run_status stopped-run '{"phase":"Running"}'
wait_until 10 grep -q "^Running" "$TEST_TMP/stopped.out"
kill -INT "$pid"
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 0 "create -w on a run after Ctrl-C"
expect_eq "$(cat "$TEST_TMP/stopped.out")" "analysisrun.argoproj.io/stopped-run created
Running" "output of create -w on a run after Ctrl-C"
sed 's/watched/stopped-ro/g' watched.yaml >stopped-ro.yaml
start_bg stopped-ro "$NR" create -f stopped-ro.yaml -w --no-color
pid=$BG_PID
wait_until 10 grep -q "^Name: *stopped-ro" "$TEST_TMP/stopped-ro.out"
kill -INT "$pid"
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 0 "create -w on a Rollout after Ctrl-C"

# --timeout: at most 10 years (more overflowed the clock: an immediate exit 4), counted from the
# creation (a slow POST does not eat it up).
requests >/dev/null
sed 's/watched-run/long-run/' run.yaml >long.yaml
for timeout in 87601h 2562047h 9223372036s; do
    expect_exit 2 "$NR" create -f long.yaml -w --timeout "$timeout"
    expect_eq "$OUT" "error: --timeout \"$timeout\" is too long: at most 87600h (10 years)"
done
expect_eq "$(requests all)" "" "requests after a --timeout too long"
start_bg long "$NR" create -f long.yaml -w --timeout 87600h
pid=$BG_PID
wait_until 10 grep -q "created" "$TEST_TMP/long.out"
set_run_status long-run '{"phase":"Successful"}'
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 0 "create -w --timeout 87600h on a Successful run"
expect_eq "$(cat "$TEST_TMP/long.out")" "analysisrun.argoproj.io/long-run created
Successful" "output of create -w --timeout 87600h"

sed 's/watched-run/slow-post/' run.yaml >slow-post.yaml
sim_ctl latency nova 1s >/dev/null
started=$(date +%s%N)
expect_exit 4 "$NR" create -f slow-post.yaml -w --timeout 2s
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
sim_ctl latency nova 0 >/dev/null
expect_contains "$OUT" 'error: analysisrun "slow-post" did not finish within 2s'
# The POST took 1s: the 2s count from its reply, so no exit before 3s.
[ "$elapsed_ms" -ge 3000 ] || fail "create -w --timeout 2s behind a 1s POST ended after ${elapsed_ms}ms"

# --- create analysisrun ------------------------------------------------------------------------
kubectl label analysistemplates.argoproj.io tpl-json tier=backend >/dev/null
requests >/dev/null
expect_exit 0 "$NR" create analysisrun --from tpl-json --name run-1 -a service-name=web \
    -a threshold=0.99 --instance-id blue
expect_eq "$OUT" "analysisrun.argoproj.io/run-1 created"
expect_eq "$(requests all)" "GET $NS/analysistemplates/tpl-json 
POST $NS/analysisruns$STRICT application/json" "requests of create analysisrun --from"
expect_eq "$(jsonpath analysisruns.argoproj.io run-1 '{.spec.args}')" \
    '[{"name":"service-name","value":"web"},{"name":"threshold","value":"0.99"}]' "run args"
expect_eq "$(jsonpath analysisruns.argoproj.io run-1 '{.metadata.labels.team},{.metadata.labels.tier},{.metadata.labels.argo-rollouts\.argoproj\.io/controller-instance-id}')" \
    "web,backend,blue" "labels kept, instance id added"

# From a file, with a generated name after the template.
expect_exit 0 "$NR" create ar --from-file "$DATA/write-create-template.json" -a service-name=api
[[ "$OUT" =~ ^analysisrun\.argoproj\.io/(tpl-json-[a-z0-9]{5})\ created$ ]] ||
    fail "unexpected line for --from-file: $OUT"
expect_eq "$(jsonpath analysisruns.argoproj.io "${BASH_REMATCH[1]}" '{.spec.args[0].value}')" api \
    "--from-file args"
expect_exit 0 "$NR" create analysisrun --from-file "$DATA/write-create-template.json" \
    -a service-name=api --generate-name nightly-
[[ "$OUT" =~ ^analysisrun\.argoproj\.io/nightly-[a-z0-9]{5}\ created$ ]] ||
    fail "unexpected line for --generate-name: $OUT"
# The server's rule for a prefix: up to 253 characters (the generated name keeps 58 of them).
long_ok=$(printf 'b%.0s' $(seq 253))
expect_exit 0 "$NR" create analysisrun --from-file "$DATA/write-create-template.json" \
    -a service-name=api --generate-name "$long_ok"
[[ "$OUT" =~ ^analysisrun\.argoproj\.io/b{58}[a-z0-9]{5}\ created$ ]] ||
    fail "unexpected line for a 253-character --generate-name: $OUT"

# Names for URLs checked first; --global names a ClusterAnalysisTemplate, not a file's template.
requests >/dev/null
expect_exit 2 "$NR" create analysisrun --global --from-file "$DATA/write-create-template.json" \
    -a service-name=api
expect_eq "$OUT" "error: --global reads a ClusterAnalysisTemplate named by --from; a --from-file template is used as it is"
expect_exit 2 "$NR" create analysisrun --from tpl-json/status -a service-name=web
expect_eq "$OUT" "error: invalid analysistemplate name \"tpl-json/status\": may not contain '/'"
expect_exit 2 "$NR" create analysisrun --global --from .. -a service-name=web
expect_eq "$OUT" "error: invalid clusteranalysistemplate name \"..\": may not be '..'"
expect_exit 2 "$NR" create analysisrun --from tpl-json --name 'Run#1' -a service-name=web
expect_contains "$OUT" "error: invalid analysisrun name \"Run#1\": must consist of"
expect_eq "$(requests all)" "" "requests after bad names"

# A ClusterAnalysisTemplate with --global, read at its cluster-scoped URL.
requests >/dev/null
expect_exit 0 "$NR" create analysisrun --global --from ctpl-json -a service-name=web --name run-2
expect_eq "$(requests all | head -1)" "GET $A/clusteranalysistemplates/ctpl-json " "GET --global"

# Arguments the template does not declare, or leaves without a value; bad flags.
expect_exit 1 "$NR" create analysisrun --from tpl-json -a service-name=web -a treshold=1
expect_eq "$OUT" 'error: argument "treshold" is not declared by analysistemplate "tpl-json" (its args: service-name, threshold)'
expect_exit 1 "$NR" create analysisrun --from tpl-json
expect_contains "$OUT" "error: args.service-name was not resolved"
expect_exit 1 "$NR" create analysisrun --from nope
expect_eq "$OUT" 'error: from server (NotFound): analysistemplates.argoproj.io "nope" not found'
expect_exit 2 "$NR" create analysisrun
expect_contains "$OUT" "error: one of --from or --from-file must be specified"
expect_exit 2 "$NR" create analysisrun --from a --from-file b
expect_exit 2 "$NR" create analysisrun --from tpl-json -a novalue
expect_contains "$OUT" "error: arguments must be in the form NAME=VALUE"
expect_exit 1 "$NR" create analysisrun --from tpl-json --name run-1 -a service-name=web
expect_contains "$OUT" 'error: analysisrun.argoproj.io/run-1 not created: from server (AlreadyExists)'

# --dry-run reads the template and sends nothing; -o yaml prints the created run.
requests >/dev/null
expect_exit 0 "$NR" create analysisrun --from tpl-json -a service-name=web --name run-3 --dry-run
expect_contains "$OUT" "$NS/analysisruns$STRICT
Content-Type: application/json"
expect_contains "$OUT" '"name":"run-3"' "dry-run body"
expect_contains "$OUT" "analysisrun.argoproj.io/run-3 created (dry run)"
expect_eq "$(requests all)" "GET $NS/analysistemplates/tpl-json " "requests under --dry-run"
expect_exit 1 kubectl get analysisruns.argoproj.io run-3
expect_exit 0 "$NR" create analysisrun --from tpl-json -a service-name=web --name run-3 -o yaml
expect_contains "$OUT" "kind: AnalysisRun"
expect_contains "$OUT" "name: run-3"
expect_contains "$OUT" "uid: "

# --- Hostile files: one clear line, exit 1, nothing sent (these once crashed with SIGSEGV) ---
requests >/dev/null
printf 'a: &a\n  b: *a\n' >cycle.yaml
expect_exit 1 "$NR" create -f cycle.yaml
expect_contains "$OUT" "error: cycle.yaml: invalid YAML: line "
expect_contains "$OUT" ": an alias refers to a node that contains it (a cycle)"
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines for a cyclic alias"
expect_exit 1 "$NR" create analysisrun --from-file cycle.yaml
expect_contains "$OUT" "error: cycle.yaml: invalid YAML: line "
expect_contains "$OUT" "(a cycle)"
python3 -c 'print("".join(" " * (2 * i) + "k:\n" for i in range(500)), end="")' >deep.yaml
expect_exit 1 "$NR" create -f deep.yaml
expect_contains "$OUT" "error: deep.yaml: invalid YAML: line "
expect_contains "$OUT" "nested too deeply"
python3 -c 'n = 50000; print("{\"a\": " + "[" * n + "]" * n + "}")' >deep.json
expect_exit 1 "$NR" create -f deep.json
expect_eq "$OUT" "error: deep.json: invalid JSON: line 1, column 1006: nested deeper than 1000 levels"
expect_exit 1 "$NR" create analysisrun --from-file deep.json
expect_contains "$OUT" "nested deeper than 1000 levels"
# A key given twice in JSON is refused, as in YAML (it was the last one's).
cat >twice.json <<'JSON'
{"apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisTemplate",
 "metadata": {"name": "first", "name": "second"}, "spec": {"metrics": []}}
JSON
expect_exit 1 "$NR" create -f twice.json
expect_eq "$OUT" 'error: twice.json: invalid JSON: duplicate key "name" in metadata'
expect_eq "$(requests all)" "" "requests after hostile files"
expect_exit 1 kubectl get analysistemplates.argoproj.io second

# nova-sim checks fieldValidation as an API server does, and under Strict refuses a field given
# twice (it has no schemas for unknown fields).
expect_exit 1 kubectl create --raw "$NS/analysistemplates?fieldValidation=Loose" -f "$DATA/write-create-template.json"
expect_contains "$OUT" 'fieldValidation: Unsupported value: "Loose"'
expect_exit 1 kubectl create --raw "$NS/analysistemplates?fieldValidation=Strict" -f twice.json
expect_eq "$OUT" 'Error from server (BadRequest): strict decoding error: duplicate key "name" in metadata'
expect_exit 0 kubectl create --raw "$NS/analysistemplates?fieldValidation=Ignore" -f twice.json
expect_exit 0 kubectl get analysistemplates.argoproj.io second

# --- create analysisrun: flags of create -f, --generate-name, arguments ------------------------
requests >/dev/null
expect_exit 2 "$NR" create -f good.yaml analysisrun --from tpl-json -a service-name=web
expect_eq "$OUT" "error: -f cannot be used with create analysisrun: create -f FILE creates the objects in files, create analysisrun --from-file FILE makes a run from a template file"
expect_exit 2 "$NR" create analysisrun --from tpl-json -a service-name=web -f good.yaml
expect_contains "$OUT" "error: -f cannot be used with create analysisrun"
expect_exit 2 "$NR" create --dry-run analysisrun --from tpl-json -a service-name=web
expect_eq "$OUT" "error: --dry-run was given before analysisrun, where it belongs to create -f: give it after analysisrun"
expect_exit 2 "$NR" create -w analysisrun --from tpl-json -a service-name=web
expect_eq "$OUT" "error: create analysisrun takes no --watch (it belongs to create -f)"
expect_exit 2 "$NR" create analysisrun --from tpl-json -a service-name=web --generate-name 'Nightly_'
expect_contains "$OUT" "error: invalid --generate-name \"Nightly_\": must consist of"
long_prefix=$(printf 'a%.0s' $(seq 254))
expect_exit 2 "$NR" create analysisrun --from tpl-json -a service-name=web --generate-name "$long_prefix"
expect_eq "$OUT" "error: invalid --generate-name \"$long_prefix\": must be no more than 253 characters"
expect_exit 2 "$NR" create analysisrun --from tpl-json -a service-name=web -a service-name=api
expect_eq "$OUT" 'error: argument "service-name" is given more than once with -a'
expect_eq "$(requests all)" "" "requests after usage errors of create analysisrun"

# A template without spec.args takes the arguments as given, as argo does.
cat >argless.yaml <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: argless}
spec: {metrics: [{name: m, provider: {job: {}}}]}
YAML
expect_exit 0 "$NR" create -f argless.yaml
expect_exit 0 "$NR" create analysisrun --from argless --name run-argless -a x=1 -a query=a=b
expect_eq "$OUT" "analysisrun.argoproj.io/run-argless created"
expect_eq "$(jsonpath analysisruns.argoproj.io run-argless '{.spec.args}')" \
    '[{"name":"x","value":"1"},{"name":"query","value":"a=b"}]' "args of a run from an argless template"
