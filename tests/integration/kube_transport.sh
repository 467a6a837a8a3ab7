#!/usr/bin/env bash
# lib/kube's transport over TLS against nova-sim, driven by kube-probe: token and client
# certificate auth, several servers in one concurrent round, a dead server (refused, or silent)
# failing fast while the others answer, CA verification, insecure-skip-tls-verify,
# tls-server-name, --request-timeout, and no secret in -v=9 output.
source "$(dirname "$0")/lib.sh"
[ -n "${KUBE_PROBE_BIN:-}" ] || skip "KUBE_PROBE_BIN is not set (run through CTest)"
probe() { "$KUBE_PROBE_BIN" "$@"; }
now_ms() { date +%s%3N; }

start_sim
ns=/api/v1/namespaces/default

# --- token, client certificate -------------------------------------------------------------
expect_exit 0 probe --context nova get "$ns"
expect_contains "$OUT" 'nova 200 {'
expect_contains "$OUT" '"name":"default"'
expect_exit 0 probe --context nova-cert get "$ns"
expect_contains "$OUT" 'nova-cert 200 {'

# --- one round, several servers, one line per request in order ------------------------------
expect_exit 0 probe --context nova --also-context kind-workload-1 --also-context kind-workload-2 \
    get "$ns" get /api
expect_eq "$(grep -c ' 200 ' <<<"$OUT")" 6 "successful results"
expect_eq "$(sed -n 3p <<<"$OUT" | cut -d' ' -f1)" kind-workload-1 "third result's context"

# --- API errors keep kubectl's substance ------------------------------------------------------
expect_exit 1 probe --context nova get /api/v1/namespaces/nope
expect_contains "$OUT" 'nova error: from server (NotFound): namespaces "nope" not found'
expect_exit 1 probe --context nova --token wrong get "$ns"
expect_contains "$OUT" 'error: You must be logged in to the server (Unauthorized)'

# --- a dead workload server fails fast and never delays the others --------------------------
expect_exit 0 sim_ctl down kind-workload-1
start=$(now_ms)
expect_exit 1 probe --context nova --also-context kind-workload-1 --also-context kind-workload-2 \
    get "$ns"
elapsed=$(($(now_ms) - start))
expect_contains "$OUT" 'nova 200 {'
expect_contains "$OUT" 'kind-workload-2 200 {'
expect_contains "$OUT" "kind-workload-1 error: the connection to the server 127.0.0.1:"
expect_contains "$OUT" "was refused - did you specify the right host or port?"
[ "$elapsed" -lt 3000 ] || fail "a refused server took ${elapsed} ms (not retried, should be instant)"
expect_exit 0 sim_ctl up kind-workload-1

# A server that accepts TCP but never answers: all its requests fail at the connect timeout
# (5 s) together, not one after the other, and the live server's requests still succeed.
hole_port_file="$TEST_TMP/hole.port"
start_bg hole python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
time.sleep(600)' "$hole_port_file"
wait_until 10 test -s "$hole_port_file"
hole="https://127.0.0.1:$(cat "$hole_port_file")"
start=$(now_ms)
expect_exit 1 probe --context kind-workload-1 --server "$hole" --also-context nova \
    get "$ns" get /api get /apis
elapsed=$(($(now_ms) - start))
expect_eq "$(grep -c '^nova 200 ' <<<"$OUT")" 3 "live server's results"
expect_eq "$(grep -c "error: unable to connect to the server 127.0.0.1:" <<<"$OUT")" 3 \
    "silent server's errors"
[ "$elapsed" -lt 9000 ] || fail "3 requests to a silent server took ${elapsed} ms (one connect timeout expected)"

# --- CA verification ------------------------------------------------------------------------
command -v openssl >/dev/null || skip "openssl is not installed"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TEST_TMP/other.key" -out "$TEST_TMP/other.crt" \
    -days 1 -subj /CN=other-ca >/dev/null 2>&1 || fail "cannot make a test CA"
expect_exit 1 probe --context nova --certificate-authority "$TEST_TMP/other.crt" get "$ns"
expect_contains "$OUT" "nova error: unable to connect to the server 127.0.0.1:"
expect_contains "$OUT" "certificate verification failed"
# Both flags: a CA with insecure, rejected as client-go does.
expect_exit 1 probe --context nova --certificate-authority "$TEST_TMP/other.crt" \
    --insecure-skip-tls-verify get "$ns"
expect_contains "$OUT" "specifying a root certificates file with the insecure flag is not allowed"
expect_exit 0 probe --context nova --insecure-skip-tls-verify get "$ns"
expect_contains "$OUT" 'nova 200 {'

# tls-server-name: the certificate is checked against that name, the connection goes to the
# server's address (the certificate covers localhost and 127.0.0.1 only).
expect_exit 0 probe --context nova --tls-server-name localhost get "$ns"
expect_exit 1 probe --context nova --tls-server-name wrong.example get "$ns"
expect_contains "$OUT" "certificate verification failed"
expect_contains "$OUT" "wrong.example"

# --- --request-timeout: the deadline, and kubectl's timeout= parameter ----------------------
sim_ctl requests nova --clear >/dev/null
expect_exit 0 sim_ctl latency nova 3s
start=$(now_ms)
expect_exit 1 probe --context nova --request-timeout 1s get "$ns"
elapsed=$(($(now_ms) - start))
expect_contains "$OUT" "nova error: the server 127.0.0.1:"
expect_contains "$OUT" "did not answer within 1s (GET $ns)"
[ "$elapsed" -lt 2500 ] || fail "a 1s request timeout took ${elapsed} ms"
expect_exit 0 sim_ctl latency nova 0
expect_exit 0 probe --context nova --request-timeout 5s get "$ns"
expect_exit 0 sim_ctl requests nova
expect_contains "$OUT" "$ns?timeout=5s" "request log"

# --- secrets never reach -v=9 output ----------------------------------------------------------
# Only the log (stderr) is checked: stdout is the data asked for, as with kubectl get -o json.
log_of() { "$KUBE_PROBE_BIN" "$@" 2>&1 >/dev/null || true; }
token=$(kubeconfig_field '{.users[?(@.name=="nova")].user.token}')
[ -n "$token" ] || fail "no token for user nova in the kubeconfig"
log=$(log_of --context nova -v=9 get "$ns" post /api/v1/namespaces \
    '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"v9"},"token":"body-secret"}')
expect_contains "$log" "Authorization: Bearer <masked>" "-v=9 log"
expect_contains "$log" "GET https://127.0.0.1:" "-v=9 log"
expect_contains "$log" 'Request Body: {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"v9"},"token":"<masked>"}' "-v=9 log"
expect_contains "$log" "Response Body: " "-v=9 log"
expect_not_contains "$log" "$token" "-v=9 log"
expect_not_contains "$log" "body-secret" "-v=9 log"
log=$(log_of --context nova-cert -v=9 get "$ns")
expect_contains "$log" "GET https://127.0.0.1:" "-v=9 log"
expect_not_contains "$log" "PRIVATE KEY" "-v=9 log"
log=$(log_of --context nova --token wrong-secret-token -v=9 get "$ns")
expect_contains "$log" "401 Unauthorized" "-v=9 log"
expect_not_contains "$log" "wrong-secret-token" "-v=9 log of a failure"
