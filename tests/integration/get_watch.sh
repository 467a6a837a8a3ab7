#!/usr/bin/env bash
# `get rollout -w`: --until-done ends on its own (0 Healthy, 3 Degraded, 4 on its timeout),
# --timeout-seconds and Ctrl-C end a plain watch with 0, a pipe gets no terminal escapes, and a
# watch survives 410 Gone (the history compacted) by listing again.
source "$(dirname "$0")/lib.sh"

start_sim --load "nova=$(dirname "$0")/../data/sim/demo-rollout.yaml"
NR=$NOVA_ROLLOUTS_BIN

# --until-done: follows the rollout until it is Healthy.
start_bg done "$NR" get rollout demo -w --until-done --timeout-seconds 30 --no-color
pid=$BG_PID
wait_until 10 grep -q "◌ Progressing" "$TEST_TMP/done.out"
patch_rollout_status demo '{"phase":"Paused","message":"CanaryPauseStep"}'
wait_until 10 grep -q "CanaryPauseStep" "$TEST_TMP/done.out"
is_running "$pid" || fail "--until-done ended on a paused rollout"
patch_rollout_status demo '{"phase":"Healthy","message":""}'
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 0 "--until-done on Healthy"
expect_contains "$(cat "$TEST_TMP/done.out")" "✔ Healthy"
expect_not_contains "$(cat "$TEST_TMP/done.out")" $'\e[' "watch output on a pipe"

# Already done: ends at once. Degraded: exit 3.
expect_exit 0 "$NR" get rollout demo --until-done
patch_rollout_status demo '{"phase":"Progressing","message":"more replicas need to be updated"}'
start_bg degraded "$NR" get rollout demo --until-done --no-color
pid=$BG_PID
wait_until 10 grep -q "◌ Progressing" "$TEST_TMP/degraded.out"
patch_rollout_status demo '{"phase":"Degraded","message":"RolloutAborted: metric failed"}'
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 3 "--until-done on Degraded"
expect_contains "$(cat "$TEST_TMP/degraded.out")" 'error: rollout "demo" is Degraded'

# --until-done with its timeout: exit 4. A plain watch's timeout: exit 0, as argo.
patch_rollout_status demo '{"phase":"Paused","message":"CanaryPauseStep"}'
expect_exit 4 "$NR" get rollout demo --until-done --timeout-seconds 1
expect_exit 0 "$NR" get rollout demo -w --timeout-seconds 1

# Ctrl-C ends a watch with 0, the terminal state restored.
start_bg ctrlc "$NR" get rollout demo -w --color always
pid=$BG_PID
wait_until 10 grep -q "CanaryPauseStep" "$TEST_TMP/ctrlc.out"
kill -INT "$pid"
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 0 "exit code after Ctrl-C"

# 410 Gone: the history is compacted and the streams dropped; the watch lists again and shows
# the change made meanwhile.
start_bg gone "$NR" get rollout demo -w --until-done --timeout-seconds 30 --no-color
pid=$BG_PID
wait_until 10 grep -q "CanaryPauseStep" "$TEST_TMP/gone.out"
patch_rollout_status demo '{"phase":"Paused","message":"SecondPause"}'
wait_until 10 grep -q "SecondPause" "$TEST_TMP/gone.out"
sim_ctl compact nova >/dev/null
sim_ctl drop-watches nova >/dev/null
sleep 0.5
patch_rollout_status demo '{"phase":"Healthy","message":""}'
rc=0
wait_bg "$pid" 15 || rc=$?
expect_eq "$rc" 0 "--until-done after 410"

# -o json in watch mode: one JSON document per line and change.
patch_rollout_status demo '{"phase":"Paused","message":"CanaryPauseStep"}'
start_bg docs "$NR" get rollout demo --until-done -o json
pid=$BG_PID
wait_until 10 grep -q "CanaryPauseStep" "$TEST_TMP/docs.out"
patch_rollout_status demo '{"phase":"Healthy","message":""}'
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 0 "--until-done -o json"
expect_eq "$(grep -c '"kind":"RolloutView"' "$TEST_TMP/docs.out")" 2 "documents"
