#!/usr/bin/env bash
# `status` for CI: exit 0 Healthy, 3 Degraded or aborted, 4 timed out, --success-on-pause,
# --watch=false, a line only when the status changes, -o json; NotFound and usage errors.
source "$(dirname "$0")/lib.sh"

start_sim --load "nova=$(dirname "$0")/../data/sim/demo-rollout.yaml"
NR=$NOVA_ROLLOUTS_BIN

# Checked once while progressing: argo's line, exit 0.
expect_exit 0 "$NR" status demo --watch=false
expect_eq "$OUT" "Progressing - more replicas need to be updated"

# Timed out: exit 4 and one clear line.
capture "$NR" status demo -t 1s
expect_eq "$RC" 4 "exit code on timeout"
expect_eq "$(printf '%s\n' "$OUT" | grep -c '^error: ')" 1 "error lines"
expect_contains "$OUT" 'error: rollout "demo" did not finish within 1s: Progressing'

# Paused: a timeout without --success-on-pause, done with it.
patch_rollout_status demo '{"phase":"Paused","message":"CanaryPauseStep"}'
expect_exit 4 "$NR" status demo --timeout 1s
expect_exit 0 "$NR" status demo --success-on-pause
expect_eq "$OUT" "Paused - CanaryPauseStep"

# Watching to the end: a line per change, none repeated, exit 0 on Healthy.
start_bg watch "$NR" status demo --timeout 30s
wait_until 10 grep -q "Paused - CanaryPauseStep" "$TEST_TMP/watch.out"
patch_rollout_status demo '{"phase":"Progressing","message":"more replicas need to be updated"}'
wait_until 10 grep -q "^Progressing" "$TEST_TMP/watch.out"
patch_rollout_status demo '{"phase":"Progressing","message":"more replicas need to be updated","replicas":1}'
patch_rollout_status demo '{"phase":"Healthy","message":""}'
rc=0
wait_bg "$BG_PID" 10 || rc=$?
expect_eq "$rc" 0 "exit code on Healthy"
expect_eq "$(cat "$TEST_TMP/watch.out")" "Paused - CanaryPauseStep
Progressing - more replicas need to be updated
Healthy" "progress lines"

# The structured document.
expect_exit 0 "$NR" status demo -o json
expect_contains "$OUT" '"kind": "RolloutStatus"'
expect_contains "$OUT" '"apiVersion": "nova-rollouts.elotl.co/v1alpha1"'
expect_not_contains "$OUT" "Healthy
" "document (no progress line)"

# Degraded: exit 3 with argo's message; aborted too, whatever the phase says.
patch_rollout_status demo '{"phase":"Degraded","message":"ProgressDeadlineExceeded: too slow"}'
capture "$NR" status demo
expect_eq "$RC" 3 "exit code on Degraded"
expect_contains "$OUT" "error: The rollout is in a degraded state with message: ProgressDeadlineExceeded: too slow"
expect_exit 3 "$NR" status demo --watch=false
patch_rollout_status demo '{"phase":"Paused","message":"CanaryPauseStep","abort":true}'
expect_exit 3 "$NR" status demo --success-on-pause

# Not found: one line, exit 1.
expect_exit 1 "$NR" status nope
expect_eq "$OUT" 'error: rollout.argoproj.io "nope" not found'

# Usage errors: exit 2.
expect_exit 2 "$NR" status
expect_exit 2 "$NR" status demo --timeout soon
expect_contains "$OUT" "soon"
expect_exit 2 "$NR" status demo --timeout 2562047h
expect_contains "$OUT" "is too long: at most 87600h"
expect_exit 2 "$NR" status demo extra
expect_exit 2 "$NR" status demo -o xml
