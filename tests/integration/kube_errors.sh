#!/usr/bin/env bash
# lib/kube's handling of replies that are not API responses and of broken connections, against
# nova-sim's fault switches, driven by kube-probe: a 500 with a text body and an HTML 502 give
# one clear line with the HTTP code; Warning headers are printed once on stderr as kubectl does;
# a connection reset before any response is retried for a GET and never for a write.
# (429 and Status errors are in kube_retries.sh.)
source "$(dirname "$0")/lib.sh"
[ -n "${KUBE_PROBE_BIN:-}" ] || skip "KUBE_PROBE_BIN is not set (run through CTest)"
probe() { "$KUBE_PROBE_BIN" "$@"; }

start_sim
ns=/api/v1/namespaces/default
server=$(kubeconfig_field '{.clusters[?(@.name=="nova")].cluster.server}')
host=${server#https://}

# --- a 500 with a text body ------------------------------------------------------------------
expect_exit 0 sim_ctl fail nova 1 500 --text
expect_exit 1 probe --context nova get "$ns"
expect_eq "$OUT" "nova error: from server (InternalError): an error on the server (\"upstream exploded\") has prevented the request from succeeding (HTTP 500 from $host)" \
    "message for a 500 with a text body"

# --- an HTML 502 from a proxy: the code, not the page -----------------------------------------
expect_exit 0 sim_ctl fail nova 1 502 --html
expect_exit 1 probe --context nova get "$ns"
expect_eq "$OUT" "nova error: the server $host answered HTTP 502 (Bad Gateway) with an HTML page instead of a Kubernetes API response" \
    "message for an HTML 502"
# With a Retry-After it is retried like any 5xx, and the second attempt succeeds.
expect_exit 0 sim_ctl fail nova 1 502 --html --retry-after 1
expect_exit 0 probe --context nova get "$ns"
expect_contains "$OUT" "nova 200 {"

# --- Warning headers: on stderr, "Warning: TEXT", each text once per process ------------------
expect_exit 0 sim_ctl warn nova 10 "policy/v1beta1 PodSecurityPolicy is deprecated"
"$KUBE_PROBE_BIN" --context nova --rounds 2 get "$ns" get "$ns" get /api \
    >"$TEST_TMP/warn.out" 2>"$TEST_TMP/warn.err" || fail "the requests with warnings failed"
expect_eq "$(cat "$TEST_TMP/warn.err")" "Warning: policy/v1beta1 PodSecurityPolicy is deprecated" \
    "stderr with 6 responses carrying the same warning"
expect_not_contains "$(cat "$TEST_TMP/warn.out")" "Warning" "stdout"
expect_exit 0 sim_ctl warn nova 0

# --- a connection reset before any response ---------------------------------------------------
# A GET is sent again (at -v=6 the retry is logged), and succeeds.
sim_ctl requests nova --clear >/dev/null
expect_exit 0 sim_ctl fail nova 1 reset
expect_exit 0 probe --context nova -v=6 get "$ns"
expect_contains "$OUT" "nova 200 {"
expect_contains "$OUT" "GET $server$ns failed in "
expect_contains "$OUT" "retrying GET $server$ns in 1s (retry 1 of 10)"
expect_exit 0 sim_ctl requests nova --clear
expect_eq "$(grep -c '"code":0,' <<<"$OUT")" 1 "reset requests"
expect_eq "$(tail -n 1 <<<"$OUT" | grep -c '"method":"GET".*"code":200,')" 1 "the retried GET"

# A write may have reached the server: it fails, once, with a clear message, and is not sent
# again (nova-sim did not carry it out: the namespace does not exist).
expect_exit 0 sim_ctl fail nova 1 reset
expect_exit 1 probe --context nova post /api/v1/namespaces \
    '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"after-reset"}}'
expect_eq "$OUT" "nova error: unable to connect to the server $host: Empty reply from server" \
    "message for a reset POST"
expect_exit 0 sim_ctl requests nova --clear
expect_eq "$(grep -c '"method":"POST"' <<<"$OUT")" 1 "POSTs sent"
expect_exit 1 probe --context nova get /api/v1/namespaces/after-reset
expect_contains "$OUT" 'namespaces "after-reset" not found'
