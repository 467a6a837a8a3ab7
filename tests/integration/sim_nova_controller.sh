#!/usr/bin/env bash
# nova-sim's simulated Nova scheduler (`run --controllers`), through real kubectl: the tutorial's
# SchedulePolicy (examples/argo-rollouts/schedule_policy_canary.yaml, rendered by envsubst)
# places a labelled ReplicaSet, the Services and an analysis-like Job from the control plane into
# both workload clusters; the clusters' pods come up and the control plane's status is their sum.
source "$(dirname "$0")/lib.sh"
: "${NOVA_TESTS_DIR:?}"
EXAMPLES="$NOVA_TESTS_DIR/../examples/argo-rollouts"
command -v envsubst >/dev/null 2>&1 || skip "envsubst is not installed (Debian package gettext-base)"

export NOVA_WORKLOAD_CLUSTER_1=kind-workload-1
export NOVA_WORKLOAD_CLUSTER_2=kind-workload-2
CP=(kubectl --context=nova)
W1=(kubectl --context=kind-workload-1)
W2=(kubectl --context=kind-workload-2)
RS=rollout-demo-5cddbfbdbf

start_sim --controllers --time-scale 10

# --- The tutorial's policy, as the tutorial creates it. ---
policy="$TEST_TMP/schedule_policy_canary.yaml"
envsubst <"$EXAMPLES/schedule_policy_canary.yaml" >"$policy" || fail "envsubst failed"
expect_exit 0 "${CP[@]}" create -f "$policy"
expect_contains "$OUT" "schedulepolicy.policy.elotl.co/rollouts-demo-policy created"

# --- A stable ReplicaSet as argo-rollouts makes it, and the base Deployment the policy skips. ---
cat >"$TEST_TMP/replicaset.yaml" <<EOF
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: $RS
  namespace: default
  labels:
    app: rollouts-demo
    role: stable
    rollouts-pod-template-hash: 5cddbfbdbf
  annotations:
    rollout.argoproj.io/revision: "1"
spec:
  replicas: 10
  selector:
    matchLabels:
      app: rollouts-demo
      rollouts-pod-template-hash: 5cddbfbdbf
  template:
    metadata:
      labels:
        app: rollouts-demo
        role: stable
        rollouts-pod-template-hash: 5cddbfbdbf
    spec:
      containers:
        - name: main
          image: argoproj/rollouts-demo:green
EOF
expect_exit 0 "${CP[@]}" apply -f "$TEST_TMP/replicaset.yaml"
expect_exit 0 "${CP[@]}" apply -f "$EXAMPLES/base-deploy.yaml"

replicas_in() { # CONTEXT NAME [KIND]: the copy's spec.replicas ("" when there is none)
    kubectl --context="$1" get "${3:-replicaset}" "$2" -n default --ignore-not-found \
        -o 'jsonpath={.spec.replicas}'
}
wait_until 10 bash -c "[ \"\$(kubectl --context=kind-workload-1 get rs $RS -o 'jsonpath={.spec.replicas}')\" = 5 ] &&
    [ \"\$(kubectl --context=kind-workload-2 get rs $RS -o 'jsonpath={.spec.replicas}')\" = 5 ]"
expect_exit 0 "${W1[@]}" get rs "$RS" \
    -o 'jsonpath={.metadata.labels.nova\.elotl\.co/target-cluster} {.metadata.labels.nova\.elotl\.co/matching-policy} {.metadata.labels.role} {.metadata.annotations.rollout\.argoproj\.io/revision} {.metadata.ownerReferences}'
expect_eq "$OUT" "kind-workload-1 rollouts-demo-policy stable 1 " "the copy in kind-workload-1"
expect_exit 0 "${W2[@]}" get rs "$RS" -o 'jsonpath={.metadata.labels.nova\.elotl\.co/target-cluster}'
expect_eq "$OUT" "kind-workload-2" "the copy in kind-workload-2"
# The base Deployment carries base-template: it stays in the control plane only.
expect_eq "$(replicas_in kind-workload-1 rollouts-demo deployment)" "" "the base Deployment in kind-workload-1"
expect_exit 0 "${CP[@]}" get events -n default --field-selector reason=NoSchedulePolicy \
    -o 'jsonpath={.items[*].involvedObject.name}'
expect_eq "$OUT" "rollouts-demo" "NoSchedulePolicy events"
expect_exit 0 "${CP[@]}" get events -n default --field-selector involvedObject.name=$RS \
    -o 'jsonpath={.items[*].reason}: {.items[*].message}'
expect_eq "$OUT" "SchedulePolicyMatched: SchedulePolicy rollouts-demo-policy matched (schedule group role=stable); placed onto kind-workload-1, kind-workload-2" \
    "the placement event"

# --- The clusters run the pods; the control plane's status is the sum (the tutorial's wait). ---
count_running() { # CONTEXT: Running pods of the demo app
    kubectl --context="$1" get pods -l app=rollouts-demo --no-headers 2>/dev/null | grep -c ' Running '
}
expect_exit 0 "${CP[@]}" wait '--for=jsonpath={.status.availableReplicas}=10' replicaset -l app=rollouts-demo --timeout=30s
expect_eq "$(count_running kind-workload-1)" 5 "Running pods in kind-workload-1"
expect_eq "$(count_running kind-workload-2)" 5 "Running pods in kind-workload-2"
expect_exit 0 "${CP[@]}" get rs "$RS" -o 'jsonpath={.status.replicas} {.status.readyReplicas} {.status.availableReplicas} {.status.observedGeneration}'
expect_eq "$OUT" "10 10 10 1" "the control plane's status"
expect_exit 0 "${CP[@]}" get clusters -o 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Idle")].status} {end}'
expect_eq "$OUT" "kind-workload-1=False kind-workload-2=False " "Idle conditions"

# --- Scaling in the control plane: 3 replicas are 2 + 1 (remainders to the first by name). ---
expect_exit 0 "${CP[@]}" scale rs "$RS" --replicas=3
wait_until 10 bash -c "[ \"\$(kubectl --context=kind-workload-1 get rs $RS -o 'jsonpath={.spec.replicas}')\" = 2 ] &&
    [ \"\$(kubectl --context=kind-workload-2 get rs $RS -o 'jsonpath={.spec.replicas}')\" = 1 ]"
expect_exit 0 "${CP[@]}" wait '--for=jsonpath={.status.replicas}=3' replicaset "$RS" --timeout=30s
expect_exit 0 "${CP[@]}" wait '--for=jsonpath={.status.observedGeneration}=2' replicaset "$RS" --timeout=10s

# --- The Services go whole to both clusters. ---
expect_exit 0 "${CP[@]}" apply -f "$EXAMPLES/services-canary.yaml"
for context in kind-workload-1 kind-workload-2; do
    wait_until 10 kubectl --context="$context" get service rollouts-demo-canary rollouts-demo-stable
    expect_exit 0 kubectl --context="$context" get service rollouts-demo-stable -o 'jsonpath={.spec.selector.role} {.spec.ports[0].port}'
    expect_eq "$OUT" "stable 80" "the stable Service in $context"
done

# --- An analysis-like Job (the AnalysisTemplate's labels, parallelism 2): one pod per cluster,
# --- and the control-plane Job completes when both copies have. ---
cat >"$TEST_TMP/job.yaml" <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: e6f5f5d6.http-benchmark.1
  namespace: default
  labels:
    app: rollouts-demo
    role: placeholder
spec:
  parallelism: 2
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: load-tester
          image: argoproj/load-tester:latest
EOF
expect_exit 0 "${CP[@]}" create -f "$TEST_TMP/job.yaml"
expect_exit 0 "${CP[@]}" wait --for=condition=complete job/e6f5f5d6.http-benchmark.1 --timeout=30s
for context in kind-workload-1 kind-workload-2; do
    expect_exit 0 kubectl --context="$context" get job e6f5f5d6.http-benchmark.1 -o 'jsonpath={.spec.parallelism} {.status.succeeded}'
    expect_eq "$OUT" "1 1" "the Job copy in $context"
done
expect_exit 0 "${CP[@]}" get job e6f5f5d6.http-benchmark.1 -o 'jsonpath={.status.succeeded}'
expect_eq "$OUT" "2" "the control plane's Job"

# --- Deleting in the control plane deletes the copies (and their pods). ---
expect_exit 0 "${CP[@]}" delete rs "$RS"
expect_exit 0 "${CP[@]}" delete job e6f5f5d6.http-benchmark.1
for context in kind-workload-1 kind-workload-2; do
    wait_until 10 bash -c "[ -z \"\$(kubectl --context=$context get -n default --ignore-not-found -o name \
        replicaset/$RS job/e6f5f5d6.http-benchmark.1)\" ]"
    wait_until 10 bash -c "[ -z \"\$(kubectl --context=$context get pods -l rollouts-pod-template-hash=5cddbfbdbf -o name)\" ]"
done
wait_until 10 bash -c "[ \"\$(kubectl --context=nova get clusters -o 'jsonpath={.items[*].status.conditions[?(@.type==\"Idle\")].status}')\" = 'True True' ]"

# --- Without the policy nothing is placed: the Services' copies go too. ---
expect_exit 0 "${CP[@]}" delete -f "$policy"
wait_until 10 bash -c "[ -z \"\$(kubectl --context=kind-workload-1 get service -l app=rollouts-demo -o name)\" ]"
expect_exit 0 "${CP[@]}" get services -l app=rollouts-demo -o name
expect_eq "$(wc -l <<<"$OUT")" 2 "the Services in the control plane"

stop_sim
