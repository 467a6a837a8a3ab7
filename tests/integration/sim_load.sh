#!/usr/bin/env bash
# --load CONTEXT=FILE preloads the objects of a multi-document YAML file into one server, keeping
# their metadata and status as written and YAML's types (quoted numbers stay strings).
source "$(dirname "$0")/lib.sh"

cat >"$TEST_TMP/objects.yaml" <<'YAML'
# a comment before the first document
apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: demo
  labels:
    release: "42"
data:
  replicas: "3"
  enabled: "true"
---
apiVersion: v1
kind: Pod
metadata:
  name: web-0
  namespace: demo
  labels: {app: web}
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - name: main
    image: nginx:1.25
status:
  phase: Running
YAML

start_sim --load "kind-workload-1=$TEST_TMP/objects.yaml"

expect_exit 0 kubectl --context kind-workload-1 get ns demo -o name
expect_eq "$OUT" "namespace/demo"
expect_exit 0 kubectl --context kind-workload-1 -n demo get configmap settings \
    -o 'jsonpath={.data.replicas} {.data.enabled} {.metadata.labels.release}'
expect_eq "$OUT" "3 true 42" "configmap settings"
expect_exit 0 kubectl --context kind-workload-1 -n demo get configmap settings -o json
expect_contains "$OUT" '"replicas": "3"' "configmap JSON"
expect_exit 0 kubectl --context kind-workload-1 -n demo get pod web-0 -o json
expect_contains "$OUT" '"terminationGracePeriodSeconds": 30' "pod JSON"
expect_contains "$OUT" '"phase": "Running"' "pod JSON (status kept)"
expect_exit 0 kubectl --context kind-workload-1 -n demo get pods -l app=web -o name
expect_eq "$OUT" "pod/web-0"

# Loaded into that server only.
expect_exit 1 kubectl --context kind-workload-2 get ns demo
expect_contains "$OUT" "NotFound"

stop_sim

# An object the server refuses (here: loaded twice) stops the start with one line naming it.
rc=0
"$NOVA_SIM_BIN" run --dir "$TEST_TMP/twice" --load "nova=$TEST_TMP/objects.yaml" \
    --load "nova=$TEST_TMP/objects.yaml" >"$TEST_TMP/twice.out" 2>&1 || rc=$?
expect_eq "$rc" "1" "exit status when an object is loaded twice"
expect_eq "$(wc -l <"$TEST_TMP/twice.out")" "1" "lines printed"
expect_contains "$(cat "$TEST_TMP/twice.out")" "error: " "output"
[ ! -e "$TEST_TMP/twice/ready" ] || fail "a failed start left DIR/ready behind"
