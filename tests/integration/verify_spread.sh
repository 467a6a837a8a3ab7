#!/usr/bin/env bash
# `verify-spread` against `nova-sim run --controllers` walking the tutorial: every state of the
# canary verifies clean (after set image, after each promote); then a replica changed by hand in
# one workload cluster (with the simulated Nova controller paused, so it cannot put the copy back
# at once), a pod that cannot pull its image in one cluster, and a dead cluster each give their
# exit code and a reason naming the cluster; --wait and `status --verify-spread` succeed once
# the simulation has converged again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tutorial.bash"

GOLDEN="$NOVA_TESTS_DIR/data/golden/verify-spread"
start_sim --controllers --time-scale 20 --pod-start 2s
export KUBECONFIG

# The table (stdout alone) against its golden file (UPDATE_GOLDENS=1 rewrites it).
expect_table() {
    local golden=$1
    shift
    local rc=0
    "${NR[@]}" verify-spread rollout-demo "$@" >"$TEST_TMP/table.txt" 2>"$TEST_TMP/err.txt" || rc=$?
    if [ -n "${UPDATE_GOLDENS:-}" ]; then
        mkdir -p "$GOLDEN" && cp "$TEST_TMP/table.txt" "$GOLDEN/$golden"
    fi
    if ! cmp -s "$GOLDEN/$golden" "$TEST_TMP/table.txt"; then
        fail "$golden differs from the golden:
$(diff "$GOLDEN/$golden" "$TEST_TMP/table.txt" | head -40)"
    fi
    RC=$rc
}

phase() {
    "${CP[@]}" get rollout rollout-demo -o 'jsonpath={.status.phase} {.status.currentStepIndex} {.status.availableReplicas}'
}

# --- Installed and Healthy: 10 stable replicas, 5 per cluster. ---
install_tutorial
expect_table healthy.txt
expect_eq "$RC" 0 "exit code when healthy"
expect_eq "$(cat "$TEST_TMP/err.txt")" "" "stderr"
# Without Nova's Cluster objects: the contexts named are the clusters, taken as Ready.
expect_exit 0 "${NR[@]}" verify-spread rollout-demo --workload-contexts kind-workload-1,kind-workload-2
expect_contains "$OUT" "spread as expected: 1 object over 2 clusters"

# --- set image: 8 stable (4+4) and 2 canary (1+1), each split on its own. ---
expect_exit 0 "${NR[@]}" set image rollout-demo main=argoproj/rollouts-demo:blue
wait_until 60 bash -c "[ \"\$(kubectl --context=nova get rollout rollout-demo -o 'jsonpath={.status.phase} {.status.currentStepIndex} {.status.availableReplicas}')\" = 'Paused 1 10' ]"
expect_exit 0 "${NR[@]}" verify-spread rollout-demo --wait --timeout 30s
expect_table canary-20.txt
expect_eq "$RC" 0 "exit code at 20%"
expect_exit 0 "${NR[@]}" verify-spread rollout-demo -o json
expect_contains "$OUT" '"verdict": "AsExpected"'
expect_contains "$OUT" '"role": "canary"'

# --- promote: the analysis Job (parallelism 2) is placed 1+1. With the clusters' controllers
# paused its pods do not start, so the Job is checked (and short of pods) until they resume. ---
expect_exit 0 sim_ctl pause cluster
expect_exit 0 "${NR[@]}" promote rollout-demo
for cluster in kind-workload-1 kind-workload-2; do
    wait_until 30 bash -c "[ -n \"\$(kubectl --context=$cluster get jobs -o name)\" ]"
done
expect_exit 3 "${NR[@]}" verify-spread rollout-demo
expect_contains "$OUT" "(analysis): 2 in parallel · SchedulePolicy rollouts-demo-policy"
expect_contains "$OUT" "kind-workload-1 runs 0 of the expected 1: no pod there yet"
expect_contains "$OUT" "kind-workload-2 runs 0 of the expected 1: no pod there yet"
expect_exit 0 sim_ctl resume cluster
# Then 60%: 6 canary (3+3), 4 stable (2+2).
wait_until 90 bash -c "[ \"\$(kubectl --context=nova get rollout rollout-demo -o 'jsonpath={.status.phase} {.status.currentStepIndex} {.status.availableReplicas}')\" = 'Paused 4 10' ]"
expect_exit 0 "${NR[@]}" verify-spread rollout-demo --wait --timeout 30s
expect_exit 0 "${NR[@]}" verify-spread rollout-demo
expect_contains "$OUT" "spread as expected: 2 objects over 2 clusters"

# --- promote again: Healthy, the new version everywhere. ---
expect_exit 0 "${NR[@]}" promote rollout-demo
wait_until 60 bash -c "[ \"\$(kubectl --context=nova get rollout rollout-demo -o 'jsonpath={.status.phase}')\" = Healthy ]"
expect_exit 0 "${NR[@]}" verify-spread rollout-demo --wait --timeout 30s
expect_exit 0 "${NR[@]}" status rollout-demo --verify-spread --timeout 30s
expect_eq "$OUT" "Healthy" "status --verify-spread when spread"
expect_exit 0 "${NR[@]}" status rollout-demo --verify-spread -o json
expect_contains "$OUT" '"kind": "SpreadVerification"'
stable_rs=$("${CP[@]}" get rollout rollout-demo -o 'jsonpath={.status.stableRS}')
stable_rs="rollout-demo-$stable_rs"

# --- A replica placed by hand: Nova paused, the copy in kind-workload-1 scaled to 6. ---
expect_exit 0 sim_ctl pause nova
expect_exit 0 kubectl --context=kind-workload-1 patch replicaset "$stable_rs" --type=merge -p '{"spec":{"replicas":6}}'
expect_exit 0 kubectl --context=kind-workload-1 wait '--for=jsonpath={.status.readyReplicas}=6' replicaset "$stable_rs" --timeout=30s
expect_table misplaced.txt
expect_eq "$RC" 3 "exit code of a misplaced replica"
expect_exit 3 "${NR[@]}" verify-spread rollout-demo
expect_contains "$OUT" "error: rollout \"rollout-demo\" is not spread as expected: kind-workload-1 runs 6 of the expected 5: its copy asks for 6"
expect_eq "$(printf '%s\n' "$OUT" | grep -c '^error: ')" 1 "error lines"
# --tolerance accepts another remainder rule, not an extra replica.
expect_exit 3 "${NR[@]}" verify-spread rollout-demo --tolerance
expect_exit 3 "${NR[@]}" verify-spread rollout-demo -o yaml
expect_contains "$OUT" "verdict: Mismatch"
expect_exit 3 "${NR[@]}" status rollout-demo --verify-spread --watch=false
expect_contains "$OUT" "kind-workload-1 runs 6 of the expected 5"
expect_exit 4 "${NR[@]}" verify-spread rollout-demo --wait --timeout 1s
expect_contains "$OUT" "was not spread as expected within 1s: kind-workload-1 runs 6 of the expected 5"
# --wait succeeds once Nova puts the copy back.
start_bg wait "${NR[@]}" verify-spread rollout-demo --wait --timeout 60s
wait_until 10 grep -q "^waiting: kind-workload-1 runs 6 of the expected 5" "$TEST_TMP/wait.out"
expect_exit 0 sim_ctl resume nova
rc=0
wait_bg "$BG_PID" 60 || rc=$?
expect_eq "$rc" 0 "verify-spread --wait once Nova converged (output: $(cat "$TEST_TMP/wait.out"))"
expect_contains "$(cat "$TEST_TMP/wait.out")" "spread as expected"

# --- A pod that cannot start in one cluster: the new image cannot be pulled in kind-workload-2. ---
expect_exit 0 sim_ctl pull-fail kind-workload-2 argoproj/rollouts-demo:yellow
expect_exit 0 "${NR[@]}" set image rollout-demo main=argoproj/rollouts-demo:yellow
wait_until 60 bash -c "\"\$NOVA_ROLLOUTS_BIN\" --context=nova verify-spread rollout-demo | grep -q ImagePullBackOff"
expect_exit 3 "${NR[@]}" verify-spread rollout-demo
canary_hash=$("${CP[@]}" get rollout rollout-demo -o 'jsonpath={.status.currentPodHash}')
canary_pod=$(kubectl --context=kind-workload-2 get pods -l rollouts-pod-template-hash="$canary_hash" -o 'jsonpath={.items[0].metadata.name}')
expect_contains "$OUT" "kind-workload-2 runs 0 of the expected 1: pod $canary_pod is Pending (ImagePullBackOff)"
expect_contains "$OUT" "✔ Match"
# The image pulls again: the pod starts and the spread is as expected.
expect_exit 0 sim_ctl pull-fail kind-workload-2
expect_exit 0 "${NR[@]}" verify-spread rollout-demo --wait --timeout 60s

# --- A dead cluster: exit 5, naming it; what could be read is still shown. ---
expect_exit 0 sim_ctl down kind-workload-2
expect_exit 5 "${NR[@]}" verify-spread rollout-demo
expect_contains "$OUT" "error: incomplete: kind-workload-2 could not be read"
expect_contains "$OUT" "⚠ Unknown"
expect_contains "$OUT" "spread incomplete: kind-workload-2 could not be read"
expect_exit 0 sim_ctl up kind-workload-2
expect_exit 0 "${NR[@]}" verify-spread rollout-demo --wait --timeout 30s

# --- A cluster put in standby by Nova: its replicas move away, and it is named as excluded. ---
expect_exit 0 "${CP[@]}" patch cluster kind-workload-2 --type=json \
    -p '[{"op":"replace","path":"/status/conditions/0/status","value":"False"},{"op":"replace","path":"/status/conditions/2/status","value":"True"}]'
expect_exit 0 "${NR[@]}" verify-spread rollout-demo --wait --timeout 60s
expect_contains "$OUT" "excluded: kind-workload-2 is Standby (Ready=False"
expect_contains "$OUT" "canary  kind-workload-2  0         0        0      ✔ Match"

# --- Two policies selecting the rollout's ReplicaSets: Nova places them nowhere; a mismatch. ---
sed 's/^  name: rollouts-demo-policy$/  name: rollouts-demo-policy-2/' "$POLICY" >"$TEST_TMP/policy-2.yaml"
expect_exit 0 "${CP[@]}" create -f "$TEST_TMP/policy-2.yaml"
expect_exit 3 "${NR[@]}" verify-spread rollout-demo
expect_contains "$OUT" "SchedulePolicies rollouts-demo-policy, rollouts-demo-policy-2 all select ReplicaSet"
expect_exit 0 "${CP[@]}" delete schedulepolicy rollouts-demo-policy-2

# --- Usage and not found. ---
expect_exit 2 "${NR[@]}" verify-spread
expect_exit 1 "${NR[@]}" verify-spread no-such-rollout
expect_contains "$OUT" 'rollout.argoproj.io "no-such-rollout" not found'

stop_sim
