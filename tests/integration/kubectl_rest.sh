#!/usr/bin/env bash
# nova-sim behaves like a real API server for real kubectl: CRDs then their objects, get/list with
# selectors and -o json, every patch type (and the status subresource), wait, watch, and delete
# cascading to owned objects.
source "$(dirname "$0")/lib.sh"
data="$(dirname "$0")/../data/sim"

start_sim
export KUBECONFIG

# --- A CRD registers its kind; then its objects can be created, listed and selected. ---
expect_exit 0 kubectl create -f "$data/widgets-crd.yaml"
expect_contains "$OUT" "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created"
expect_exit 0 kubectl wait --for condition=established --timeout=10s crd/widgets.example.com
expect_exit 0 kubectl create -f "$data/widgets.yaml"
expect_contains "$OUT" "widget.example.com/alpha created"
expect_contains "$OUT" "widget.example.com/beta created"
expect_exit 1 kubectl create -f "$data/widgets.yaml"
expect_contains "$OUT" 'Error from server (AlreadyExists): error when creating'

expect_exit 0 kubectl get widgets -o name
expect_eq "$OUT" "widget.example.com/alpha
widget.example.com/beta" "widgets"
expect_exit 0 kubectl get wdg -l tier=back -o name
expect_eq "$OUT" "widget.example.com/beta" "widgets with tier=back"
expect_exit 0 kubectl get widgets -l 'tier in (front,middle)' -o jsonpath='{.items[*].metadata.name}'
expect_eq "$OUT" "alpha" "widgets with tier in (front,middle)"
expect_exit 0 kubectl get widgets -l '!tier' -o name
expect_eq "$OUT" "" "widgets without a tier"
expect_exit 0 kubectl get widgets
expect_contains "$(head -n 1 <<<"$OUT")" "SIZE" "table header (printer columns)"
expect_exit 0 kubectl get widget alpha -o json
python3 - "$OUT" <<'PY' || fail "widget alpha -o json: $OUT"
import json, sys
w = json.loads(sys.argv[1])
assert w["kind"] == "Widget" and w["apiVersion"] == "example.com/v1", w
m = w["metadata"]
assert m["uid"] and m["resourceVersion"] and m["creationTimestamp"], m
assert m["generation"] == 1, m
PY
expect_exit 1 kubectl get widget nope
expect_contains "$OUT" 'Error from server (NotFound): widgets.example.com "nope" not found'

# --- Patches: merge and json on the object; status only through the subresource. ---
expect_exit 0 kubectl patch widget alpha --type merge -p '{"spec":{"size":5},"status":{"phase":"Ignored"}}'
expect_exit 0 kubectl get widget alpha -o 'jsonpath={.spec.size} {.status.phase} {.metadata.generation}'
expect_eq "$OUT" "5  2" "after a merge patch (status ignored, generation moved)"
expect_exit 0 kubectl patch widget alpha --type json -p '[{"op":"test","path":"/spec/size","value":5},{"op":"replace","path":"/spec/size","value":6}]'
expect_exit 0 kubectl get widget alpha -o 'jsonpath={.spec.size}'
expect_eq "$OUT" "6" "after a json patch"
expect_exit 1 kubectl patch widget alpha --type json -p '[{"op":"test","path":"/spec/size","value":99}]'
expect_exit 0 kubectl get widget alpha -o 'jsonpath={.spec.size}'
expect_eq "$OUT" "6" "a failed json patch changes nothing"
expect_exit 0 kubectl patch widget alpha --subresource status --type merge -p '{"status":{"phase":"Ready"},"spec":{"size":1}}'
expect_exit 0 kubectl get widget alpha -o 'jsonpath={.spec.size} {.status.phase} {.metadata.generation}'
expect_eq "$OUT" "6 Ready 3" "after a status patch (spec ignored, generation kept)"
# Strategic merge (kubectl's default type) is refused for custom resources, as a real API server does.
sim_ctl requests nova --clear >/dev/null
expect_exit 1 kubectl patch widget alpha -p '{"spec":{"size":7}}' --type strategic
expect_contains "$OUT" "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json"
expect_exit 0 sim_ctl requests nova
expect_contains "$OUT" '"code":415' "the request log"

# --- kubectl wait --for=jsonpath sees a change made while it waits. ---
start_bg wait kubectl wait --for=jsonpath='{.status.phase}'=Done --timeout=20s widget/beta
sleep 0.5
expect_exit 0 kubectl patch widget beta --subresource status --type merge -p '{"status":{"phase":"Done"}}'
wait_bg "$BG_PID" 20 || fail "kubectl wait did not see the change: $(cat "$TEST_TMP/wait.out")"
expect_contains "$(cat "$TEST_TMP/wait.out")" "widget.example.com/beta condition met"

# --- kubectl get -w prints the change. ---
start_bg watch kubectl get widgets -w -o 'custom-columns=NAME:.metadata.name,SIZE:.spec.size' --no-headers
watch_pid=$BG_PID
wait_until 10 grep -q beta "$TEST_TMP/watch.out"
expect_exit 0 kubectl patch widget beta --type merge -p '{"spec":{"size":42}}'
wait_until 10 grep -Eq 'beta +42' "$TEST_TMP/watch.out"
stop_process "$watch_pid" 5 >/dev/null 2>&1 || true

# --- Built-in kinds: strategic merge by container name; delete cascades through owners. ---
kubectl create deployment web --image=nginx:1.25 --replicas=1 >/dev/null
deploy_uid=$(kubectl get deployment web -o 'jsonpath={.metadata.uid}')
kubectl create -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d8f
  labels: {app: web}
  ownerReferences:
    - {apiVersion: apps/v1, kind: Deployment, name: web, uid: "$deploy_uid", controller: true}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.25"}]
YAML
rs_uid=$(kubectl get rs web-5d8f -o 'jsonpath={.metadata.uid}')
kubectl create -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: web-5d8f-x7k2p
  labels: {app: web}
  ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f, uid: "$rs_uid", controller: true}
spec:
  containers: [{name: nginx, image: "nginx:1.25"}]
YAML
expect_exit 0 kubectl patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}'
expect_exit 0 kubectl get deployment web -o 'jsonpath={range .spec.template.spec.containers[*]}{.name}={.image} {end}'
expect_eq "$OUT" "nginx=nginx:1.27 " "containers after a strategic merge patch"
expect_exit 0 kubectl get pods -l app=web -o name
expect_eq "$OUT" "pod/web-5d8f-x7k2p" "pods before the delete"

expect_exit 0 kubectl delete deployment web
expect_contains "$OUT" 'deployment.apps "web" deleted'
wait_until 10 bash -c '[ -z "$(kubectl get rs,pods -l app=web -o name)" ]'

# --- Deleting the CRD removes its kind. ---
expect_exit 0 kubectl delete crd widgets.example.com
wait_until 10 bash -c '! kubectl get widgets >/dev/null 2>&1'

stop_sim
