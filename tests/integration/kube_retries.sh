#!/usr/bin/env bash
# lib/kube's retries and error messages against nova-sim's fault switches, driven by kube-probe:
# 429 with Retry-After retried until success, client-go's limit of 10 retries, 5xx without
# Retry-After not retried, writes never replayed blindly.
source "$(dirname "$0")/lib.sh"
[ -n "${KUBE_PROBE_BIN:-}" ] || skip "KUBE_PROBE_BIN is not set (run through CTest)"
probe() { "$KUBE_PROBE_BIN" "$@"; }
count_code() { grep -c "\"code\":$1" <<<"$OUT" || true; }

start_sim
ns=/api/v1/namespaces/default

# --- 429 then success: the wait is the server's Retry-After (1 s), in the loop ---------------
sim_ctl requests nova --clear >/dev/null
expect_exit 0 sim_ctl fail nova 3 429
expect_exit 0 probe --context nova --also-context kind-workload-1 get "$ns"
expect_contains "$OUT" 'nova 200 {'
expect_exit 0 sim_ctl requests nova --clear
expect_eq "$(count_code 429)" 3 "requests answered 429"
expect_eq "$(count_code 200)" 1 "requests answered 200"

# Writes are retried after 429 too: the server asked, and did nothing.
expect_exit 0 sim_ctl fail nova 1 429
expect_exit 0 probe --context nova post /api/v1/namespaces \
    '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"after-429"}}'
expect_exit 0 sim_ctl requests nova --clear
expect_eq "$(count_code 429)" 1 "POSTs answered 429"
expect_eq "$(count_code 201)" 1 "POSTs answered 201"

# --- at most 10 retries, then the server's message ------------------------------------------
expect_exit 0 sim_ctl fail nova 12 429
expect_exit 1 probe --context nova get "$ns"
expect_contains "$OUT" "nova error: from server (TooManyRequests): "
expect_exit 0 sim_ctl requests nova --clear
expect_eq "$(count_code 429)" 11 "attempts before giving up"
expect_exit 0 sim_ctl fail nova 0 429

# A deadline shorter than the Retry-After ends the retries at once, with the server's error.
expect_exit 0 sim_ctl fail nova 5 429
expect_exit 1 probe --context nova --request-timeout 500ms get "$ns"
expect_contains "$OUT" "from server (TooManyRequests)"
expect_exit 0 sim_ctl fail nova 0 429
sim_ctl requests nova --clear >/dev/null

# --- 5xx without Retry-After: one attempt, the Status message -------------------------------
expect_exit 0 sim_ctl fail nova 1 500
expect_exit 1 probe --context nova get "$ns"
expect_contains "$OUT" "nova error: from server (InternalError): Internal error occurred: injected"
expect_exit 0 sim_ctl fail nova 1 503
expect_exit 1 probe --context nova patch /api/v1/namespaces/default '{"metadata":{"labels":{"a":"b"}}}'
expect_contains "$OUT" "nova error: from server (ServiceUnavailable): "
expect_exit 0 sim_ctl requests nova --clear
expect_eq "$(count_code 500)" 1 "requests answered 500"
expect_eq "$(count_code 503)" 1 "requests answered 503"
expect_eq "$(grep -c . <<<"$OUT")" 2 "requests in all"
