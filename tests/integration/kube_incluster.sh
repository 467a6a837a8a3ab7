#!/usr/bin/env bash
# lib/kube's in-cluster configuration against nova-sim, driven by kube-probe: with
# KUBERNETES_SERVICE_HOST/PORT and a service-account directory (nova-sim's, or a copy with
# another namespace) and no kubeconfig, requests go to the service address with the service
# account's token and CA; the namespace comes from -n, POD_NAMESPACE, the namespace file, in
# kubectl's order, also when a kubeconfig is used; the token never reaches -v=9 output.
source "$(dirname "$0")/lib.sh"
[ -n "${KUBE_PROBE_BIN:-}" ] || skip "KUBE_PROBE_BIN is not set (run through CTest)"

start_sim
kubeconfig=$KUBECONFIG
unset KUBECONFIG # $HOME/.kube/config does not exist either: no kubeconfig at all
unset POD_NAMESPACE KUBERNETES_SERVICE_HOST KUBERNETES_SERVICE_PORT # should CI run in a pod
port=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["nova"])' "$SIM_DIR/ports.json")
sa="$TEST_TMP/serviceaccount"
cp -r "$SIM_DIR/serviceaccount" "$sa"
printf 'team-a\n' >"$sa/namespace"
# A pod's view: the service's address and the mounted service-account files.
pod() {
    env KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT="$port" \
        "$KUBE_PROBE_BIN" --service-account-dir "$sa" --show-config "$@"
}
ns=/api/v1/namespaces/default

# --- no kubeconfig: the in-cluster configuration ----------------------------------------------
sim_ctl requests nova --clear >/dev/null
expect_exit 0 pod get "$ns"
expect_contains "$OUT" "config context= server=https://127.0.0.1:$port namespace=team-a"
expect_contains "$OUT" "(no context) 200 {"
expect_exit 0 sim_ctl requests nova --clear
expect_contains "$OUT" '"user":"system:serviceaccount:default:nova","auth":"bearer"' "request log"

# nova-sim's own directory says `default`.
expect_exit 0 env KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT="$port" \
    "$KUBE_PROBE_BIN" --service-account-dir "$SIM_DIR/serviceaccount" --show-config get "$ns"
expect_contains "$OUT" "namespace=default"

# --- the namespace: -n, then POD_NAMESPACE, then the namespace file ---------------------------
expect_exit 0 pod -n flag-ns get "$ns"
expect_contains "$OUT" "namespace=flag-ns"
expect_exit 0 env POD_NAMESPACE=pod-ns KUBERNETES_SERVICE_HOST=127.0.0.1 \
    KUBERNETES_SERVICE_PORT="$port" "$KUBE_PROBE_BIN" --service-account-dir "$sa" --show-config \
    get "$ns"
expect_contains "$OUT" "namespace=pod-ns"

# A kubeconfig with a current context wins over in-cluster, but a context without a namespace
# still takes the service account's (kubectl does the same).
expect_exit 0 env KUBECONFIG="$kubeconfig" KUBERNETES_SERVICE_HOST=127.0.0.1 \
    KUBERNETES_SERVICE_PORT="$port" "$KUBE_PROBE_BIN" --service-account-dir "$sa" \
    --show-config --context kind-workload-1 get "$ns"
expect_contains "$OUT" "config context=kind-workload-1 server=https://127.0.0.1:"
expect_contains "$OUT" "namespace=team-a"
expect_contains "$OUT" "kind-workload-1 200 {"

# Without the service's environment there is no in-cluster configuration, whatever the files.
expect_exit 0 env KUBECONFIG="$kubeconfig" "$KUBE_PROBE_BIN" --service-account-dir "$sa" \
    --show-config get "$ns"
expect_contains "$OUT" "config context=nova server=https://127.0.0.1:$port namespace=default"

# --- the in-cluster CA is the one trusted: another CA's file fails verification ---------------
command -v openssl >/dev/null || skip "openssl is not installed"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TEST_TMP/other.key" -out "$sa/ca.crt" \
    -days 1 -subj /CN=other-ca >/dev/null 2>&1 || fail "cannot make a test CA"
expect_exit 1 pod get "$ns"
expect_contains "$OUT" "certificate verification failed"
cp "$SIM_DIR/serviceaccount/ca.crt" "$sa/ca.crt"

# --- the service account's token never reaches -v=9 output -----------------------------------
token=$(cat "$sa/token")
[ -n "$token" ] || fail "the service-account token is empty"
log=$(pod -v=9 get "$ns" 2>&1 >/dev/null) || fail "the in-cluster request failed at -v=9"
expect_contains "$log" "Authorization: Bearer <masked>" "-v=9 log"
expect_not_contains "$log" "$token" "-v=9 log"
