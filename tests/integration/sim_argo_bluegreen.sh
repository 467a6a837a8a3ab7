#!/usr/bin/env bash
# A blue-green Rollout against `nova-sim run --controllers`: the simulated argo-rollouts
# controller brings each revision up beside the active one, points the preview Service at it,
# pauses with BlueGreenPause (autoPromotionEnabled: false), switches the active Service on
# `promote`, and scales the old ReplicaSet down after scaleDownDelaySeconds; Nova copies the
# ReplicaSets and the Services (with the selectors the controller writes) to both workload
# clusters. Also: automatic promotion, abort and retry, and a missing Service (InvalidSpec).
source "$(dirname "$0")/lib.sh"

DATA="$NOVA_TESTS_DIR/data/sim"
EXAMPLES="$NOVA_TESTS_DIR/../examples/argo-rollouts"
CP=(kubectl --context=nova)
NR=("$NOVA_ROLLOUTS_BIN" --context=nova)
CLUSTERS=(kind-workload-1 kind-workload-2)

# 20 simulated seconds pass in each real second: scaleDownDelaySeconds 100 takes 5 s.
start_sim --controllers --time-scale 20 --pod-start 2s
export KUBECONFIG

rollout_field() { "${CP[@]}" get rollout bg-demo -o "jsonpath=$1"; }
service_hash() { kubectl --context="${2:-nova}" get service "$1" -o 'jsonpath={.spec.selector.rollouts-pod-template-hash}'; }
rs_field() { "${CP[@]}" get replicaset "bg-demo-$1" -o "jsonpath=$2"; }
wait_phase() {
    wait_until "${2:-30}" bash -c "[ \"\$(kubectl --context=nova get rollout bg-demo -o 'jsonpath={.status.phase}')\" = '$1' ]"
}
# Every workload cluster's copy of both Services selects what the control plane's do.
expect_services_in_clusters() {
    local active=$1 preview=$2 cluster
    for cluster in "${CLUSTERS[@]}"; do
        wait_until 10 bash -c "[ \"\$(kubectl --context=$cluster get service bg-demo-active -o 'jsonpath={.spec.selector.rollouts-pod-template-hash}')\" = $active ]"
        wait_until 10 bash -c "[ \"\$(kubectl --context=$cluster get service bg-demo-preview -o 'jsonpath={.spec.selector.rollouts-pod-template-hash}')\" = $preview ]"
    done
}

# --- Installing Argo Rollouts as the tutorial does (the controller runs once it is available).
expect_exit 0 kubectl --context=kind-cp create namespace elotl
expect_exit 0 "${CP[@]}" apply -f "$EXAMPLES/crds.yaml"
expect_exit 0 kubectl --context=kind-cp create -f "$EXAMPLES/argo-rollouts.yaml" -n elotl
expect_exit 0 kubectl --context=kind-cp wait --for=condition=available -n elotl deployment argo-rollouts --timeout=60s

# --- A rollout whose active Service is missing is InvalidSpec (Degraded), not a crash. ---
expect_exit 0 "${CP[@]}" create -f "$DATA/bluegreen.yaml"
cat >"$TEST_TMP/lonely.yaml" <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: bg-lonely
spec:
  replicas: 1
  selector:
    matchLabels:
      app: bg-lonely
  template:
    metadata:
      labels:
        app: bg-lonely
    spec:
      containers:
        - name: main
          image: argoproj/rollouts-demo:blue
  strategy:
    blueGreen:
      activeService: bg-lonely-active
YAML
expect_exit 0 "${CP[@]}" create -f "$TEST_TMP/lonely.yaml"
wait_until 10 bash -c "[ \"\$(kubectl --context=nova get rollout bg-lonely -o 'jsonpath={.status.phase}')\" = Degraded ]"
expect_exit 0 "${CP[@]}" get rollout bg-lonely -o 'jsonpath={.status.message}'
expect_eq "$OUT" 'InvalidSpec: The Rollout "bg-lonely" is invalid: spec.strategy.blueGreen.activeService: Invalid value: "bg-lonely-active": services "bg-lonely-active" not found' "bg-lonely's message"
expect_exit 0 "${CP[@]}" delete rollout bg-lonely

# --- First revision: both Services on hash A, Healthy, 2 pods per cluster. ---
wait_phase Healthy
hash_a=$(rollout_field '{.status.currentPodHash}')
[ -n "$hash_a" ] || fail "no currentPodHash"
expect_eq "$(rollout_field '{.status.stableRS} {.status.blueGreen.activeSelector} {.status.blueGreen.previewSelector}')" "$hash_a $hash_a $hash_a" "stable, active, preview"
expect_eq "$(service_hash bg-demo-active) $(service_hash bg-demo-preview)" "$hash_a $hash_a" "service selectors"
expect_eq "$("${CP[@]}" get service bg-demo-active -o 'jsonpath={.metadata.annotations.argo-rollouts\.argoproj\.io/managed-by-rollouts}')" bg-demo "managed-by annotation"
expect_eq "$(rollout_field '{.status.selector}')" "app=bg-demo,rollouts-pod-template-hash=$hash_a" "status.selector"
expect_services_in_clusters "$hash_a" "$hash_a"
expect_exit 0 "${NR[@]}" get rollout bg-demo
expect_contains "$OUT" "Strategy:        BlueGreen"
expect_contains "$OUT" "bg-demo-$hash_a"
expect_contains "$OUT" "stable,active"
expect_contains "$OUT" "kind-workload-1  ✔ Ready  stable:2/2  preview:0/0  ready:2/2"

# --- set image: a new ReplicaSet at full size, preview on B, active on A, BlueGreenPause. ---
expect_exit 0 "${NR[@]}" set image bg-demo main=argoproj/rollouts-demo:green
wait_phase Paused
hash_b=$(rollout_field '{.status.currentPodHash}')
[ "$hash_b" != "$hash_a" ] || fail "no new pod-template hash"
expect_eq "$(rollout_field '{.status.message} {.status.controllerPause} {.status.pauseConditions[0].reason}')" "BlueGreenPause true BlueGreenPause" "pause"
expect_eq "$(rollout_field '{.status.stableRS} {.status.blueGreen.activeSelector} {.status.blueGreen.previewSelector}')" "$hash_a $hash_a $hash_b" "stable, active, preview"
expect_eq "$(service_hash bg-demo-active) $(service_hash bg-demo-preview)" "$hash_a $hash_b" "service selectors"
expect_eq "$(rs_field "$hash_a" '{.spec.replicas}') $(rs_field "$hash_b" '{.spec.replicas} {.status.availableReplicas}')" "4 4 4" "replicas of A and B"
expect_eq "$(rollout_field '{.status.replicas} {.status.updatedReplicas} {.status.availableReplicas}')" "8 4 4" "rollout counts"
expect_services_in_clusters "$hash_a" "$hash_b"
expect_exit 0 "${NR[@]}" get rollout bg-demo
expect_contains "$OUT" "॥ Paused"
expect_contains "$OUT" "BlueGreenPause"
expect_contains "$OUT" "argoproj/rollouts-demo:blue (stable, active)"
expect_contains "$OUT" "argoproj/rollouts-demo:green (preview)"
expect_contains "$OUT" "preview"
expect_contains "$OUT" "kind-workload-2  ✔ Ready  stable:2/2  preview:2/2  ready:4/4"

# --- promote: active on B, Healthy; A keeps its pods until its scale-down deadline. ---
expect_exit 0 "${NR[@]}" promote bg-demo
wait_phase Healthy
expect_eq "$(rollout_field '{.status.stableRS} {.status.blueGreen.activeSelector} {.status.blueGreen.previewSelector}')" "$hash_b $hash_b $hash_b" "stable, active, preview after promote"
expect_eq "$(rollout_field '{.status.controllerPause}{.status.pauseConditions}')" "" "pause after promote"
expect_eq "$(service_hash bg-demo-active)" "$hash_b" "active service after promote"
expect_services_in_clusters "$hash_b" "$hash_b"
wait_until 10 bash -c "[ -n \"\$(kubectl --context=nova get replicaset bg-demo-$hash_a -o 'jsonpath={.metadata.annotations.scale-down-deadline}')\" ]"
deadline=$(rs_field "$hash_a" '{.metadata.annotations.scale-down-deadline}')
[[ "$deadline" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] || fail "scale-down-deadline '$deadline' is not RFC 3339"
expect_exit 0 "${CP[@]}" wait '--for=jsonpath={.spec.replicas}'=0 replicaset "bg-demo-$hash_a" --timeout=30s
wait_until 10 bash -c "[ \"\$(kubectl --context=nova get rollout bg-demo -o 'jsonpath={.status.replicas}')\" = 4 ]"
expect_exit 0 "${NR[@]}" get rollout bg-demo
expect_contains "$OUT" "✔ Healthy"
expect_contains "$OUT" "ScaledDown"
expect_contains "$OUT" "stable,active"

# --- autoPromotionEnabled true: the next revision is promoted as soon as it is available. ---
expect_exit 0 "${CP[@]}" patch rollout bg-demo --type merge -p '{"spec":{"strategy":{"blueGreen":{"autoPromotionEnabled":true}}}}'
expect_exit 0 "${NR[@]}" set image bg-demo main=argoproj/rollouts-demo:red
wait_until 30 bash -c "h=\$(kubectl --context=nova get rollout bg-demo -o 'jsonpath={.status.currentPodHash}'); [ \"\$h\" != $hash_b ] && [ \"\$(kubectl --context=nova get rollout bg-demo -o 'jsonpath={.status.stableRS} {.status.phase}')\" = \"\$h Healthy\" ]"
hash_c=$(rollout_field '{.status.currentPodHash}')
expect_eq "$(rollout_field '{.status.pauseConditions}')" "" "no pause with automatic promotion"
expect_eq "$(service_hash bg-demo-active) $(service_hash bg-demo-preview)" "$hash_c $hash_c" "service selectors after automatic promotion"
expect_services_in_clusters "$hash_c" "$hash_c"

# --- abort: the active Service stays, the preview ReplicaSet goes after abortScaleDownDelaySeconds.
expect_exit 0 "${CP[@]}" patch rollout bg-demo --type merge -p '{"spec":{"strategy":{"blueGreen":{"autoPromotionEnabled":false}}}}'
expect_exit 0 "${NR[@]}" set image bg-demo main=argoproj/rollouts-demo:yellow
wait_phase Paused
hash_d=$(rollout_field '{.status.currentPodHash}')
expect_exit 0 "${NR[@]}" abort bg-demo
wait_phase Degraded
expect_eq "$(rollout_field '{.status.message}')" "RolloutAborted: Rollout aborted update to revision 4" "message after abort"
expect_eq "$(service_hash bg-demo-active)" "$hash_c" "active service after abort"
expect_exit 0 "${CP[@]}" wait '--for=jsonpath={.spec.replicas}'=0 replicaset "bg-demo-$hash_d" --timeout=30s
expect_eq "$(rs_field "$hash_c" '{.spec.replicas}')" 4 "stable replicas after abort"
expect_exit 0 "${NR[@]}" get rollout bg-demo
expect_contains "$OUT" "✖ Degraded"
expect_contains "$OUT" "RolloutAborted"

# --- retry: the preview comes back and pauses again; promote --full takes it all the way. ---
expect_exit 0 "${NR[@]}" retry rollout bg-demo
wait_phase Paused
expect_eq "$(rs_field "$hash_d" '{.spec.replicas}')" 4 "preview replicas after retry"
expect_exit 0 "${NR[@]}" promote bg-demo --full
wait_phase Healthy
expect_eq "$(rollout_field '{.status.stableRS} {.status.blueGreen.activeSelector}')" "$hash_d $hash_d" "stable and active after promote --full"
expect_services_in_clusters "$hash_d" "$hash_d"

stop_sim
