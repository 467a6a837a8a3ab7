#!/usr/bin/env bash
# `pause`, `resume` and `restart` against nova-sim: argo's merge patches of the main resource,
# the objects afterwards, the exact requests, several names where one does not exist, -o json,
# --dry-run, a 403, and restart's --in (Go durations; a bad or negative one is a usage error
# before any request); the closing line of every such command's --help.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/write_rollout_helpers.bash"

start_sim --load "nova=$FIXTURES/write-rollouts.yaml"
PAUSE="$MERGE {\"spec\":{\"paused\":true}}"
RESUME="$MERGE {\"spec\":{\"paused\":false}}"

paused() {
    echo "$(field rollouts held '{.spec.paused}') $(field rollouts stepping '{.spec.paused}')"
}

# --- pause ---------------------------------------------------------------------------------------
nr 0 pause held stepping
expect_eq "$OUT" "rollout 'held' paused
rollout 'stepping' paused"
expect_eq "$(requests)" "PATCH $NS/rollouts/held 200 $PAUSE
PATCH $NS/rollouts/stepping 200 $PAUSE" "pause requests"
expect_eq "$(paused)" "true true" "paused"

nr 0 resume held stepping
nr 1 pause held nope stepping
expect_eq "$(printf '%s\n' "$OUT" | head -n 1)" "rollout 'held' paused" "first line"
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 2 "lines"
expect_contains "$OUT" 'rollouts.argoproj.io "nope" not found'
expect_eq "$(requests)" "PATCH $NS/rollouts/held 200 $PAUSE
PATCH $NS/rollouts/nope 404 $PAUSE" "requests stop at the missing name"
expect_eq "$(paused)" "true false" "held paused, stepping not"

nr 0 pause stepping -o json
expect_eq "$(json_at kind) $(json_at metadata.name) $(json_at spec.paused)" \
    "Rollout stepping true" "printed object"
expect_eq "$(json_at metadata.resourceVersion)" \
    "$(field rollouts stepping '{.metadata.resourceVersion}')" "resourceVersion printed"

nr 0 pause blue-green --dry-run
expect_eq "$OUT" "PATCH $(server)$NS/rollouts/blue-green
Content-Type: $MERGE

{\"spec\":{\"paused\":true}}

rollout 'blue-green' paused (dry run)"
expect_eq "$(requests)" "GET $NS/rollouts/blue-green 200" "requests under --dry-run"
expect_eq "$(field rollouts blue-green '{.spec.paused}')" "" "blue-green not paused"
# A missing rollout fails under --dry-run as it does without.
nr 1 pause blue-green nope --dry-run
expect_eq "$(printf '%s\n' "$OUT" | sed -n '6p')" "rollout 'blue-green' paused (dry run)"
expect_eq "$(printf '%s\n' "$OUT" | tail -n 1)" \
    'error: from server (NotFound): rollouts.argoproj.io "nope" not found' "pause nope --dry-run"
expect_eq "$(requests)" "GET $NS/rollouts/blue-green 200
GET $NS/rollouts/nope 404" "requests under --dry-run"

sim_ctl fail nova 1 403 --method PATCH >/dev/null
nr 1 pause blue-green
expect_forbidden patch rollouts blue-green
nr 2 pause
nr 2 pause held --dry-run -o yaml

# --- resume: the spec only; a pause step's conditions stay for promote ---------------------------
nr 0 resume held stepping
expect_eq "$OUT" "rollout 'held' resumed
rollout 'stepping' resumed"
expect_eq "$(requests)" "PATCH $NS/rollouts/held 200 $RESUME
PATCH $NS/rollouts/stepping 200 $RESUME" "resume requests"
expect_eq "$(paused)" "false false" "resumed"
expect_eq "$(field rollouts held '{.status.pauseConditions[0].reason}')" CanaryPauseStep \
    "held's pause conditions untouched"

nr 1 resume stepping nope held
expect_eq "$(printf '%s\n' "$OUT" | head -n 1)" "rollout 'stepping' resumed" "first line"
expect_contains "$OUT" 'rollouts.argoproj.io "nope" not found'
expect_eq "$(requests | cut -d' ' -f1-3)" "PATCH $NS/rollouts/stepping 200
PATCH $NS/rollouts/nope 404" "requests stop at the missing name"

nr 0 resume held stepping -o yaml
expect_contains "$OUT" "kind: List"
expect_contains "$OUT" "name: stepping"

nr 0 resume held --dry-run
expect_eq "$OUT" "PATCH $(server)$NS/rollouts/held
Content-Type: $MERGE

{\"spec\":{\"paused\":false}}

rollout 'held' resumed (dry run)"
expect_eq "$(requests)" "GET $NS/rollouts/held 200" "requests under --dry-run"
nr 1 resume nope --dry-run
expect_eq "$OUT" 'error: from server (NotFound): rollouts.argoproj.io "nope" not found'

sim_ctl fail nova 1 403 --method PATCH >/dev/null
nr 1 resume held
expect_forbidden patch rollouts held

# --- restart -------------------------------------------------------------------------------------
# restart_requests FROM TO: the one request restart sent, with restartAt checked to lie between
# the Unix times FROM and TO.
restart_request_ok() {
    local sent=$1 from=$2 to=$3 at
    at=$(field rollouts held '{.spec.restartAt}')
    expect_eq "$sent" "PATCH $NS/rollouts/held 200 $MERGE {
	\"spec\": {
		\"restartAt\": \"$at\"
	}
}" "restart request"
    [[ "$at" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] ||
        fail "restartAt is not RFC 3339 to the second: $at"
    local seconds
    seconds=$(date -u -d "$at" +%s)
    [ "$seconds" -ge "$from" ] && [ "$seconds" -le "$to" ] ||
        fail "restartAt $at ($seconds) is not within [$from, $to]"
}

from=$(date -u +%s)
nr 0 restart held
to=$(date -u +%s)
expect_eq "$OUT" "rollout 'held' restarts in 0s"
restart_request_ok "$(requests)" "$from" "$to"

from=$(date -u +%s)
nr 0 restart held --in 5m
to=$(date -u +%s)
expect_eq "$OUT" "rollout 'held' restarts in 5m"
restart_request_ok "$(requests)" $((from + 300)) $((to + 300))

from=$(date -u +%s)
nr 0 restart held -i 1h30m -o json
to=$(date -u +%s)
restart_request_ok "$(requests)" $((from + 5400)) $((to + 5400))
expect_eq "$(json_at spec.restartAt)" "$(field rollouts held '{.spec.restartAt}')" \
    "printed restartAt"

before=$(field rollouts held '{.spec.restartAt}')
nr 0 restart held --in 30s --dry-run
expect_contains "$OUT" "PATCH $(server)$NS/rollouts/held
Content-Type: $MERGE

{
	\"spec\": {
		\"restartAt\": \""
expect_contains "$OUT" "rollout 'held' restarts in 30s (dry run)"
expect_eq "$(requests)" "GET $NS/rollouts/held 200" "requests under --dry-run"
expect_eq "$(field rollouts held '{.spec.restartAt}')" "$before" "restartAt unchanged"
nr 1 restart nope --dry-run
expect_eq "$OUT" 'error: from server (NotFound): rollouts.argoproj.io "nope" not found'
expect_eq "$(requests)" "GET $NS/rollouts/nope 404" "requests under --dry-run"

# Bad or negative delays (argo panics on the first): exit 2, one line, no request.
for delay in soon -5m 1d 5 1h-5m; do
    nr 2 restart held --in "$delay"
    expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines for --in '$delay'"
    expect_contains "$OUT" "error: " "--in '$delay'"
    expect_eq "$(requests)" "" "requests for --in '$delay'"
done
nr 2 restart held stepping
nr 2 restart
expect_eq "$(requests)" "" "requests of usage errors"

nr 1 restart nope
expect_contains "$OUT" 'rollouts.argoproj.io "nope" not found'
sim_ctl fail nova 1 403 --method PATCH >/dev/null
nr 1 restart held --in 1m
expect_forbidden patch rollouts held

# --- --help of every command that changes something ends the same way, notes or none -----------
closing="Use \"$(basename "$NR") <command> --help\" for more information about a command."
for command in promote abort resume pause restart undo "set image" "retry rollout" \
    "retry experiment" create "create analysisrun" "terminate analysisrun" \
    "terminate experiment"; do
    expect_exit 0 "$NR" $command --help
    expect_eq "$(printf '%s\n' "$OUT" | grep -v '^$' | tail -n 1)" "$closing" "last line of $command --help"
done
# The notes of those that have some come before it.
expect_exit 0 "$NR" promote --help
expect_contains "$OUT" "With --full: skips every remaining step, pause and analysis.

$closing" "promote --help"
expect_exit 0 "$NR" create --help
expect_contains "$OUT" "4 -w: timed out.

$closing" "create --help"
# create analysisrun has its own notes, not create's.
expect_exit 0 "$NR" create analysisrun --help
expect_contains "$OUT" "API error); 2 usage.

$closing" "create analysisrun --help"
expect_not_contains "$OUT" "timed out" "create analysisrun --help"
