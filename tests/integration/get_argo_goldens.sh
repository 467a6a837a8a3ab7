#!/usr/bin/env bash
# Every `get` golden of argo's plugin through the real binary against nova-sim: the fixtures
# loaded into the Nova control plane (which has workload clusters, all read and holding nothing
# of these rollouts, so the output must be exactly argo's), AGEs included.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/argo_scenarios.bash"

count=0
while IFS=$'\t' read -r golden namespace command objects mutations events; do
    start_scenario "$namespace" "$objects" "$mutations"
    read -ra words <<<"$command"
    rc=0
    "$NOVA_ROLLOUTS_BIN" "${words[@]}" -n "$namespace" >"$TEST_TMP/out.txt" 2>"$TEST_TMP/err.txt" ||
        rc=$?
    expect_eq "$rc" 0 "$golden: exit code (stderr: $(cat "$TEST_TMP/err.txt"))"
    expect_eq "$(cat "$TEST_TMP/err.txt")" "" "$golden: stderr"
    expect_golden "$golden" "$TEST_TMP/out.txt"
    stop_sim
    count=$((count + 1))
done < <(argo_scenarios get)
expect_eq "$count" 10 "get scenarios run"
