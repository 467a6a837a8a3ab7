#!/usr/bin/env bash
# nova-sim starts, writes a kubeconfig with every context, and each server answers real kubectl.
source "$(dirname "$0")/lib.sh"

start_sim

# The kubeconfig: every context, current context nova, private to the user.
expect_exit 0 kubectl config get-contexts -o name
expect_eq "$(sort <<<"$OUT" | tr '\n' ' ')" \
    "kind-cp kind-workload-1 kind-workload-2 nova nova-basic nova-cert " "contexts"
expect_eq "$(kubectl config current-context)" "nova" "current context"
expect_eq "$(stat -c %a "$KUBECONFIG")" "600" "kubeconfig mode"
expect_eq "$(stat -c %a "$SIM_DIR/control.json")" "600" "control.json mode"
expect_eq "$(cat "$SIM_DIR/ready")" "$SIM_PID" "DIR/ready (nova-sim's pid)"
expect_eq "$(stat -c %a "$SIM_DIR/serviceaccount/token")" "600" "serviceaccount/token mode"
[ -s "$SIM_DIR/ports.json" ] || fail "DIR/ports.json is missing"

# Every server has its own port and its own token.
servers=$(kubeconfig_field '{range .clusters[*]}{.cluster.server}{"\n"}{end}')
expect_eq "$(sort -u <<<"$servers" | wc -l)" "4" "distinct server URLs"
tokens=$(kubeconfig_field '{range .users[*]}{.user.token}{"\n"}{end}' | sed '/^$/d')
expect_eq "$(sort -u <<<"$tokens" | wc -l)" "4" "distinct tokens"

# The control plane lists one Cluster per workload cluster, Ready, with Nova's labels.
expect_exit 0 kubectl --context nova get clusters -o name
expect_eq "$OUT" "cluster.cluster.elotl.co/kind-workload-1
cluster.cluster.elotl.co/kind-workload-2" "clusters"
expect_exit 0 kubectl --context nova get clusters
expect_contains "$OUT" "kind-workload-1"
expect_exit 0 kubectl --context nova get cluster kind-workload-1 \
    -o 'jsonpath={.spec.name} {.metadata.labels.kubernetes\.io/metadata\.name} {.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Standby")].status}'
expect_eq "$OUT" "kind-workload-1 kind-workload-1 True False" "kind-workload-1"
expect_exit 0 kubectl --context nova get clusters -l nova.elotl.co/cluster.region=us-west-2 -o name
expect_eq "$OUT" "cluster.cluster.elotl.co/kind-workload-2" "clusters in us-west-2"

# Every other server answers too, and holds no Cluster objects.
for context in kind-cp kind-workload-1 kind-workload-2 nova-cert nova-basic; do
    expect_exit 0 kubectl --context "$context" get ns
    expect_contains "$OUT" "default" "namespaces of $context"
done

# ctl status names every server, up.
expect_exit 0 sim_ctl status
for context in nova kind-cp kind-workload-1 kind-workload-2; do
    expect_contains "$OUT" "$context" "ctl status"
done
expect_not_contains "$OUT" "down" "ctl status"

# A second nova-sim on the same directory refuses to start rather than take it over.
expect_exit 1 timeout 20 "$NOVA_SIM_BIN" run --dir "$SIM_DIR"
expect_eq "$OUT" "error: nova-sim already runs with --dir $SIM_DIR (pid $SIM_PID)" "second nova-sim"
expect_exit 0 kubectl --context nova get ns

# Nothing nova-sim prints carries a secret.
for token in $tokens; do
    expect_not_contains "$(cat "$SIM_LOG")" "$token" "nova-sim's output"
done
expect_not_contains "$(cat "$SIM_LOG")" "PRIVATE KEY" "nova-sim's output"
expect_not_contains "$(cat "$SIM_LOG")" \
    "$(kubeconfig_field '{.users[?(@.name=="nova-basic")].user.password}')" "nova-sim's output"
expect_not_contains "$(cat "$SIM_LOG")" "$(cat "$SIM_DIR/serviceaccount/token")" "nova-sim's output"

stop_sim
