#!/usr/bin/env bash
# examples/argo-rollouts/ (the manifests of Elotl's "Argo Rollouts in multi-cluster environment"
# tutorial) through real kubectl against nova-sim, each file in the context the tutorial uses:
# the CRDs and every workload object in the Nova control plane, the controller in the hosting
# cluster's Nova namespace, and the SchedulePolicy rendered by envsubst first. Then the
# tutorial's cleanup, which deletes them again.
source "$(dirname "$0")/lib.sh"
: "${NOVA_TESTS_DIR:?}"
EXAMPLES="$NOVA_TESTS_DIR/../examples/argo-rollouts"
[ -d "$EXAMPLES" ] || fail "no examples directory at $EXAMPLES"
command -v envsubst >/dev/null 2>&1 || skip "envsubst is not installed (Debian package gettext-base)"

# The tutorial's variables, with nova-sim's context and cluster names.
export NOVA_NAMESPACE=elotl
export NOVA_CONTROLPLANE_CONTEXT=nova
export K8S_HOSTING_CLUSTER_CONTEXT=kind-cp
export NOVA_WORKLOAD_CLUSTER_1=kind-workload-1
export NOVA_WORKLOAD_CLUSTER_2=kind-workload-2
CP=(kubectl --context="$NOVA_CONTROLPLANE_CONTEXT")
HOST=(kubectl --context="$K8S_HOSTING_CLUSTER_CONTEXT")

# --- Only the SchedulePolicy is a template; no other file needs envsubst, outside comments. ---
for file in crds argo-rollouts analysis_template base-deploy services-canary rollout_prod_canary; do
    [ -f "$EXAMPLES/$file.yaml" ] || fail "missing example $file.yaml"
    # shellcheck disable=SC2016 # a literal ${
    if sed -e 's/^[[:space:]]*#.*$//' -e 's/[[:space:]]#.*$//' "$EXAMPLES/$file.yaml" | grep -nF '${'; then
        fail "$file.yaml has a \${…} placeholder outside its comments"
    fi
done
[ -f "$EXAMPLES/README.md" ] || fail "missing examples/argo-rollouts/README.md"

start_sim
export KUBECONFIG

# --- What a Nova installation leaves in place: the Nova namespace in the hosting cluster. ---
expect_exit 0 "${HOST[@]}" create namespace "$NOVA_NAMESPACE"

# --- Installing Argo Rollouts: the CRDs in the Nova control plane... ---
crds=(rollouts analysisruns analysistemplates clusteranalysistemplates experiments)
expect_exit 0 "${CP[@]}" apply -f "$EXAMPLES/crds.yaml"
for crd in "${crds[@]}"; do
    expect_contains "$OUT" "customresourcedefinition.apiextensions.k8s.io/$crd.argoproj.io created"
done
crd_refs=()
for crd in "${crds[@]}"; do crd_refs+=("crd/$crd.argoproj.io"); done
expect_exit 0 "${CP[@]}" wait --for condition=established --timeout=10s "${crd_refs[@]}"
expect_eq "$(grep -c 'condition met' <<<"$OUT")" 5 "established argo CRDs"
expect_exit 0 "${CP[@]}" get crd rollouts.argoproj.io -o 'jsonpath={.spec.scope} {.spec.versions[0].name} {.spec.versions[0].served} {.spec.versions[0].storage} {.spec.versions[0].subresources.scale.specReplicasPath} {.spec.versions[0].subresources.scale.statusReplicasPath}'
expect_eq "$OUT" "Namespaced v1alpha1 true true .spec.replicas .status.HPAReplicas" "the rollouts CRD"
expect_exit 0 "${CP[@]}" get crd clusteranalysistemplates.argoproj.io -o 'jsonpath={.spec.scope}'
expect_eq "$OUT" "Cluster" "scope of clusteranalysistemplates"

# --- ...and the controller in the hosting cluster, in the Nova namespace. ---
expect_exit 0 "${HOST[@]}" apply -f "$EXAMPLES/argo-rollouts.yaml" -n "$NOVA_NAMESPACE"
applied=$OUT
for object in serviceaccount/argo-rollouts role.rbac.authorization.k8s.io/argo-rollouts \
    rolebinding.rbac.authorization.k8s.io/argo-rollouts deployment.apps/argo-rollouts; do
    expect_contains "$applied" "$object created"
    expect_exit 0 "${HOST[@]}" get -n "$NOVA_NAMESPACE" "$object" -o name
    expect_eq "$OUT" "$object" "$object in the hosting cluster"
done
expect_exit 0 "${HOST[@]}" get -n "$NOVA_NAMESPACE" deployment argo-rollouts \
    -o 'jsonpath={.spec.template.spec.serviceAccountName} {.spec.template.spec.containers[0].env[?(@.name=="KUBECONFIG")].value} {.spec.template.spec.volumes[*].secret.secretName}'
expect_eq "$OUT" "argo-rollouts /etc/nova-config/kubeconfig/kubeconfig nova-kubeconfig nova-cert" \
    "the controller's service account, kubeconfig and Nova secrets"
expect_exit 1 "${CP[@]}" get -n "$NOVA_NAMESPACE" deployment argo-rollouts
expect_contains "$OUT" "NotFound" "the controller in the control plane"

# --- The AnalysisTemplate and the base Deployment in the Nova control plane. ---
expect_exit 0 "${CP[@]}" apply -f "$EXAMPLES/analysis_template.yaml"
expect_contains "$OUT" "analysistemplate.argoproj.io/http-benchmark created"
expect_exit 0 "${CP[@]}" apply -f "$EXAMPLES/base-deploy.yaml"
expect_contains "$OUT" "deployment.apps/rollouts-demo created"
expect_exit 0 "${CP[@]}" get analysistemplate http-benchmark -o 'jsonpath={.spec.args[0].name} {.spec.metrics[0].provider.job.spec.parallelism} {.spec.metrics[0].provider.job.metadata.labels.role}'
expect_eq "$OUT" "host 2 placeholder" "the AnalysisTemplate"
expect_exit 0 "${CP[@]}" get deployment rollouts-demo -n default -o 'jsonpath={.metadata.labels.base-template} {.spec.replicas} {.spec.template.spec.containers[0].image}'
expect_eq "$OUT" "yes 10 argoproj/rollouts-demo:green" "the base Deployment"

# --- The SchedulePolicy: rendered with envsubst, naming the clusters the control plane has. ---
expect_exit 0 "${CP[@]}" get clusters "$NOVA_WORKLOAD_CLUSTER_1" "$NOVA_WORKLOAD_CLUSTER_2" -o name
# The template uses exactly the tutorial's two variables (envsubst would blank any other).
expect_exit 0 envsubst --variables "$(cat "$EXAMPLES/schedule_policy_canary.yaml")"
expect_eq "$(sort -u <<<"$OUT" | tr '\n' ' ')" "NOVA_WORKLOAD_CLUSTER_1 NOVA_WORKLOAD_CLUSTER_2 " "variables of the policy template"
policy="$TEST_TMP/schedule_policy_canary.yaml"
envsubst <"$EXAMPLES/schedule_policy_canary.yaml" >"$policy" || fail "envsubst failed"
# shellcheck disable=SC2016 # a literal ${
if grep -nF '${' "$policy"; then
    fail "a \${…} placeholder is left after envsubst"
fi
expect_exit 0 "${CP[@]}" apply -f "$policy"
expect_contains "$OUT" "schedulepolicy.policy.elotl.co/rollouts-demo-policy created"
expect_exit 0 "${CP[@]}" get schedulepolicy rollouts-demo-policy \
    -o 'jsonpath={.spec.clusterSelector.matchExpressions[0].values[*]}|{.spec.spreadConstraints.spreadMode}|{.spec.groupBy.labelKey}|{.spec.resourceSelectors.labelSelectors[0].matchExpressions[*].key}'
expect_eq "$OUT" "kind-workload-1 kind-workload-2|Divide|role|app role base-template" "the SchedulePolicy"

# --- The Services and the Rollout in the Nova control plane. ---
expect_exit 0 "${CP[@]}" apply -f "$EXAMPLES/services-canary.yaml"
expect_contains "$OUT" "service/rollouts-demo-canary created"
expect_contains "$OUT" "service/rollouts-demo-stable created"
expect_exit 0 "${CP[@]}" get services -l app=rollouts-demo,role -o 'jsonpath={range .items[*]}{.metadata.name}={.spec.selector.role} {end}'
expect_eq "$OUT" "rollouts-demo-canary=canary rollouts-demo-stable=stable " "the Services"
expect_exit 0 "${CP[@]}" apply -f "$EXAMPLES/rollout_prod_canary.yaml"
expect_contains "$OUT" "rollout.argoproj.io/rollout-demo created"
expect_exit 0 "${CP[@]}" get rollout rollout-demo -n default \
    -o 'jsonpath={.spec.replicas} {.spec.workloadRef.name} {.spec.strategy.canary.canaryService} {.spec.strategy.canary.canaryMetadata.labels.role}/{.spec.strategy.canary.stableMetadata.labels.role} {.spec.strategy.canary.steps[*].setWeight} {.spec.strategy.canary.steps[2].analysis.templates[0].templateName}'
expect_eq "$OUT" "10 rollouts-demo rollouts-demo-canary canary/stable 20 60 http-benchmark" "the Rollout"
# The printer columns of crds.yaml.
expect_exit 0 "${CP[@]}" get rollouts
expect_contains "$(head -n 1 <<<"$OUT")" "DESIRED" "the Rollout table (printer columns)"

# --- Cleanup, as the tutorial does it. ---
expect_exit 0 "${CP[@]}" delete -f "$EXAMPLES/rollout_prod_canary.yaml"
expect_exit 0 "${CP[@]}" delete -f "$EXAMPLES/services-canary.yaml"
expect_exit 0 "${CP[@]}" delete -f "$EXAMPLES/analysis_template.yaml"
expect_exit 0 "${CP[@]}" delete -f "$EXAMPLES/base-deploy.yaml"
expect_exit 0 "${CP[@]}" delete -f "$policy"
expect_exit 0 "${CP[@]}" delete -f "$EXAMPLES/crds.yaml"
expect_exit 0 "${HOST[@]}" delete -f "$EXAMPLES/argo-rollouts.yaml" -n "$NOVA_NAMESPACE"
# shellcheck disable=SC2016 # expanded by the inner bash
wait_until 10 bash -c '[ -z "$(kubectl --context=nova get --ignore-not-found -o name -n default \
    rollouts.argoproj.io/rollout-demo service/rollouts-demo-canary service/rollouts-demo-stable \
    analysistemplates.argoproj.io/http-benchmark deployment/rollouts-demo \
    schedulepolicy/rollouts-demo-policy crd/rollouts.argoproj.io)" ]'
# shellcheck disable=SC2016 # expanded by the inner bash
wait_until 10 bash -c '[ -z "$(kubectl --context=kind-cp get --ignore-not-found -o name -n elotl \
    serviceaccount/argo-rollouts deployment/argo-rollouts)" ]'

stop_sim
