#!/usr/bin/env bash
# `get rollout -w` and its WATCH streams, against the split-canary scenario (two workload
# clusters):
#   * a steady watch on a terminal redraws (ages) without reconnecting: the number of WATCH
#     requests each server received does not grow with the redraws;
#   * a workload cluster that is down when the watch starts is shown Unreachable, listed again
#     with a backoff, and once it is back shown and followed like the others;
#   * a cluster whose watch fails for good (403) is shown Unreachable with the reason while it
#     does, listed again, and shown again once it answers; so is one that goes down meanwhile;
#   * a cluster whose login (exec plugin) hangs does not hold the watch or Ctrl-C.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/multicluster.bash"
command -v script >/dev/null 2>&1 || skip "script (util-linux) is not installed"
NR=$NOVA_ROLLOUTS_BIN
CONTEXTS=(nova kind-workload-1 kind-workload-2)

# The WATCH requests server $1 received (nova-sim records a request when it starts answering).
watch_requests() {
    sim_ctl requests "$1" | grep -c '"path":"[^"]*[?&]watch=true' || true
}
all_watch_requests() {
    local context counts=()
    for context in "${CONTEXTS[@]}"; do
        counts+=("$context=$(watch_requests "$context")")
    done
    echo "${counts[*]}"
}
# The frames drawn on the terminal so far: each redraw starts with cursor-home (ESC [ H).
frames() { grep -a -o $'\e\\[H' "$TEST_TMP/$1.out" | wc -l; }
frames_at_least() { [ "$(frames "$1")" -ge "$2" ]; }
# The last frame's line for cluster $2 in background output $1 (a pipe: frames one after another).
cluster_line() { grep -a -E "^ +$2 +" "$TEST_TMP/$1.out" | tail -n 1; }
cluster_shows() { cluster_line "$1" "$2" | grep -q -E "$3"; }

start_scenario split-canary

# --- a steady watch keeps its connections -----------------------------------------------------
# On a terminal (script(1) provides one) the tree is redrawn every second for its ages. Each
# redraw used to end the watch and connect every stream again; now it is a tick inside it.
start_bg steady script -qfec "$NR get rollout rollouts-demo -w --timeout-seconds 120" /dev/null
pid=$BG_PID
# The first frame (two cursor-homes: it clears the screen first) and two redraws: every stream
# has been connected by then (and is counted, for every server).
wait_until 20 frames_at_least steady 4
streams_started() { [[ " $(all_watch_requests)" != *=0* ]]; }
wait_until 10 streams_started
first=$(frames steady)
before=$(all_watch_requests)
wait_until 30 frames_at_least steady $((first + 4)) # four more redraws
after=$(all_watch_requests)
expect_eq "$after" "$before" "WATCH requests per server after four more redraws"
stop_process "$pid" 10 >/dev/null 2>&1 || true

# --- a cluster down at the start is listed again and followed once it is back -----------------
sim_ctl down kind-workload-2 >/dev/null
start_bg down "$NR" get rollout rollouts-demo -w --timeout-seconds 60 --no-color
pid=$BG_PID
wait_until 20 cluster_shows down kind-workload-2 "⚠ Unreachable +.*refused"
cluster_shows down kind-workload-1 "✔ Ready +stable:5/5 +canary:1/1" ||
    fail "kind-workload-1 while kind-workload-2 is down: $(cluster_line down kind-workload-1)"
sim_ctl requests kind-workload-2 --clear >/dev/null
sim_ctl up kind-workload-2 >/dev/null
wait_until 20 cluster_shows down kind-workload-2 "✔ Ready +stable:5/5 +canary:1/1"
# Followed with WATCH streams from its LIST: a pod deleted there shows.
requests=$(sim_ctl requests kind-workload-2)
expect_contains "$requests" 'labelSelector=app%3Drollouts-demo' "kind-workload-2 requests"
expect_contains "$requests" 'watch=true' "kind-workload-2 requests (a WATCH after the LIST)"
expect_exit 0 kubectl --context kind-workload-2 delete pod rollouts-demo-5b4d8f9c7b-ncn69 --wait=false
wait_until 20 cluster_shows down kind-workload-2 "✔ Ready +stable:5/5 +canary:0/0"

# --- a watch that fails for good: Unreachable with the reason, listed again, back -------------
# The streams are dropped; their next requests (WATCH, then LIST with the backoff) get 403
# until three have; then the LIST answers and the cluster is shown again.
sim_ctl fail kind-workload-1 3 403 --method GET >/dev/null
sim_ctl drop-watches kind-workload-1 >/dev/null
wait_until 20 cluster_shows down kind-workload-1 "⚠ Unreachable +.*forbidden"
wait_until 30 cluster_shows down kind-workload-1 "✔ Ready +stable:5/5 +canary:1/1"
expect_exit 0 kubectl --context kind-workload-1 delete pod rollouts-demo-5b4d8f9c7b-82plw --wait=false
wait_until 20 cluster_shows down kind-workload-1 "✔ Ready +stable:5/5 +canary:0/0"
# --- a cluster that goes down while watched: Unreachable, then back without any change ---------
sim_ctl down kind-workload-2 >/dev/null
wait_until 20 cluster_shows down kind-workload-2 "⚠ Unreachable +.*refused"
sim_ctl up kind-workload-2 >/dev/null
wait_until 30 cluster_shows down kind-workload-2 "✔ Ready +stable:5/5 +canary:0/0"
is_running "$pid" || fail "the watch ended: $(tail -n 5 "$TEST_TMP/down.out")"
kill -INT "$pid"
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 0 "exit code after Ctrl-C, every cluster read"

# --- a cluster whose login hangs does not hold the watch ---------------------------------------
# Its exec plugin never answers: round 2 shows it Unreachable once --request-timeout is up, the
# watch lists it again with a plugin run bounded the same way, and Ctrl-C ends the watch without
# waiting for the plugin's own timeout (180 s).
hung_login_kubeconfig kind-workload-1 >"$TEST_TMP/exec.yaml"
KUBECONFIG="$TEST_TMP/exec.yaml:$KUBECONFIG" start_bg hung \
    "$NR" get rollout rollouts-demo -w --no-color --request-timeout 2s
pid=$BG_PID
wait_until 20 cluster_shows hung kind-workload-1 "⚠ Unreachable +.*hung-plugin did not finish within 2s"
cluster_shows hung kind-workload-2 "✔ Ready" || fail "kind-workload-2: $(cluster_line hung kind-workload-2)"
kill -INT "$pid"
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 5 "exit code after Ctrl-C with a cluster unreachable"
