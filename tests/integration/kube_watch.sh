#!/usr/bin/env bash
# lib/kube's watches against nova-sim, driven by kube-probe: list then watch from the list's
# resourceVersion, several streams at once, a dropped stream resumed from the last
# resourceVersion without losing events, 410 Expired surfaced so that the caller re-lists
# (after an etcd-like compaction, and with a short event history), the deadline, SIGINT, the
# caller's timer (ticks without reconnecting) and relist watches (LIST inside watch(), first
# and after failures: a server down at the start, a 403, a 410).
source "$(dirname "$0")/lib.sh"
[ -n "${KUBE_PROBE_BIN:-}" ] || skip "KUBE_PROBE_BIN is not set (run through CTest)"
probe() { "$KUBE_PROBE_BIN" "$@"; }
namespaces=/api/v1/namespaces
create_ns() {
    probe --context "$1" post "$namespaces" \
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"$2\"}}" >/dev/null ||
        fail "cannot create namespace $2 in $1"
}
# Waits until the watch output names $2 (the watch has seen that event).
wait_for_event() { wait_until 10 grep -q "$2" "$TEST_TMP/$1.out"; }
# True once background watch $1 has listed $2 collections.
listed() { [ "$(grep -c ' LIST ' "$TEST_TMP/$1.out")" -ge "$2" ]; }

start_sim

# --- a dropped watch is resumed from the last resourceVersion -------------------------------
start_bg dropped "$KUBE_PROBE_BIN" --context nova watch "$namespaces" --events 3
wait_until 10 listed dropped 1
create_ns nova one
wait_for_event dropped 'ADDED one'
sim_ctl requests nova --clear >/dev/null
expect_exit 0 sim_ctl drop-watches nova
create_ns nova two # while the watch reconnects, or after: either way it must be seen
create_ns nova three
rc=0
wait_bg "$BG_PID" 20 || rc=$?
OUT=$(cat "$TEST_TMP/dropped.out")
[ "$rc" -eq 0 ] || fail "the watch exited with $rc:
$OUT"
expect_contains "$OUT" "nova ADDED one"
expect_contains "$OUT" "nova ADDED two"
expect_contains "$OUT" "nova ADDED three"
expect_eq "$(grep -c 'ADDED two' <<<"$OUT")" 1 "events for two (no duplicate after the resume)"
rv_one=$(awk '$2 == "ADDED" && $3 == "one" {print $4}' <<<"$OUT")
expect_exit 0 sim_ctl requests nova
# The stream was resumed from what it had seen: "one" or a later bookmark.
resumed=$(grep -o 'watch=true&resourceVersion=[0-9]*&allowWatchBookmarks=true' <<<"$OUT" |
    head -n 1 | sed 's/.*resourceVersion=\([0-9]*\).*/\1/')
[ -n "$resumed" ] || fail "no watch request after the drop in the request log:
$OUT"
[ "$resumed" -ge "$rv_one" ] || fail "resumed from $resumed, before the last event seen ($rv_one)"

# --- several streams, on several servers, at once -------------------------------------------
start_bg multi "$KUBE_PROBE_BIN" --context nova --also-context kind-workload-1 \
    --also-context kind-workload-2 watch "$namespaces" --events 3
wait_until 10 listed multi 3
create_ns kind-workload-2 w2
create_ns kind-workload-1 w1
create_ns nova cp
rc=0
wait_bg "$BG_PID" 20 || rc=$?
OUT=$(cat "$TEST_TMP/multi.out")
[ "$rc" -eq 0 ] || fail "the watch exited with $rc:
$OUT"
expect_contains "$OUT" "kind-workload-2 ADDED w2"
expect_contains "$OUT" "kind-workload-1 ADDED w1"
expect_contains "$OUT" "nova ADDED cp"

# --- the deadline ends a quiet watch ---------------------------------------------------------
expect_exit 0 probe --context nova watch "$namespaces" --for 1s
expect_contains "$OUT" "deadline after 0 events"

# --- SIGINT ends it at once ------------------------------------------------------------------
start_bg interrupted "$KUBE_PROBE_BIN" --context nova --also-context kind-workload-1 watch "$namespaces"
wait_until 10 listed interrupted 2
kill -INT "$BG_PID"
rc=0
wait_bg "$BG_PID" 3 || rc=$?
expect_eq "$rc" 130 "exit status after SIGINT"
expect_contains "$(cat "$TEST_TMP/interrupted.out")" "interrupted after 0 events"

# --- 410 Expired: a resumed watch whose version was compacted away; the caller re-lists --------
# The watch sees only namespace a (and asks for no bookmarks, which would move its version on),
# so the changes in b leave it behind; once the history is compacted, resuming after the drop
# gets 410, which the probe surfaces (EXPIRED) before it lists again and watches on.
create_ns nova a
create_ns nova b
configmap() {
    probe --context nova post "$namespaces/$1/configmaps" \
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"$2\"}}" >/dev/null ||
        fail "cannot create configmap $1/$2"
}
start_bg expired "$KUBE_PROBE_BIN" --context nova watch "$namespaces/a/configmaps" --no-bookmarks \
    --relist --events 1
wait_until 10 listed expired 1
configmap b elsewhere-1
configmap b elsewhere-2
expect_exit 0 sim_ctl compact nova
expect_contains "$OUT" "nova: event history compacted at resourceVersion "
expect_exit 0 sim_ctl drop-watches nova
wait_until 20 listed expired 2
configmap a mine
rc=0
wait_bg "$BG_PID" 20 || rc=$?
OUT=$(cat "$TEST_TMP/expired.out")
[ "$rc" -eq 0 ] || fail "the watch exited with $rc:
$OUT"
rv=$(sed -n 's/.* at //p' <<<"$OUT" | head -n 1) # the first list's version
expect_contains "$(sed -n 2p <<<"$OUT")" "nova EXPIRED too old resource version: $rv (" \
    "the second line"
expect_contains "$(sed -n 3p <<<"$OUT")" "nova LIST 0 items at " "the third line"
expect_contains "$(sed -n 4p <<<"$OUT")" "nova ADDED mine " "the fourth line"
# Without --relist the caller gets the 410 and the watch ends there.
expect_exit 1 probe --context nova watch "$namespaces/a/configmaps" --from "$rv" --events 1
expect_contains "$OUT" "nova EXPIRED too old resource version: $rv ("
expect_contains "$OUT" "no watch left after 0 events"

# --- the caller's timer ticks inside watch(); the streams stay connected -----------------------
sim_ctl requests nova --clear >/dev/null
sim_ctl requests kind-workload-1 --clear >/dev/null
start_bg ticks "$KUBE_PROBE_BIN" --context nova --also-context kind-workload-1 watch "$namespaces" \
    --tick 100ms --events 1
wait_until 10 grep -q "^tick 5$" "$TEST_TMP/ticks.out"
create_ns kind-workload-1 ticked
rc=0
wait_bg "$BG_PID" 20 || rc=$?
OUT=$(cat "$TEST_TMP/ticks.out")
[ "$rc" -eq 0 ] || fail "the watch exited with $rc:
$OUT"
expect_contains "$OUT" "kind-workload-1 ADDED ticked "
for context in nova kind-workload-1; do
    expect_eq "$(sim_ctl requests "$context" | grep -c 'watch=true')" 1 \
        "WATCH requests to $context over five ticks and more"
done
# --ticks: the timer's callback ends watch() by returning false.
expect_exit 0 probe --context nova watch "$namespaces" --tick 50ms --ticks 3
expect_contains "$OUT" "stopped after 3 ticks and 0 events"

# --- relist watches: watch() LISTs first, and again after failures ---------------------------
# A server down at the start: failed LISTs are ERROR events, retried with the backoff; once it
# is up the LIST goes to the caller and the WATCH follows from its resourceVersion.
expect_exit 0 sim_ctl down kind-workload-1
start_bg reflect "$KUBE_PROBE_BIN" --context kind-workload-1 watch "$namespaces" --reflect \
    --events 2
wait_until 10 grep -q "kind-workload-1 ERROR .*was refused" "$TEST_TMP/reflect.out"
expect_exit 0 sim_ctl up kind-workload-1
wait_until 20 listed reflect 1
create_ns kind-workload-1 r1
wait_for_event reflect "ADDED r1"
# A permanent error (403) for the WATCH after a drop and for the next LIST: reported, listed
# again with the backoff instead of stopping, then watched again.
expect_exit 0 sim_ctl fail kind-workload-1 2 403 --method GET
expect_exit 0 sim_ctl drop-watches kind-workload-1
wait_until 20 listed reflect 2
create_ns kind-workload-1 r2
rc=0
wait_bg "$BG_PID" 20 || rc=$?
OUT=$(cat "$TEST_TMP/reflect.out")
[ "$rc" -eq 0 ] || fail "the relist watch exited with $rc:
$OUT"
expect_eq "$(grep -c 'kind-workload-1 ERROR .*forbidden' <<<"$OUT")" 2 "403 errors reported"
expect_contains "$OUT" "kind-workload-1 ADDED r2 "
# 410 for a relist watch: EXPIRED, then its own LIST, and on.
start_bg reflect410 "$KUBE_PROBE_BIN" --context nova watch "$namespaces/a/configmaps" --reflect \
    --no-bookmarks --events 1
wait_until 10 listed reflect410 1
configmap b elsewhere-3
configmap b elsewhere-4
expect_exit 0 sim_ctl compact nova
expect_exit 0 sim_ctl drop-watches nova
wait_until 20 listed reflect410 2
configmap a mine-too
rc=0
wait_bg "$BG_PID" 20 || rc=$?
OUT=$(cat "$TEST_TMP/reflect410.out")
[ "$rc" -eq 0 ] || fail "the relist watch exited with $rc:
$OUT"
expect_contains "$(sed -n 2p <<<"$OUT")" "nova EXPIRED too old resource version: " "the second line"
expect_contains "$(sed -n 3p <<<"$OUT")" "nova LIST 1 items at " "the third line"
expect_contains "$(sed -n 4p <<<"$OUT")" "nova ADDED mine-too " "the fourth line"

# With `nova-sim run --watch-history 2`, two changes are as far back as a watch may start.
stop_sim || fail "nova-sim did not stop cleanly"
start_sim --watch-history 2
rv=$(probe --context nova get "$namespaces" | sed -n 's/.*"resourceVersion":"\([0-9]*\)".*/\1/p')
[ -n "$rv" ] || fail "no resourceVersion in the namespace list"
create_ns nova x1
create_ns nova x2
expect_exit 0 probe --context nova watch "$namespaces" --from "$rv" --events 2
expect_contains "$OUT" "nova ADDED x1 "
expect_contains "$OUT" "nova ADDED x2 "
create_ns nova x3
expect_exit 1 probe --context nova watch "$namespaces" --from "$rv" --events 1
expect_contains "$OUT" "nova EXPIRED too old resource version: $rv ("
