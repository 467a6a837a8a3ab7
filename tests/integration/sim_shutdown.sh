#!/usr/bin/env bash
# nova-sim stops cleanly on SIGTERM and SIGINT, even with a watch open: the process is gone, exit
# status 0, DIR/ready and DIR/control.json removed.
source "$(dirname "$0")/lib.sh"

start_sim --workload-clusters 3
expect_exit 0 kubectl --context nova get clusters -o name
expect_contains "$OUT" "kind-workload-3"
expect_exit 0 kubectl --context kind-workload-3 get ns

# A client holding a watch must not keep nova-sim from stopping.
start_bg watch kubectl --context kind-workload-1 get --raw '/api/v1/namespaces?watch=1'
watcher=$BG_PID
wait_until 10 grep -q ADDED "$TEST_TMP/watch.out"

# Nor must a request held up by a long injected latency.
expect_exit 0 sim_ctl latency kind-workload-2 60s
start_bg slow kubectl --context kind-workload-2 --request-timeout=90s get ns
sleep 0.5

pid=$SIM_PID
rc=0
stop_sim || rc=$?
expect_eq "$rc" "0" "nova-sim's exit status after SIGTERM"
is_running "$pid" && fail "nova-sim still runs after SIGTERM"
[ ! -e "$SIM_DIR/ready" ] || fail "DIR/ready was not removed"
[ ! -e "$SIM_DIR/control.json" ] || fail "DIR/control.json was not removed"
expect_contains "$(cat "$SIM_LOG")" "stopping (SIGTERM)" "nova-sim's output"
wait_bg "$watcher" 10 || true

# The servers are gone for clients, too.
expect_exit 1 kubectl --context nova get ns
expect_contains "$OUT" "refused"

# SIGINT (Ctrl-C) is a clean stop as well, although a shell starts background jobs with SIGINT
# ignored.
start_sim
rc=0
stop_sim INT || rc=$?
expect_eq "$rc" "0" "nova-sim's exit status after SIGINT"
[ ! -e "$SIM_DIR/ready" ] || fail "DIR/ready was not removed after SIGINT"
expect_contains "$(cat "$SIM_LOG")" "stopping (SIGINT)" "nova-sim's output"

# With --exit-with-parent, a harness killed outright (SIGKILL, as a CTest timeout does) leaves no
# nova-sim behind: it stops as on SIGTERM.
orphan_dir="$TEST_TMP/orphan"
start_bg harness bash -c '"$0" run --dir "$1" --exit-with-parent >/dev/null 2>&1 &
echo $! >"$1.pid"
wait' "$NOVA_SIM_BIN" "$orphan_dir"
harness=$BG_PID
wait_until 20 test -f "$orphan_dir/ready"
orphan=$(cat "$orphan_dir.pid")
kill -KILL "$harness"
wait "$harness" 2>/dev/null || true
deadline=$((SECONDS + 10))
while is_running "$orphan"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        kill -KILL "$orphan"
        fail "nova-sim outlived its parent by 10 s"
    fi
    sleep 0.05
done
[ ! -e "$orphan_dir/ready" ] || fail "DIR/ready was not removed after the parent died"
