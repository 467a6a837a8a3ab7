#!/usr/bin/env bash
# The tutorial's second scenario against `nova-sim run --controllers`: the analysis of the canary
# fails, so the simulated argo-rollouts controller aborts the update (Degraded, canary scaled to
# 0, the stable pods back to 5+5); `retry` restarts the steps and a passing analysis lets the
# canary go on. Then the tutorial's cleanup, and nothing of the app may be left anywhere.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tutorial.bash"
CLUSTERS=(kind-workload-1 kind-workload-2)

# "PHASE STEP_INDEX" of the rollout (for wait_until).
rollout_is() {
    [ "$(kubectl --context=nova get rollout rollout-demo \
        -o 'jsonpath={.status.phase} {.status.currentStepIndex}')" = "$1" ]
}
# True when `kubectl --context=$1 get $2 ...` lists nothing.
none_left() {
    local context=$1
    shift
    [ -z "$(kubectl --context="$context" get "$@" -o name)" ]
}

start_sim --controllers --time-scale 20 --pod-start 2s
export KUBECONFIG

# --- The tutorial's installation, with a template whose analysis can fail. ---
# The tutorial's template tolerates one failed measurement (failureLimit 1, count 1): with
# failureLimit 0 a single failed Job fails the run, as in argo.
template="$TEST_TMP/analysis_template.yaml"
sed 's/failureLimit: 1/failureLimit: 0/' "$EXAMPLES/analysis_template.yaml" >"$template"
grep -q 'failureLimit: 0' "$template" || fail "the template's failureLimit was not rewritten"
install_tutorial "$template"

# --- A new version whose analysis fails: both Job copies (one per cluster) fail. ---
expect_exit 0 sim_ctl analysis fail-next 2
expect_exit 0 "${NR[@]}" set image rollout-demo main=argoproj/rollouts-demo:blue
wait_until 60 rollout_is 'Paused 1'
expect_exit 0 "${NR[@]}" promote rollout-demo
wait_until 60 bash -c "kubectl --context=nova get analysisrun -l step-index=2 -o 'jsonpath={.items[*].status.phase}' | grep -qw Failed"
wait_until 60 rollout_is 'Degraded 0'
expect_eq "$("${CP[@]}" get rollout rollout-demo -o 'jsonpath={.status.abort}')" true "status.abort"
expect_contains "$("${CP[@]}" get rollout rollout-demo -o 'jsonpath={.status.message}')" "RolloutAborted"
# The canary is scaled to 0 and the stable ReplicaSet is back to 5 pods per cluster.
wait_until 60 bash -c "[ \"\$(kubectl --context=nova get rollout rollout-demo -o 'jsonpath={.status.availableReplicas}')\" = 10 ]"
wait_until 30 bash -c '"$NOVA_ROLLOUTS_BIN" --context=nova get rollout rollout-demo | grep -q "kind-workload-2  ✔ Ready  stable:5/5  canary:0/0"'
expect_exit 3 "${NR[@]}" status rollout-demo --watch=false
expect_exit 0 "${NR[@]}" get rollout rollout-demo
expect_contains "$OUT" "Degraded"
expect_contains "$OUT" "kind-workload-1  ✔ Ready  stable:5/5  canary:0/0  ready:5/5"
expect_contains "$OUT" "kind-workload-2  ✔ Ready  stable:5/5  canary:0/0  ready:5/5"
for cluster in "${CLUSTERS[@]}"; do
    wait_until 30 bash -c "[ \"\$(kubectl --context=$cluster get pods -l app=rollouts-demo -o name | wc -l)\" = 5 ]"
done

# --- retry: the analysis passes now; the steps restart at 1/5, then promote reaches 4/5. ---
expect_exit 0 sim_ctl analysis fail-next 0
expect_exit 0 "${NR[@]}" retry rollout rollout-demo
wait_until 60 rollout_is 'Paused 1'
expect_exit 0 "${NR[@]}" get rollout rollout-demo
expect_contains "$OUT" "1/5"
expect_contains "$OUT" "kind-workload-1  ✔ Ready  stable:4/4  canary:1/1  ready:5/5"
expect_contains "$OUT" "kind-workload-2  ✔ Ready  stable:4/4  canary:1/1  ready:5/5"
expect_exit 0 "${NR[@]}" promote rollout-demo
wait_until 90 rollout_is 'Paused 4'
wait_until 30 bash -c "kubectl --context=nova get analysisrun -l step-index=2 -o 'jsonpath={.items[*].status.phase}' | grep -qw Successful"
expect_exit 0 "${NR[@]}" get rollout rollout-demo
expect_contains "$OUT" "4/5"
expect_contains "$OUT" "Successful"

# --- The tutorial's cleanup. ---
expect_exit 0 "${CP[@]}" delete -f "$EXAMPLES/rollout_prod_canary.yaml"
expect_exit 0 "${CP[@]}" delete -f "$EXAMPLES/services-canary.yaml"
expect_exit 0 "${CP[@]}" delete -f "$template"
expect_exit 0 "${CP[@]}" delete -f "$EXAMPLES/base-deploy.yaml"
expect_exit 0 "${CP[@]}" delete -f "$POLICY"
for context in nova "${CLUSTERS[@]}"; do
    for kind in replicasets pods services jobs; do
        wait_until 15 none_left "$context" "$kind" -l app=rollouts-demo
    done
    wait_until 15 none_left "$context" deployments --field-selector metadata.name=rollouts-demo
done
wait_until 15 none_left nova analysisruns -l app=rollout-demo
expect_exit 0 "${CP[@]}" delete -f "$EXAMPLES/crds.yaml"
expect_exit 0 "${HOST[@]}" delete -f "$EXAMPLES/argo-rollouts.yaml" -n elotl

stop_sim
