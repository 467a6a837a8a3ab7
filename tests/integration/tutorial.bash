# The tutorial's installation, shared by the tests that walk it against
# `nova-sim run --controllers` (sourced after lib.sh; not a test itself):
#
#   install_tutorial [ANALYSIS_TEMPLATE_FILE]
#
# installs Argo Rollouts (CRDs in the control plane, the controller in kind-cp's elotl
# namespace), the analysis template (the example's, or the given file), the base Deployment, the
# SchedulePolicy through envsubst, the Services and the Rollout, and waits until the rollout is
# Healthy with its 10 replicas available.
: "${NOVA_TESTS_DIR:?}"
EXAMPLES="$NOVA_TESTS_DIR/../examples/argo-rollouts"
command -v envsubst >/dev/null 2>&1 || skip "envsubst is not installed (Debian package gettext-base)"
export NOVA_WORKLOAD_CLUSTER_1=kind-workload-1
export NOVA_WORKLOAD_CLUSTER_2=kind-workload-2
CP=(kubectl --context=nova)
HOST=(kubectl --context=kind-cp)
NR=("$NOVA_ROLLOUTS_BIN" --context=nova)
POLICY="$TEST_TMP/schedule_policy_canary.yaml" # the SchedulePolicy after envsubst

install_tutorial() {
    local template=${1:-$EXAMPLES/analysis_template.yaml}
    expect_exit 0 "${HOST[@]}" create namespace elotl
    expect_exit 0 "${CP[@]}" apply -f "$EXAMPLES/crds.yaml"
    expect_exit 0 "${HOST[@]}" create -f "$EXAMPLES/argo-rollouts.yaml" -n elotl
    expect_exit 0 "${HOST[@]}" wait --for=condition=available -n elotl deployment argo-rollouts --timeout=60s
    expect_exit 0 "${CP[@]}" create -f "$template"
    expect_exit 0 "${CP[@]}" create -f "$EXAMPLES/base-deploy.yaml"
    envsubst <"$EXAMPLES/schedule_policy_canary.yaml" >"$POLICY" || fail "envsubst failed"
    expect_exit 0 "${CP[@]}" create -f "$POLICY"
    expect_exit 0 "${CP[@]}" create -f "$EXAMPLES/services-canary.yaml"
    expect_exit 0 "${CP[@]}" create -f "$EXAMPLES/rollout_prod_canary.yaml"
    wait_until 10 bash -c '[ -n "$(kubectl --context=nova get replicaset -l app=rollouts-demo -o name)" ]'
    expect_exit 0 "${CP[@]}" wait '--for=jsonpath={.status.availableReplicas}'=10 replicaset -l app=rollouts-demo --timeout=60s
    wait_until 30 bash -c "[ \"\$(kubectl --context=nova get rollout rollout-demo -o 'jsonpath={.status.phase}')\" = Healthy ]"
}
