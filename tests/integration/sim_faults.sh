#!/usr/bin/env bash
# nova-sim's fault switches, flipped with `nova-sim ctl` while kubectl talks to it: down/up on the
# same port, failing requests (503, 429 with Retry-After, the apiserver's 403 and 409, only for one
# method or path suffix), latency, dropped watches, and the request log.
#
# kubectl installations that dispatch on the server version (gcloud's) send an extra GET /version
# first, so the checks count only what they must: at least one failure, then recovery.
source "$(dirname "$0")/lib.sh"

start_sim --load "nova=$(dirname "$0")/../data/sim/demo-rollout.yaml"
server=$(kubeconfig_field '{.clusters[?(@.name=="nova")].cluster.server}')
namespaces=(get --raw /api/v1/namespaces)

# --- down, then up on the same port --------------------------------------------------------
expect_exit 0 sim_ctl down nova
expect_exit 1 kubectl --context nova "${namespaces[@]}"
expect_contains "$OUT" "refused"
expect_exit 0 kubectl --context kind-workload-1 "${namespaces[@]}" # the others are unaffected
expect_exit 0 sim_ctl status
expect_contains "$(grep '^nova ' <<<"$OUT")" "down" "ctl status of nova"
expect_exit 0 sim_ctl up nova
expect_contains "$OUT" "$server" "ctl up"
expect_exit 0 kubectl --context nova "${namespaces[@]}"
expect_exit 0 sim_ctl down nova
expect_exit 0 sim_ctl up nova
expect_exit 0 kubectl --context nova get ns

# --- fail the next 2 requests with 503 ------------------------------------------------------
sim_ctl requests nova --clear >/dev/null
expect_exit 0 sim_ctl fail nova 2 503
expect_exit 1 kubectl --context nova "${namespaces[@]}"
expect_contains "$OUT" "Error from server (ServiceUnavailable)"
recovered=""
for _ in 1 2 3; do
    if kubectl --context nova "${namespaces[@]}" >/dev/null 2>&1; then
        recovered=yes
        break
    fi
done
[ -n "$recovered" ] || fail "kubectl still fails after the 2 injected failures"
expect_exit 0 sim_ctl requests nova
expect_eq "$(grep -c '"code":503' <<<"$OUT")" "2" "requests answered 503"
expect_eq "$(tail -n 1 <<<"$OUT" | grep -c '"code":200')" "1" "last request answered 200"

# --- 429 with Retry-After: kubectl waits and retries by itself --------------------------------
sim_ctl requests nova --clear >/dev/null
expect_exit 0 sim_ctl fail nova 3 429
expect_exit 0 kubectl --context nova "${namespaces[@]}"
expect_exit 0 sim_ctl requests nova
expect_eq "$(grep -c '"code":429' <<<"$OUT")" "3" "requests answered 429"
expect_contains "$(tail -n 1 <<<"$OUT")" '"path":"/api/v1/namespaces"' "last request"
expect_contains "$(tail -n 1 <<<"$OUT")" '"code":200' "last request"

# --- 500, and clearing a pending failure with COUNT 0 ----------------------------------------
expect_exit 0 sim_ctl fail nova 5 500
expect_exit 1 kubectl --context nova "${namespaces[@]}"
expect_contains "$OUT" "InternalError"
expect_exit 0 sim_ctl fail nova 0 500
expect_exit 0 kubectl --context nova "${namespaces[@]}"

# --- 403 on PATCH only: GETs pass and do not use it up -----------------------------------------
fail_next() { # the pending failures of nova, from status -o json
    sim_ctl status -o json | python3 -c 'import json, sys; print(json.load(sys.stdin)["nova"]["failNext"])'
}
rollout=(--context nova -n default)
replicas='{"spec":{"replicas":2}}'
sim_ctl requests nova --clear >/dev/null
expect_exit 0 sim_ctl fail nova 1 403 --method patch
expect_eq "$OUT" "nova: the next 1 PATCH requests fail with 403" "ctl fail --method"
expect_exit 0 sim_ctl status
expect_contains "$(grep '^nova ' <<<"$OUT")" "1 403 PATCH" "ctl status of nova"
expect_exit 0 sim_ctl status -o json
expect_contains "$OUT" '"failMethod": "PATCH"' "ctl status -o json"
expect_exit 0 kubectl "${rollout[@]}" get rollout demo
expect_exit 0 kubectl "${rollout[@]}" get rollout demo -o name
expect_eq "$(fail_next)" "1" "failures left after GETs"
expect_exit 1 kubectl "${rollout[@]}" patch rollout demo --type merge -p "$replicas"
expect_eq "$OUT" 'Error from server (Forbidden): rollouts.argoproj.io "demo" is forbidden: User "admin" cannot patch resource "rollouts" in API group "argoproj.io" in the namespace "default"' "kubectl patch"
expect_eq "$(fail_next)" "0" "failures left after the PATCH"
expect_exit 0 sim_ctl requests nova
expect_contains "$(grep '"method":"PATCH"' <<<"$OUT")" '"code":403' "logged PATCH"
expect_exit 0 kubectl "${rollout[@]}" patch rollout demo --type merge -p "$replicas"

# --- the status subresource only (kubectl GETs it before the PATCH: both filters) -----------
expect_exit 0 sim_ctl fail nova 1 403 --path-suffix /status --method PATCH
expect_eq "$OUT" "nova: the next 1 PATCH requests to paths ending in /status fail with 403" \
    "ctl fail --path-suffix"
expect_exit 0 kubectl "${rollout[@]}" patch rollout demo --type merge -p "$replicas"
expect_eq "$(fail_next)" "1" "failures left after patching the spec"
expect_exit 1 kubectl "${rollout[@]}" patch rollout demo --subresource status --type merge \
    -p '{"status":{"message":"paused"}}'
expect_contains "$OUT" 'Error from server (Forbidden): rollouts.argoproj.io "demo" is forbidden:'
expect_contains "$OUT" 'cannot patch resource "rollouts/status" in API group "argoproj.io"'
expect_eq "$(fail_next)" "0" "failures left after patching the status"

# --- a collection: no name in the message --------------------------------------------------
expect_exit 0 sim_ctl fail nova 1 403 --method GET --path-suffix /rollouts
expect_exit 1 kubectl "${rollout[@]}" get rollouts
expect_contains "$OUT" 'Error from server (Forbidden): rollouts.argoproj.io is forbidden: User "admin" cannot list resource "rollouts" in API group "argoproj.io" in the namespace "default"'

# --- 409 on PUT: the optimistic-lock conflict ------------------------------------------------
kubectl "${rollout[@]}" get rollout demo -o json >"$TEST_TMP/demo.json"
expect_exit 0 sim_ctl fail nova 1 409 --method PUT
expect_exit 1 kubectl "${rollout[@]}" replace -f "$TEST_TMP/demo.json"
expect_contains "$OUT" 'Error from server (Conflict)'
expect_contains "$OUT" 'Operation cannot be fulfilled on rollouts.argoproj.io "demo": the object has been modified; please apply your changes to the latest version and try again'
expect_exit 0 sim_ctl requests nova
expect_contains "$(grep '"method":"PUT"' <<<"$OUT")" '"code":409' "logged PUT"

# --- latency: a short request timeout expires, a long one does not ---------------------------
expect_exit 0 sim_ctl latency nova 3s
expect_exit 0 sim_ctl status
expect_contains "$(grep '^nova ' <<<"$OUT")" "3s" "ctl status of nova"
expect_exit 1 kubectl --context nova --request-timeout=1s "${namespaces[@]}"
grep -q -i -E 'deadline exceeded|timeout|timed out' <<<"$OUT" ||
    fail "kubectl did not report a timeout: $OUT"
expect_exit 0 kubectl --context kind-workload-1 --request-timeout=1s "${namespaces[@]}"
expect_exit 0 sim_ctl latency nova 0
expect_exit 0 kubectl --context nova --request-timeout=1s "${namespaces[@]}"

# --- drop-watches ends an open watch; so does down -------------------------------------------
start_bg watch kubectl --context nova get --raw '/api/v1/namespaces?watch=1'
watcher=$BG_PID
wait_until 10 grep -q '"ADDED"' "$TEST_TMP/watch.out"
is_running "$watcher" || fail "the watch ended before drop-watches"
expect_exit 0 sim_ctl drop-watches nova
wait_bg "$watcher" 10 || true

start_bg watch2 kubectl --context nova get --raw '/api/v1/namespaces?watch=1'
watcher=$BG_PID
wait_until 10 grep -q '"ADDED"' "$TEST_TMP/watch2.out"
expect_exit 0 sim_ctl down nova
wait_bg "$watcher" 10 || true
expect_exit 0 sim_ctl up nova

# --- the request log shows what kubectl sent -------------------------------------------------
sim_ctl requests nova --clear >/dev/null
expect_exit 0 kubectl --context nova -n default create configmap probe --from-literal=colour=blue
expect_exit 0 sim_ctl requests nova --clear
post=$(grep '"method":"POST"' <<<"$OUT") || fail "no POST in the request log: $OUT"
expect_contains "$post" '"path":"/api/v1/namespaces/default/configmaps' "logged POST"
expect_contains "$post" '"contentType":"application/json"' "logged POST"
expect_contains "$post" 'probe' "logged POST body"
expect_contains "$post" '"code":201' "logged POST"
expect_exit 0 sim_ctl requests nova
[ -z "$OUT" ] || fail "requests --clear left entries: $OUT"

# --- bad fault commands: one line, usage exit code -------------------------------------------
expect_exit 2 sim_ctl fail nova 2 404
expect_contains "$OUT" "error:"
expect_exit 2 sim_ctl fail nova 2 403 --method FETCH
expect_eq "$(wc -l <<<"$OUT")" "1" "lines of the --method error"
expect_contains "$OUT" "error:"
expect_exit 2 sim_ctl down nowhere
expect_eq "$OUT" 'error: unknown context "nowhere" (nova-sim serves nova, kind-cp, kind-workload-1, kind-workload-2)' "ctl down nowhere"
expect_exit 2 sim_ctl latency nova soon
expect_eq "$(wc -l <<<"$OUT")" "1" "lines of the latency error"
expect_contains "$OUT" "error:"

stop_sim
