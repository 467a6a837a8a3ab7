#!/usr/bin/env bash
# get and list: NotFound in one line (exit 1), usage errors (exit 2), an unreachable control
# plane (exit 1), aliases.
source "$(dirname "$0")/lib.sh"
NR=$NOVA_ROLLOUTS_BIN
start_sim --load "nova=$NOVA_TESTS_DIR/data/argo-fixtures/info/testdata/canary"

expect_exit 1 "$NR" get rollout nope -n jesse-test
expect_eq "$OUT" 'error: rollout.argoproj.io "nope" not found'
expect_exit 1 "$NR" get experiment nope -n jesse-test
expect_eq "$OUT" 'error: experiment.argoproj.io "nope" not found'

for args in "get rollout" "get rollout a b" "get experiment" "get ro x --color sometimes" \
    "get ro x -o xml" "get ro x --timeout-seconds -1" "list rollouts -o table" "list nothing" \
    "get exp x -o json" "get ro x --bogus"; do
    read -ra words <<<"$args"
    expect_exit 2 "$NR" "${words[@]}"
    expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines for: $args"
done

# Aliases, and the global flags anywhere on the line.
expect_exit 0 "$NR" get ro canary-demo -n jesse-test
expect_exit 0 "$NR" -n jesse-test get rollouts canary-demo
expect_exit 0 "$NR" list ro -n jesse-test
expect_exit 0 "$NR" list exp -A

# The control plane down: kubectl's message, exit 1.
sim_ctl down nova >/dev/null
expect_exit 1 "$NR" get rollout canary-demo -n jesse-test
expect_contains "$OUT" "refused"
expect_exit 1 "$NR" list rollouts -n jesse-test
