#!/usr/bin/env bash
# Every `list` golden of argo's plugin through the real binary against nova-sim, the watch one
# with its events applied by kubectl while `list rollouts --watch` runs.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/argo_scenarios.bash"

count=0
while IFS=$'\t' read -r golden namespace command objects mutations events; do
    start_scenario "$namespace" "$objects" "$mutations"
    read -ra words <<<"$command"
    if [ -z "$events" ]; then
        rc=0
        "$NOVA_ROLLOUTS_BIN" "${words[@]}" -n "$namespace" >"$TEST_TMP/out.txt" || rc=$?
        expect_eq "$rc" 0 "$golden: exit code"
        expect_golden "$golden" "$TEST_TMP/out.txt"
    else
        start_bg watch "$NOVA_ROLLOUTS_BIN" "${words[@]}" -n "$namespace"
        watch_pid=$BG_PID
        wait_until 10 grep -q guestbook "$TEST_TMP/watch.out"
        IFS=, read -ra files <<<"$events"
        for file in "${files[@]}"; do
            # The events carry status changes: the status subresource takes them.
            expect_exit 0 kubectl -n "$namespace" replace --subresource status -f "$DATA/$file"
        done
        expected_lines=$(expected_output "$golden" | wc -l)
        wait_until 10 test "$(wc -l <"$TEST_TMP/watch.out")" -ge "$expected_lines"
        sleep 0.5 # a row printed in error would come now
        kill -INT "$watch_pid"
        rc=0
        wait_bg "$watch_pid" 10 || rc=$?
        expect_eq "$rc" 0 "$golden: exit code after Ctrl-C"
        expect_golden "$golden" "$TEST_TMP/watch.out"
    fi
    stop_sim
    count=$((count + 1))
done < <(argo_scenarios list)
expect_eq "$count" 4 "list scenarios run"

# An empty namespace: argo's words on stderr, nothing on stdout, exit 0.
start_sim
expect_exit 0 "$NOVA_ROLLOUTS_BIN" list rollouts -n empty
expect_eq "$OUT" "No resources found."
capture "$NOVA_ROLLOUTS_BIN" list rollouts -n empty
[ -z "$("$NOVA_ROLLOUTS_BIN" list rollouts -n empty 2>/dev/null)" ] || fail "stdout of an empty list"
