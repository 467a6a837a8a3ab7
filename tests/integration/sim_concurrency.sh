#!/usr/bin/env bash
# Many concurrent clients: every open connection holds one of the server's workers, so 100 open
# watch streams must not starve ordinary requests, and drop-watches must end them all.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null 2>&1 || skip "curl is not installed"

start_sim
kubeconfig_field '{.clusters[?(@.name=="kind-workload-1")].cluster.certificate-authority-data}' |
    base64 -d >"$TEST_TMP/ca.crt"
server=$(kubeconfig_field '{.clusters[?(@.name=="kind-workload-1")].cluster.server}')
printf 'Authorization: Bearer %s\n' \
    "$(kubeconfig_field '{.users[?(@.name=="kind-workload-1")].user.token}')" >"$TEST_TMP/auth"

# One curl process, 100 parallel HTTP/1.1 connections, each a watch stream.
start_bg watches curl -sS --no-buffer --parallel --parallel-immediate --parallel-max 100 \
    --cacert "$TEST_TMP/ca.crt" -H "@$TEST_TMP/auth" \
    "$server/api/v1/namespaces?watch=1&n=[1-100]"
watches=$BG_PID
# Each stream starts with an ADDED event for every namespace; count the streams by "default".
streams_open() { [ "$(grep -o '"name":"default"' "$TEST_TMP/watches.out" | wc -l)" -ge 100 ]; }
wait_until 20 streams_open

# Ordinary requests still go through, several at once.
pids=()
for i in 1 2 3 4; do
    kubectl --context kind-workload-1 --request-timeout=20s get ns >"$TEST_TMP/get-$i.out" 2>&1 &
    pids+=($!)
done
for pid in "${pids[@]}"; do
    wait "$pid" || fail "kubectl get ns failed while 100 watches were open"
done

expect_exit 0 sim_ctl drop-watches kind-workload-1
wait_bg "$watches" 20 || true

stop_sim
