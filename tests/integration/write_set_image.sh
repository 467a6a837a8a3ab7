#!/usr/bin/env bash
# `set image`: one pair, several pairs, `*`, init and ephemeral containers; GET then PUT of the
# full object as the server returned it (an unknown field survives); 409s retried (GET and PUT
# again) up to 5 attempts, then a clear error; a workloadRef Deployment updated instead of the
# rollout, other workloadRef kinds refused before any write; bad arguments refused before any
# request; --dry-run, -o json, 403; a missing workloadRef Deployment and malformed containers.
source "$(dirname "$0")/lib.sh"

start_sim --load "nova=$(dirname "$0")/../data/sim/write-set-image.yaml"
NR=$NOVA_ROLLOUTS_BIN
ROLLOUT_PATH=/apis/argoproj.io/v1alpha1/namespaces/default/rollouts
DEPLOYMENT_PATH=/apis/apps/v1/namespaces/default/deployments

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

# The body of the last request with method $1 in $TEST_TMP/requests.json.
last_body() {
    python3 -c '
import json, sys
bodies = [json.loads(line)["body"] for line in open(sys.argv[1])
          if json.loads(line)["method"] == sys.argv[2]]
print(bodies[-1] if bodies else "")
' "$TEST_TMP/requests.json" "$1"
}

# The images of rollout $1: init, regular and ephemeral containers, space-separated.
images() {
    kubectl get rollouts.argoproj.io "$1" -o jsonpath='{.spec.template.spec.initContainers[*].image} {.spec.template.spec.containers[*].image} {.spec.template.spec.ephemeralContainers[*].image}'
}

rollout_version() {
    kubectl get rollouts.argoproj.io "$1" -o jsonpath='{.metadata.resourceVersion}'
}

sim_ctl requests nova --clear >/dev/null

# --- one pair: GET, then PUT of the whole object with its resourceVersion ---------------------
version=$(rollout_version demo)
sim_ctl requests nova --clear >/dev/null
expect_exit 0 "$NR" set image demo demo=argoproj/rollouts-demo:yellow
expect_eq "$OUT" 'rollout "demo" image updated'
expect_eq "$(requests)" "GET $ROLLOUT_PATH/demo -
PUT $ROLLOUT_PATH/demo application/json" "requests of set image"
body=$(last_body PUT)
expect_contains "$body" '"futureField":{"keep":"me"}' "PUT body"
expect_contains "$body" "\"resourceVersion\":\"$version\"" "PUT body"
expect_contains "$body" '"kind":"Rollout"' "PUT body"
expect_contains "$body" '"uid":"' "PUT body"
expect_eq "$(images demo)" \
    "busybox:1.36 argoproj/rollouts-demo:yellow envoyproxy/envoy:v1.29 busybox:1.36" "images"
# The field this program does not know survived the PUT.
expect_eq "$(kubectl get rollouts.argoproj.io demo -o jsonpath='{.spec.futureField.keep}')" me \
    "spec.futureField"

# --- several pairs: an init container, a regular one, an ephemeral one ----------------------
sim_ctl requests nova --clear >/dev/null
expect_exit 0 "$NR" set image demo setup=busybox:1.37 proxy=envoyproxy/envoy:v1.30 \
    debug=docker.io/library/alpine:3.20
expect_eq "$OUT" 'rollout "demo" image updated'
expect_eq "$(requests | cut -d' ' -f1)" "GET
PUT" "one GET and one PUT for several pairs"
expect_eq "$(images demo)" \
    "busybox:1.37 argoproj/rollouts-demo:yellow envoyproxy/envoy:v1.30 docker.io/library/alpine:3.20" \
    "images after several pairs"

# --- `*`: every container ----------------------------------------------------------------------
digest=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
expect_exit 0 "$NR" set image demo "*=registry.example.com:5000/team/all@$digest"
all="registry.example.com:5000/team/all@$digest"
expect_eq "$(images demo)" "$all $all $all $all" "images after *"
expect_exit 0 "$NR" set image demo '*=argoproj/rollouts-demo:blue' setup=busybox:1.36
expect_eq "$(images demo)" \
    "busybox:1.36 argoproj/rollouts-demo:blue argoproj/rollouts-demo:blue argoproj/rollouts-demo:blue" \
    "images after * then a named pair"

# --- a pair that matches no container: refused after the GET, nothing written -----------------
sim_ctl requests nova --clear >/dev/null
version=$(rollout_version demo)
sim_ctl requests nova --clear >/dev/null
expect_exit 1 "$NR" set image demo demo=nginx:1 nope=nginx:2
expect_eq "$OUT" 'error: unable to find container named "nope"'
expect_eq "$(requests)" "GET $ROLLOUT_PATH/demo -" "requests of an unmatched pair"
expect_eq "$(rollout_version demo)" "$version" "resourceVersion after an unmatched pair"

# --- bad arguments: usage errors before any request ------------------------------------------
sim_ctl requests nova --clear >/dev/null
expect_exit 2 "$NR" set image demo demo=Argoproj/Rollouts-Demo:blue
expect_eq "$OUT" 'error: invalid image "Argoproj/Rollouts-Demo:blue" for container "demo": repository name must be lowercase'
expect_exit 2 "$NR" set image demo demo=nginx:1 'proxy=envoy:bad tag'
expect_eq "$OUT" 'error: invalid image "envoy:bad tag" for container "proxy": invalid reference format'
expect_exit 2 "$NR" set image demo demo=nginx@sha256:abc
expect_contains "$OUT" 'invalid reference format'
expect_exit 2 "$NR" set image demo demo
expect_eq "$OUT" 'error: expected CONTAINER=IMAGE, got "demo"'
expect_exit 2 "$NR" set image demo =nginx
expect_contains "$OUT" 'expected CONTAINER=IMAGE with both sides given'
expect_exit 2 "$NR" set image demo demo=
expect_contains "$OUT" 'expected CONTAINER=IMAGE with both sides given'
expect_exit 2 "$NR" set image demo
expect_exit 2 "$NR" set image demo demo=nginx --dry-run -o json
expect_eq "$(requests)" "" "requests after usage errors"

# --- 409 Conflict twice: the whole GET-modify-PUT again, done on the third attempt ------------
sim_ctl fail nova 2 409 --method PUT >/dev/null
expect_exit 0 "$NR" set image demo demo=argoproj/rollouts-demo:green
expect_eq "$OUT" 'rollout "demo" image updated'
expect_eq "$(requests)" "GET $ROLLOUT_PATH/demo -
PUT $ROLLOUT_PATH/demo application/json
GET $ROLLOUT_PATH/demo -
PUT $ROLLOUT_PATH/demo application/json
GET $ROLLOUT_PATH/demo -
PUT $ROLLOUT_PATH/demo application/json" "requests with two conflicts"
expect_eq "$(python3 -c 'import json, sys; print(" ".join(str(json.loads(l)["code"]) for l in open(sys.argv[1])))' "$TEST_TMP/requests.json")" \
    "200 409 200 409 200 200" "response codes with two conflicts"
expect_eq "$(kubectl get rollouts.argoproj.io demo -o jsonpath='{.spec.template.spec.containers[0].image}')" \
    argoproj/rollouts-demo:green "image after two conflicts"

# --- 409 five times: a clear error, exit 1, nothing changed -----------------------------------
sim_ctl requests nova --clear >/dev/null
sim_ctl fail nova 5 409 --method PUT >/dev/null
expect_exit 1 "$NR" set image demo demo=argoproj/rollouts-demo:purple
expect_eq "$OUT" 'error: rollout "demo" kept changing: 5 attempts to update it conflicted; try again'
expect_eq "$(requests | cut -d' ' -f1 | tr '\n' ' ')" "GET PUT GET PUT GET PUT GET PUT GET PUT " \
    "requests with five conflicts"
expect_eq "$(kubectl get rollouts.argoproj.io demo -o jsonpath='{.spec.template.spec.containers[0].image}')" \
    argoproj/rollouts-demo:green "image after five conflicts"

# --- workloadRef Deployment: the Deployment is updated, the rollout untouched ----------------
sim_ctl requests nova --clear >/dev/null
version=$(rollout_version web-ref)
sim_ctl requests nova --clear >/dev/null
expect_exit 0 "$NR" set image web-ref web=nginx:1.27
expect_eq "$OUT" 'deployment "web" image updated (the workloadRef of rollout "web-ref")'
expect_eq "$(requests)" "GET $ROLLOUT_PATH/web-ref -
GET $DEPLOYMENT_PATH/web -
PUT $DEPLOYMENT_PATH/web application/json" "requests with a workloadRef Deployment"
expect_contains "$(last_body PUT)" '"kind":"Deployment"' "PUT body"
expect_eq "$(kubectl get deployment web -o jsonpath='{.spec.template.spec.containers[0].image}')" \
    nginx:1.27 "Deployment image"
expect_eq "$(rollout_version web-ref)" "$version" "workloadRef rollout's resourceVersion"
expect_exit 1 "$NR" set image web-ref nope=nginx:1.27
expect_eq "$OUT" 'error: unable to find container named "nope"'
# Conflicts on the Deployment are retried the same way.
sim_ctl requests nova --clear >/dev/null
sim_ctl fail nova 1 409 --method PUT >/dev/null
expect_exit 0 "$NR" set image web-ref web=nginx:1.28
expect_eq "$(requests | cut -d' ' -f1 | tr '\n' ' ')" "GET GET PUT GET GET PUT " \
    "requests with a conflict on the Deployment"
expect_eq "$(kubectl get deployment web -o jsonpath='{.spec.template.spec.containers[0].image}')" \
    nginx:1.28 "Deployment image after a conflict"

# --- workloadRef ReplicaSet: refused before any write ----------------------------------------
sim_ctl requests nova --clear >/dev/null
expect_exit 1 "$NR" set image rs-ref web=nginx:1.27
expect_eq "$OUT" 'error: rollout "rs-ref" takes its pod template from a ReplicaSet "web-rs" (spec.workloadRef); set image updates only a referenced Deployment'
expect_eq "$(requests)" "GET $ROLLOUT_PATH/rs-ref -" "requests with a workloadRef ReplicaSet"

# --- --dry-run: the PUT printed, not sent ------------------------------------------------------
server=$(kubeconfig_field '{.clusters[?(@.name=="nova")].cluster.server}')
version=$(rollout_version demo)
sim_ctl requests nova --clear >/dev/null
expect_exit 0 "$NR" set image demo demo=argoproj/rollouts-demo:red --dry-run
expect_contains "$OUT" "PUT $server$ROLLOUT_PATH/demo
Content-Type: application/json

{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Rollout\"," "dry-run output"
expect_contains "$OUT" '"image":"argoproj/rollouts-demo:red"' "dry-run body"
expect_contains "$OUT" "\"resourceVersion\":\"$version\"" "dry-run body"
expect_contains "$OUT" 'rollout "demo" image updated (dry run)' "dry-run output"
expect_eq "$(requests)" "GET $ROLLOUT_PATH/demo -" "requests under --dry-run"
expect_eq "$(rollout_version demo)" "$version" "resourceVersion after --dry-run"
sim_ctl requests nova --clear >/dev/null
expect_exit 0 "$NR" set image web-ref web=nginx:1.29 --dry-run
expect_contains "$OUT" "PUT $server$DEPLOYMENT_PATH/web" "dry-run output with a workloadRef"
expect_eq "$(requests | cut -d' ' -f1 | tr '\n' ' ')" "GET GET " "requests under --dry-run"

# --- -o json: the object as the server returned it after the PUT -----------------------------
expect_exit 0 "$NR" set image demo demo=argoproj/rollouts-demo:orange -o json
expect_eq "$(python3 -c 'import json, sys; o = json.loads(sys.stdin.read()); print(o["kind"], o["metadata"]["name"], o["spec"]["template"]["spec"]["containers"][0]["image"], o["metadata"]["resourceVersion"] != sys.argv[1])' "$version" <<<"$OUT")" \
    "Rollout demo argoproj/rollouts-demo:orange True" "-o json document"
expect_exit 0 "$NR" set image web-ref web=nginx:1.30 -o yaml
expect_contains "$OUT" "kind: Deployment" "-o yaml document"
expect_contains "$OUT" "image: nginx:1.30" "-o yaml document"

# --- 403 on the PUT: what to ask an admin for ------------------------------------------------
sim_ctl fail nova 1 403 --method PUT >/dev/null
expect_exit 1 "$NR" set image demo demo=argoproj/rollouts-demo:blue
expect_contains "$OUT" 'error: forbidden: you may not update rollouts "demo" in namespace "default"; ask an admin for "update" on "rollouts" in API group "argoproj.io" in namespace "default"'
expect_eq "$(kubectl get rollouts.argoproj.io demo -o jsonpath='{.spec.template.spec.containers[0].image}')" \
    argoproj/rollouts-demo:orange "image after a 403"

# --- not found; `set` alone shows its help --------------------------------------------------
expect_exit 1 "$NR" set image nope demo=nginx
expect_eq "$OUT" 'error: from server (NotFound): rollouts.argoproj.io "nope" not found'
# A workloadRef whose Deployment is missing is named as the rollout's workloadRef.
kubectl patch rollouts.argoproj.io web-ref --type merge \
    -p '{"spec":{"workloadRef":{"name":"gone"}}}' >/dev/null
sim_ctl requests nova --clear >/dev/null
expect_exit 1 "$NR" set image web-ref web=nginx:1.31
expect_eq "$OUT" 'error: deployment "gone" (the workloadRef of rollout "web-ref") not found'
expect_eq "$(requests | cut -d' ' -f1 | tr '\n' ' ')" "GET GET " "requests with a missing workloadRef"
# Containers of the wrong type are refused as such, not reported missing; nothing is written.
kubectl patch rollouts.argoproj.io demo --type merge \
    -p '{"spec":{"template":{"spec":{"containers":"demo"}}}}' >/dev/null
sim_ctl requests nova --clear >/dev/null
expect_exit 1 "$NR" set image demo demo=nginx
expect_eq "$OUT" 'error: invalid rollout "demo": spec.template.spec.containers must be a list, not "demo"'
expect_eq "$(requests)" "GET $ROLLOUT_PATH/demo -" "requests with malformed containers"
expect_exit 2 "$NR" set image demo demo=nginx --dry-run=server
expect_contains "$OUT" "error: --dry-run takes no value"
expect_exit 0 "$NR" set
expect_contains "$OUT" "image"
expect_exit 2 "$NR" set picture demo
