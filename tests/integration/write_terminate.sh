#!/usr/bin/env bash
# `terminate analysisrun|experiment NAME...` against nova-sim: argo's merge patch of
# spec.terminate per name, the objects checked with kubectl, the request sequence, a second name
# that does not exist (the first is done, the error names the second, exit 1), --dry-run, -o json,
# a 403, and `terminate` alone showing its help.
source "$(dirname "$0")/lib.sh"

start_sim --load "nova=$(dirname "$0")/../data/sim/write-terminate.yaml"
NR=$NOVA_ROLLOUTS_BIN
NS=/apis/argoproj.io/v1alpha1/namespaces/default

# The writes nova received since the last call: "METHOD PATH CONTENT-TYPE BODY" each.
writes() {
    sim_ctl requests nova --clear | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r["method"] != "GET":
        print(r["method"], r["path"], r["contentType"], r["body"])
'
}

terminated() {
    kubectl get "$1" "$2" -o 'jsonpath={.spec.terminate}'
}

PATCH='application/merge-patch+json {"spec":{"terminate":true}}'

# --- AnalysisRuns ------------------------------------------------------------------------------
writes >/dev/null
expect_exit 0 "$NR" terminate analysisrun run-a run-b
expect_eq "$OUT" "analysisRun 'run-a' terminated
analysisRun 'run-b' terminated"
expect_eq "$(writes)" "PATCH $NS/analysisruns/run-a $PATCH
PATCH $NS/analysisruns/run-b $PATCH" "terminate analysisrun requests"
expect_eq "$(terminated analysisruns.argoproj.io run-a)" true "run-a terminated"
expect_eq "$(terminated analysisruns.argoproj.io run-b)" true "run-b terminated"

kubectl patch analysisruns.argoproj.io run-a --type merge -p '{"spec":{"terminate":null}}' >/dev/null
writes >/dev/null
expect_exit 1 "$NR" terminate ar run-a nope run-b
expect_eq "$OUT" "analysisRun 'run-a' terminated
error: from server (NotFound): analysisruns.argoproj.io \"nope\" not found"
expect_eq "$(writes)" "PATCH $NS/analysisruns/run-a $PATCH
PATCH $NS/analysisruns/nope $PATCH" "requests stop at the missing name"
expect_eq "$(terminated analysisruns.argoproj.io run-a)" true "run-a terminated again"

# --- Experiments: "terminated", not argo's "retried" -------------------------------------------
expect_exit 0 "$NR" terminate experiment exp-a
expect_eq "$OUT" "experiment 'exp-a' terminated"
expect_eq "$(writes)" "PATCH $NS/experiments/exp-a $PATCH" "terminate experiment request"
expect_eq "$(terminated experiments.argoproj.io exp-a)" true "exp-a terminated"
expect_eq "$(terminated experiments.argoproj.io exp-b)" "" "exp-b untouched"

expect_exit 1 "$NR" terminate exp exp-a missing exp-b
expect_eq "$OUT" "experiment 'exp-a' terminated
error: from server (NotFound): experiments.argoproj.io \"missing\" not found"
expect_eq "$(writes | wc -l)" 2 "writes before the missing experiment"
expect_eq "$(terminated experiments.argoproj.io exp-b)" "" "exp-b still untouched"

# --- --dry-run, -o json, aliases -----------------------------------------------------------------
writes >/dev/null
expect_exit 0 "$NR" terminate experiments exp-b --dry-run
expect_contains "$OUT" "PATCH https://127.0.0.1:"
expect_contains "$OUT" "$NS/experiments/exp-b
Content-Type: application/merge-patch+json

{\"spec\":{\"terminate\":true}}"
expect_contains "$OUT" "experiment 'exp-b' terminated (dry run)"
expect_eq "$(sim_ctl requests nova --clear | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r["method"], r["path"], r["code"])')" "GET $NS/experiments/exp-b 200" \
    "requests under --dry-run: the experiment read, nothing written"
expect_eq "$(terminated experiments.argoproj.io exp-b)" "" "exp-b after --dry-run"
# A missing object fails under --dry-run as it does without.
expect_exit 1 "$NR" terminate analysisrun nope --dry-run
expect_eq "$OUT" 'error: from server (NotFound): analysisruns.argoproj.io "nope" not found'
expect_exit 1 "$NR" terminate experiment run-a --dry-run
expect_eq "$OUT" 'error: from server (NotFound): experiments.argoproj.io "run-a" not found'
expect_eq "$(writes)" "" "writes under --dry-run"

expect_exit 0 "$NR" terminate analysisruns run-b -o json
python3 -c 'import json, sys
o = json.loads(sys.argv[1])
assert o["kind"] == "AnalysisRun" and o["metadata"]["name"] == "run-b", o
assert o["spec"]["terminate"] is True, o' "$OUT" || fail "-o json: $OUT"

expect_exit 0 "$NR" terminate exp exp-a exp-b -o yaml
expect_contains "$OUT" "kind: List"
expect_eq "$(terminated experiments.argoproj.io exp-b)" true "exp-b terminated with -o"

# --- 403: names the verb, the resource and the namespace ----------------------------------------
sim_ctl fail nova 1 403 --method PATCH >/dev/null
expect_exit 1 "$NR" terminate analysisrun run-a
expect_contains "$OUT" 'error: forbidden: you may not patch analysisruns "run-a" in namespace "default"; ask an admin for "patch" on "analysisruns" in API group "argoproj.io" in namespace "default"'
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines for a 403"

# --- Usage ------------------------------------------------------------------------------------
expect_exit 0 "$NR" terminate
expect_contains "$OUT" "analysisrun"
expect_contains "$OUT" "experiment"
expect_exit 2 "$NR" terminate analysisrun
expect_exit 2 "$NR" terminate rollout demo
