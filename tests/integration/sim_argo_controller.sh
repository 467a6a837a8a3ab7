#!/usr/bin/env bash
# The tutorial's canary, command for command, against `nova-sim run --controllers`: the
# simulated argo-rollouts controller (started by its Deployment in kind-cp becoming available)
# creates the ReplicaSets and the AnalysisRun in the Nova control plane, Nova places them on the
# two workload clusters and sums their status back, and the plugin sees each step.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tutorial.bash"

start_sim --controllers --time-scale 20 --pod-start 2s
export KUBECONFIG

# --- Installing Argo Rollouts (the controller runs once its Deployment is available). ---
install_tutorial
expect_exit 0 "${NR[@]}" get rollout rollout-demo
expect_contains "$OUT" "Healthy"
# A workloadRef rollout has no spec.selector: the clusters are read with status.selector.
expect_contains "$OUT" "kind-workload-1  ✔ Ready  stable:5/5  canary:0/0  ready:5/5"
expect_contains "$OUT" "kind-workload-2  ✔ Ready  stable:5/5  canary:0/0  ready:5/5"
for cluster in kind-workload-1 kind-workload-2; do
    expect_exit 0 kubectl --context="$cluster" get pods -l app=rollouts-demo -o name
    expect_eq "$(wc -l <<<"$OUT")" 5 "pods in $cluster"
done

# --- Deploy a new version: step 1 pauses with 2 canary pods (1 per cluster). ---
expect_exit 0 "${NR[@]}" set image rollout-demo main=argoproj/rollouts-demo:blue
expect_contains "$OUT" "image updated"
wait_until 60 bash -c "[ \"\$(kubectl --context=nova get rollout rollout-demo -o 'jsonpath={.status.phase} {.status.currentStepIndex} {.status.availableReplicas}')\" = 'Paused 1 10' ]"
expect_exit 0 "${NR[@]}" get rollout rollout-demo
expect_contains "$OUT" "CanaryPauseStep"
expect_contains "$OUT" "1/5"
expect_contains "$OUT" "canary"
expect_contains "$OUT" "kind-workload-1  ✔ Ready  stable:4/4  canary:1/1  ready:5/5"
expect_contains "$OUT" "kind-workload-2  ✔ Ready  stable:4/4  canary:1/1  ready:5/5"
canary_rs=$("${CP[@]}" get replicaset -l role=placeholder -o jsonpath='{range .items[?(@.spec.replicas==2)]}{.metadata.name}{end}')
[ -n "$canary_rs" ] || fail "no canary ReplicaSet with 2 replicas"

# --- promote: the analysis Job runs, then 60% (3 canary + 2 stable per cluster), paused. ---
expect_exit 0 "${NR[@]}" promote rollout-demo
wait_until 90 bash -c "[ \"\$(kubectl --context=nova get rollout rollout-demo -o 'jsonpath={.status.phase} {.status.currentStepIndex} {.status.availableReplicas}')\" = 'Paused 4 10' ]"
expect_exit 0 "${CP[@]}" wait --for='jsonpath={.status.phase}=Successful' analysisrun -l app=rollout-demo -l step-index=2 --timeout=30s
expect_exit 0 "${NR[@]}" get rollout rollout-demo
expect_contains "$OUT" "4/5"
expect_contains "$OUT" "Successful"
expect_eq "$("${CP[@]}" get replicaset "$canary_rs" -o 'jsonpath={.spec.replicas}')" 6 "canary replicas at 60%"

# --- promote again: the new version takes all 10 replicas, the old one is scaled down. ---
expect_exit 0 "${NR[@]}" promote rollout-demo
expect_exit 0 "${CP[@]}" wait '--for=jsonpath={.status.availableReplicas}'=10 replicaset -n default "$canary_rs" --timeout=60s
wait_until 30 bash -c "[ \"\$(kubectl --context=nova get rollout rollout-demo -o 'jsonpath={.status.phase}')\" = Healthy ]"
expect_exit 0 "${NR[@]}" get rollout rollout-demo
expect_contains "$OUT" "ScaledDown"
expect_contains "$OUT" "5/5"

stop_sim
