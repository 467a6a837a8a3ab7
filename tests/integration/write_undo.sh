#!/usr/bin/env bash
# `undo`: back to the previous revision and to a named one, taken from the ReplicaSets the
# rollout controls (by uid; a ReplicaSet with the same labels and another owner is ignored);
# GET, LIST with the label selector, one JSON patch; the skip message with its newline and the
# real revision; a workloadRef Deployment, ReplicaSet or PodTemplate patched instead (its template
# checked for the skip), a missing one named as the workloadRef; other kinds refused; --dry-run,
# -o json, 403, errors.
source "$(dirname "$0")/lib.sh"

start_sim --load "nova=$(dirname "$0")/../data/sim/write-undo.yaml"
NR=$NOVA_ROLLOUTS_BIN
ROLLOUT_PATH=/apis/argoproj.io/v1alpha1/namespaces/default/rollouts
RS_PATH=/apis/apps/v1/namespaces/default/replicasets
DEPLOYMENT_PATH=/apis/apps/v1/namespaces/default/deployments
server=$(kubeconfig_field '{.clusters[?(@.name=="nova")].cluster.server}')

# The requests nova received since the last call, one "METHOD PATH CONTENT-TYPE" line each (the
# log is then cleared); the raw log stays in $TEST_TMP/requests.json.
requests() {
    sim_ctl requests nova --clear >"$TEST_TMP/requests.json"
    python3 -c '
import json, sys
for line in open(sys.argv[1]):
    request = json.loads(line)
    print(request["method"], request["path"], request["contentType"] or "-")
' "$TEST_TMP/requests.json"
}

# The body of the last PATCH in $TEST_TMP/requests.json.
patch_body() {
    python3 -c '
import json, sys
bodies = [json.loads(line)["body"] for line in open(sys.argv[1])
          if json.loads(line)["method"] == "PATCH"]
print(bodies[-1] if bodies else "")
' "$TEST_TMP/requests.json"
}

image() {
    kubectl get "$1" "$2" -o jsonpath='{.spec.template.spec.containers[0].image}'
}

version() {
    kubectl get "$1" "$2" -o jsonpath='{.metadata.resourceVersion}'
}

# The exact bytes of stdout of CMD..., as Python's repr.
stdout_repr() {
    "$@" >"$TEST_TMP/stdout" 2>/dev/null || true
    python3 -c 'import sys; print(repr(open(sys.argv[1]).read()))' "$TEST_TMP/stdout"
}

template() { # image → the template undo puts back for rollout demo
    printf '{"metadata":{"labels":{"app":"demo"}},"spec":{"containers":[{"image":"%s","name":"demo"}]}}' "$1"
}

sim_ctl requests nova --clear >/dev/null

# --- back to the previous revision (2, yellow): GET, LIST by selector, one JSON patch --------
expect_exit 0 "$NR" undo demo
expect_eq "$OUT" "rollout 'demo' undo"
expect_eq "$(requests)" "GET $ROLLOUT_PATH/demo -
GET $RS_PATH?labelSelector=app%3Ddemo -
PATCH $ROLLOUT_PATH/demo application/json-patch+json" "requests of undo"
expect_eq "$(patch_body)" \
    "[{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":$(template argoproj/rollouts-demo:yellow)}]" \
    "undo patch"
expect_eq "$(image rollouts.argoproj.io demo)" argoproj/rollouts-demo:yellow "image after undo"
# The hash label stays on the ReplicaSet, not on the rollout's template.
expect_eq "$(kubectl get rollouts.argoproj.io demo -o jsonpath='{.spec.template.metadata.labels}')" \
    '{"app":"demo"}' "template labels after undo"

# --- again: the previous revision is now what runs, so nothing is sent ----------------------
sim_ctl requests nova --clear >/dev/null
expect_eq "$(stdout_repr "$NR" undo demo)" \
    "'skipped rollback (current template already matches revision 2)\\n'" "skip message"
expect_eq "$(requests | cut -d' ' -f1 | tr '\n' ' ')" "GET GET " "requests of a skipped undo"

# --- a named revision ------------------------------------------------------------------------
expect_exit 0 "$NR" undo demo --to-revision 1
expect_eq "$OUT" "rollout 'demo' undo"
expect_eq "$(requests | tail -n 1)" "PATCH $ROLLOUT_PATH/demo application/json-patch+json" \
    "write of undo --to-revision"
expect_eq "$(patch_body)" \
    "[{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":$(template argoproj/rollouts-demo:blue)}]" \
    "undo --to-revision patch"
expect_eq "$(image rollouts.argoproj.io demo)" argoproj/rollouts-demo:blue "image after --to-revision 1"
sim_ctl requests nova --clear >/dev/null
expect_eq "$(stdout_repr "$NR" undo demo --to-revision 1)" \
    "'skipped rollback (current template already matches revision 1)\\n'" "skip message of a named revision"
# Revision 9 belongs to another rollout's ReplicaSet, with the same labels.
sim_ctl requests nova --clear >/dev/null
expect_exit 1 "$NR" undo demo --to-revision 9
expect_eq "$OUT" "error: unable to find specified revision 9 in history"
expect_eq "$(requests | cut -d' ' -f1 | tr '\n' ' ')" "GET GET " "requests of a missing revision"
expect_exit 0 "$NR" undo demo --to-revision 3
expect_eq "$(image rollouts.argoproj.io demo)" argoproj/rollouts-demo:green "image after --to-revision 3"

# --- --dry-run: the JSON patch printed, not sent ---------------------------------------------
version_before=$(version rollouts.argoproj.io demo)
sim_ctl requests nova --clear >/dev/null
expect_exit 0 "$NR" undo demo --dry-run
expect_eq "$OUT" "PATCH $server$ROLLOUT_PATH/demo
Content-Type: application/json-patch+json

[{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":$(template argoproj/rollouts-demo:yellow)}]

rollout 'demo' undo (dry run)" "dry-run output"
expect_eq "$(requests | cut -d' ' -f1 | tr '\n' ' ')" "GET GET " "requests under --dry-run"
expect_eq "$(version rollouts.argoproj.io demo)" "$version_before" "resourceVersion after --dry-run"

# --- -o json: the rollout as the server returned it after the patch --------------------------
expect_exit 0 "$NR" undo demo -o json
expect_eq "$(python3 -c 'import json, sys; o = json.loads(sys.stdin.read()); print(o["kind"], o["metadata"]["name"], o["spec"]["template"]["spec"]["containers"][0]["image"])' <<<"$OUT")" \
    "Rollout demo argoproj/rollouts-demo:yellow" "-o json document"
# A skip with -o json: the document alone on stdout, the note on stderr.
expect_eq "$(stdout_repr "$NR" undo demo --to-revision 2 -o json | head -c 3)" "'{\\" "skip with -o json"

# --- 403 on the patch: what to ask an admin for ------------------------------------------------
sim_ctl fail nova 1 403 --method PATCH >/dev/null
expect_exit 1 "$NR" undo demo --to-revision 3
expect_contains "$OUT" "error: failed restoring revision 3: forbidden: you may not patch rollouts \"demo\" in namespace \"default\"; ask an admin for \"patch\" on \"rollouts\" in API group \"argoproj.io\" in namespace \"default\""
expect_eq "$(image rollouts.argoproj.io demo)" argoproj/rollouts-demo:yellow "image after a 403"
# A 403 on the ReplicaSet list names it.
sim_ctl fail nova 1 403 --method GET --path-suffix /replicasets >/dev/null
expect_exit 1 "$NR" undo demo
expect_contains "$OUT" "error: failed to retrieve the replica sets of rollout \"demo\": forbidden: you may not list replicasets in namespace \"default\""

# --- workloadRef Deployment: the Deployment is patched, its template is what the skip checks --
rollout_version=$(version rollouts.argoproj.io web-ref)
sim_ctl requests nova --clear >/dev/null
expect_exit 0 "$NR" undo web-ref
expect_eq "$OUT" "rollout 'web-ref' undo"
requests >"$TEST_TMP/web.requests"
expect_eq "$(head -n 1 "$TEST_TMP/web.requests")" "GET $ROLLOUT_PATH/web-ref -" "first request"
expect_eq "$(sed -n 2,3p "$TEST_TMP/web.requests" | sort)" "GET $DEPLOYMENT_PATH/web -
GET $RS_PATH?labelSelector=app%3Dweb -" "the round after the rollout"
expect_eq "$(sed -n '4,$p' "$TEST_TMP/web.requests")" \
    "PATCH $DEPLOYMENT_PATH/web application/json-patch+json" "write of undo with a workloadRef"
expect_eq "$(patch_body)" \
    '[{"op":"replace","path":"/spec/template","value":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.25","name":"web"}]}}}]' \
    "undo patch of the Deployment"
expect_eq "$(image deployment web)" nginx:1.25 "Deployment image after undo"
expect_eq "$(version rollouts.argoproj.io web-ref)" "$rollout_version" "workloadRef rollout untouched"
# argo never matched a workloadRef rollout; here the Deployment's template is checked.
sim_ctl requests nova --clear >/dev/null
expect_eq "$(stdout_repr "$NR" undo web-ref --to-revision 1)" \
    "'skipped rollback (current template already matches revision 1)\\n'" "skip with a workloadRef"
expect_eq "$(requests | cut -d' ' -f1 | tr '\n' ' ')" "GET GET GET " "requests of a skipped workloadRef undo"
sim_ctl requests nova --clear >/dev/null
expect_exit 0 "$NR" undo web-ref --to-revision 2 --dry-run
expect_contains "$OUT" "PATCH $server$DEPLOYMENT_PATH/web" "dry-run with a workloadRef"
expect_contains "$OUT" '"image":"nginx:1.27"' "dry-run with a workloadRef"
# The Deployment was read with the ReplicaSets (concurrently, in either order): --dry-run does
# not read it again.
expect_eq "$(requests | cut -d' ' -f1,2 | sort | tr '\n' ' ')" \
    "GET $DEPLOYMENT_PATH/web GET $RS_PATH?labelSelector=app%3Dweb GET $ROLLOUT_PATH/web-ref " \
    "requests of a dry-run undo with a workloadRef"
expect_exit 0 "$NR" undo web-ref --to-revision 2 -o json
expect_contains "$OUT" '"kind": "Deployment"' "-o json with a workloadRef"
expect_eq "$(image deployment web)" nginx:1.27 "Deployment image after the second undo"

# --- workloadRef ReplicaSet: that ReplicaSet is patched -------------------------------------
sim_ctl requests nova --clear >/dev/null
expect_exit 0 "$NR" undo rs-ref
expect_eq "$OUT" "rollout 'rs-ref' undo"
expect_eq "$(requests | tail -n 1)" "PATCH $RS_PATH/api-template application/json-patch+json" \
    "write of undo with a workloadRef ReplicaSet"
expect_eq "$(image replicaset api-template)" example/api:1 "ReplicaSet image after undo"

# --- workloadRef PodTemplate: its /template is patched -----------------------------------------
PT_PATH=/api/v1/namespaces/default/podtemplates
# Real kubectl reads PodTemplates from nova-sim as from a cluster (kube-apiserver's columns).
expect_exit 0 kubectl --context nova get podtemplates
expect_eq "$(printf '%s\n' "$OUT" | tr -s ' ')" "NAME CONTAINERS IMAGES POD LABELS
pt worker example/worker:2 app=worker" "kubectl get podtemplates"
pt_image() {
    kubectl --context nova get podtemplate pt -o jsonpath='{.template.spec.containers[0].image}'
}
sim_ctl requests nova --clear >/dev/null
expect_exit 0 "$NR" undo pt-ref
expect_eq "$OUT" "rollout 'pt-ref' undo"
requests >"$TEST_TMP/pt.requests"
expect_eq "$(sed -n 2,3p "$TEST_TMP/pt.requests" | sort)" "GET $PT_PATH/pt -
GET $RS_PATH?labelSelector=app%3Dworker -" "the round after the rollout"
expect_eq "$(sed -n '4,$p' "$TEST_TMP/pt.requests")" \
    "PATCH $PT_PATH/pt application/json-patch+json" "write of undo with a workloadRef PodTemplate"
expect_eq "$(patch_body)" \
    '[{"op":"replace","path":"/template","value":{"metadata":{"labels":{"app":"worker"}},"spec":{"containers":[{"image":"example/worker:1","name":"worker"}]}}}]' \
    "undo patch of the PodTemplate"
expect_eq "$(pt_image)" example/worker:1 "PodTemplate image after undo"
# Its template is what the skip checks.
expect_eq "$(stdout_repr "$NR" undo pt-ref --to-revision 1)" \
    "'skipped rollback (current template already matches revision 1)\\n'" "skip with a PodTemplate"
expect_exit 0 "$NR" undo pt-ref --to-revision 2
expect_eq "$(pt_image)" example/worker:2 "PodTemplate image after the second undo"
# A workloadRef whose object is missing is named as the rollout's workloadRef.
sim_ctl requests nova --clear >/dev/null
expect_exit 1 "$NR" undo gone-ref
expect_eq "$OUT" 'error: podtemplate "missing" (the workloadRef of rollout "gone-ref") not found'
expect_eq "$(requests | grep -c PATCH)" 0 "writes for a missing workloadRef"

# --- other workloadRef kinds: refused before any write ---------------------------------------
sim_ctl requests nova --clear >/dev/null
expect_exit 1 "$NR" undo sts-ref
expect_eq "$OUT" "error: rollout \"sts-ref\" takes its pod template from an apps/v1 StatefulSet \"db\" (spec.workloadRef); undo supports a referenced Deployment, ReplicaSet or PodTemplate"
expect_eq "$(requests)" "GET $ROLLOUT_PATH/sts-ref -" "requests with a StatefulSet workloadRef"

# --- errors ------------------------------------------------------------------------------------
expect_exit 1 "$NR" undo lonely
expect_eq "$OUT" 'error: no revision found for rollout "lonely"'
expect_exit 1 "$NR" undo nope
expect_eq "$OUT" 'error: from server (NotFound): rollouts.argoproj.io "nope" not found'
sim_ctl requests nova --clear >/dev/null
expect_exit 2 "$NR" undo demo --to-revision -1
expect_contains "$OUT" "--to-revision must be a revision number"
expect_exit 2 "$NR" undo demo --to-revision two
# Anything but a plain decimal within int64 names the flag (these were clamped to INT64_MAX,
# read as 16, and taken as "previous").
for revision in 9223372036854775808 99999999999999999999; do
    expect_exit 2 "$NR" undo demo --to-revision "$revision"
    expect_eq "$OUT" "error: --to-revision is beyond any revision (the largest is 9223372036854775807), got \"$revision\""
done
for revision in 0x10 "" +3 1e3; do
    expect_exit 2 "$NR" undo demo --to-revision "$revision"
    expect_eq "$OUT" "error: --to-revision takes a revision number (decimal digits), or 0 for the previous revision, got \"$revision\""
done
expect_exit 2 "$NR" undo demo --dry-run=client
expect_contains "$OUT" "error: --dry-run takes no value"
expect_exit 2 "$NR" undo
expect_exit 2 "$NR" undo demo other
expect_exit 2 "$NR" undo demo --dry-run -o json
expect_eq "$(requests)" "" "requests after usage errors"
