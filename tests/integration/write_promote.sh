#!/usr/bin/env bash
# `promote` against nova-sim: argo's decision table row by row (status patch, then the spec's
# unpause), the object afterwards, the exact requests, -o json, --dry-run, the deprecated -c
# and -a, a 403, NotFound, usage errors, and a Rollout CRD without the status subresource (the
# status PATCH answers 404 and the unified patch goes to the main resource).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/write_rollout_helpers.bash"

start_sim --load "nova=$FIXTURES/write-rollouts.yaml"

# Held by its pause step: the pause conditions go, nothing else.
nr 0 promote held
expect_eq "$OUT" "rollout 'held' promoted"
expect_eq "$(requests)" "GET $NS/rollouts/held 200
PATCH $NS/rollouts/held/status 200 $MERGE {\"status\":{\"pauseConditions\":null}}" "requests"
expect_eq "$(field rollouts held '{.status.pauseConditions}')" "" "held's pause conditions"
expect_eq "$(field rollouts held '{.status.currentStepIndex}')" 1 "held's step"

# Paused by hand on step 0: the next step, then the unpause of the spec. Two writes: both are
# checked by the server first (?dryRun=All), so that neither is made unless both would be.
nr 0 promote stepping
expect_eq "$OUT" "rollout 'stepping' promoted"
expect_eq "$(requests)" "GET $NS/rollouts/stepping 200
PATCH $NS/rollouts/stepping/status?dryRun=All 200 $MERGE {\"status\":{\"pauseConditions\":null, \"currentStepIndex\":1}}
PATCH $NS/rollouts/stepping?dryRun=All 200 $MERGE {\"spec\":{\"paused\":false}}
PATCH $NS/rollouts/stepping/status 200 $MERGE {\"status\":{\"pauseConditions\":null, \"currentStepIndex\":1}}
PATCH $NS/rollouts/stepping 200 $MERGE {\"spec\":{\"paused\":false}}" "requests"
expect_eq "$(field rollouts stepping '{.status.currentStepIndex}')" 1 "stepping's step"
expect_eq "$(field rollouts stepping '{.spec.paused}')" false "stepping's spec.paused"

# -o json: the object the last write returned.
nr 0 promote stepping -o json
expect_eq "$(requests | cut -d' ' -f1,2)" "GET $NS/rollouts/stepping
PATCH $NS/rollouts/stepping/status" "requests of an unpaused canary"
expect_eq "$(json_at status.currentStepIndex)" 2 "step in the printed object"
expect_eq "$(json_at metadata.resourceVersion)" \
    "$(field rollouts stepping '{.metadata.resourceVersion}')" "resourceVersion printed"

# A healthy blue-green rollout: nothing to write, still promoted; -o prints what was read.
nr 0 promote blue-green
expect_eq "$OUT" "rollout 'blue-green' promoted"
expect_eq "$(requests)" "GET $NS/rollouts/blue-green 200" "requests"
nr 0 promote blue-green -o json
expect_eq "$(json_at metadata.name)" blue-green "name in the printed object"
expect_eq "$(json_at kind)" Rollout "kind in the printed object"

# --full: promoteFull while the pod hash is not the stable one.
nr 0 promote stepping --full
expect_eq "$OUT" "rollout 'stepping' fully promoted"
expect_eq "$(requests)" "GET $NS/rollouts/stepping 200
PATCH $NS/rollouts/stepping/status 200 $MERGE {\"status\":{\"promoteFull\":true}}" "requests"
expect_eq "$(field rollouts stepping '{.status.promoteFull}')" true "stepping's promoteFull"

# Deprecated -c and -a: a warning line each, and they still work.
nr 0 promote held -c
expect_eq "$OUT" "warning: --skip-current-step is deprecated: promote without it moves to the next step
rollout 'held' promoted"
expect_eq "$(requests)" "GET $NS/rollouts/held 200
PATCH $NS/rollouts/held/status 200 $MERGE {\"status\":{\"currentStepIndex\":2}}" "requests"
nr 0 promote held --skip-all-steps --full
expect_eq "$OUT" "warning: --skip-all-steps is deprecated: use --full instead
rollout 'held' fully promoted"
expect_eq "$(requests)" "GET $NS/rollouts/held 200
PATCH $NS/rollouts/held/status 200 $MERGE {\"status\":{\"currentStepIndex\":3}}" "requests"
expect_eq "$(field rollouts held '{.status.currentStepIndex}')" 3 "held's step"
# Both: a usage error before any request, and before the deprecation warnings: one line.
nr 2 promote held -c -a
expect_eq "$OUT" "error: --skip-current-step and --skip-all-steps cannot be used together"
expect_eq "$(requests)" "" "requests of a usage error"
nr 2 promote "" -c
expect_eq "$OUT" 'error: invalid rollout name "": must not be empty'
# kubectl's --dry-run=client habit: the flag takes no value.
nr 2 promote held --dry-run=client
expect_eq "$OUT" "error: --dry-run takes no value (got \"client\"): it prints the requests and sends nothing (see '$(basename "$NR") promote --help')"
expect_eq "$(requests)" "" "requests of usage errors"
# A blue-green rollout has no steps to skip: one line, exit 1, only the GET made.
nr 1 promote blue-green -a
expect_contains "$OUT" "error: rollout \"blue-green\" is a blue-green rollout, which has no steps to skip"
expect_eq "$(requests)" "GET $NS/rollouts/blue-green 200" "requests"

# Stuck on an inconclusive analysis under a controller pause, paused by hand too.
patch_rollout_status held '{"currentStepIndex":1,"controllerPause":true,
  "pauseConditions":[{"reason":"InconclusiveAnalysisRun","startTime":"2025-06-02T10:00:00Z"}],
  "canary":{"currentStepAnalysisRunStatus":{"name":"held-1","status":"Inconclusive"}}}'
kubectl patch rollouts.argoproj.io held --type merge -p '{"spec":{"paused":true}}' >/dev/null
nr 0 promote held
expect_eq "$(requests)" "GET $NS/rollouts/held 200
PATCH $NS/rollouts/held/status?dryRun=All 200 $MERGE {\"status\":{\"pauseConditions\":null, \"controllerPause\":false, \"currentStepIndex\":2}}
PATCH $NS/rollouts/held?dryRun=All 200 $MERGE {\"spec\":{\"paused\":false}}
PATCH $NS/rollouts/held/status 200 $MERGE {\"status\":{\"pauseConditions\":null, \"controllerPause\":false, \"currentStepIndex\":2}}
PATCH $NS/rollouts/held 200 $MERGE {\"spec\":{\"paused\":false}}" "requests"
expect_eq "$(field rollouts held '{.status.controllerPause} {.status.currentStepIndex} {.spec.paused}')" \
    "false 2 false" "held afterwards"

# --dry-run: the requests printed, only reads sent (the rollout, the discovery of the status
# subresource), nothing changed.
kubectl patch rollouts.argoproj.io stepping --type merge -p '{"spec":{"paused":true}}' >/dev/null
before=$(field rollouts stepping '{.metadata.resourceVersion}')
nr 0 promote stepping --dry-run
expect_eq "$OUT" "PATCH $(server)$NS/rollouts/stepping/status
Content-Type: $MERGE

{\"status\":{\"pauseConditions\":null, \"currentStepIndex\":3}}

PATCH $(server)$NS/rollouts/stepping
Content-Type: $MERGE

{\"spec\":{\"paused\":false}}

rollout 'stepping' promoted (dry run)"
expect_eq "$(requests)" "GET $NS/rollouts/stepping 200
GET /apis/argoproj.io/v1alpha1 200" "requests under --dry-run"
expect_eq "$(field rollouts stepping '{.metadata.resourceVersion}')" "$before" "resourceVersion"
nr 2 promote stepping --dry-run -o json

# A 403 on discovery (read under --dry-run to learn whether rollouts/status is served) says it
# is the API's resource list, not an object: no empty resource, no "list".
sim_ctl fail nova 1 403 --method GET --path-suffix /v1alpha1 >/dev/null
nr 1 promote stepping --dry-run
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines of the discovery 403"
expect_contains "$OUT" "error: forbidden: you may not read the resource list of API \"argoproj.io/v1alpha1\" (GET /apis/argoproj.io/v1alpha1), which tells whether \"rollouts/status\" is served; ask an admin for \"get\" on the non-resource URL \"/apis/argoproj.io/v1alpha1\""
expect_not_contains "$OUT" "  "
sim_ctl fail nova 0 403 >/dev/null

# 403 on the status PATCH: one line naming the verb, the resource and the namespace.
sim_ctl fail nova 1 403 --method PATCH >/dev/null
nr 1 promote stepping
expect_forbidden patch rollouts/status stepping
expect_eq "$(field rollouts stepping '{.spec.paused}')" true "stepping still paused"

# 403 on the spec PATCH, after the status would have gone through: the server's dry run of
# both finds it, and nothing is changed (before, the status moved a step and the spec stayed
# paused: a half-applied promote).
step_before=$(field rollouts stepping '{.status.currentStepIndex}')
sim_ctl fail nova 1 403 --method PATCH --path-suffix /rollouts/stepping >/dev/null
nr 1 promote stepping
expect_forbidden patch rollouts stepping
expect_eq "$(requests | cut -d' ' -f1-3)" "GET $NS/rollouts/stepping 200
PATCH $NS/rollouts/stepping/status?dryRun=All 200
PATCH $NS/rollouts/stepping?dryRun=All 403" "requests of a refused spec patch"
expect_eq "$(field rollouts stepping '{.status.currentStepIndex} {.spec.paused}')" \
    "$step_before true" "stepping untouched"

# The same refusal only after the dry runs (RBAC changed in between): the status is changed by
# then, and the error says so and what finishes the job.
sim_ctl fail nova 1 403 --method PATCH --path-suffix /rollouts/stepping --after 1 >/dev/null
nr 1 promote stepping
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines of a half-applied promote"
expect_contains "$OUT" "error: rollout \"stepping\" is half promoted: its status was changed ({\"status\":{\"pauseConditions\":null, \"currentStepIndex\":$((step_before + 1))}}) but unpausing its spec failed: forbidden: you may not patch rollouts \"stepping\" in namespace \"default\""
expect_contains "$OUT" '; `resume` it to finish'
expect_eq "$(requests | cut -d' ' -f1-3)" "GET $NS/rollouts/stepping 200
PATCH $NS/rollouts/stepping/status?dryRun=All 200
PATCH $NS/rollouts/stepping?dryRun=All 200
PATCH $NS/rollouts/stepping/status 200
PATCH $NS/rollouts/stepping 403" "requests of a half-applied promote"
expect_eq "$(field rollouts stepping '{.status.currentStepIndex} {.spec.paused}')" \
    "$((step_before + 1)) true" "stepping half promoted"
nr 0 resume stepping
expect_eq "$(field rollouts stepping '{.spec.paused}')" false "stepping resumed"

# A rollout with fields of the wrong type: refused as argo's typed decode refuses it, one line
# naming the field, and nothing written (read leniently, this was "promoted" with no write).
kubectl patch rollouts.argoproj.io blue-green --type merge -p '{"spec":{"paused":"yes"}}' >/dev/null
for flags in "" --full; do
    nr 1 promote blue-green $flags
    expect_eq "$OUT" 'error: invalid rollout "blue-green": spec.paused must be true or false, not "yes"'
    expect_eq "$(requests)" "GET $NS/rollouts/blue-green 200" "requests of a malformed rollout"
done
kubectl patch rollouts.argoproj.io blue-green --type merge \
    -p '{"spec":{"paused":false,"strategy":{"blueGreen":null,"canary":{"steps":"notalist"}}}}' >/dev/null
nr 1 promote blue-green --full
expect_eq "$OUT" 'error: invalid rollout "blue-green": spec.strategy.canary.steps must be a list, not "notalist"'
expect_eq "$(requests)" "GET $NS/rollouts/blue-green 200" "requests of a malformed rollout"
kubectl patch rollouts.argoproj.io blue-green --type merge \
    -p '{"spec":{"strategy":{"canary":{"steps":[{"pause":{}}]}}}}' >/dev/null
patch_rollout_status blue-green '{"currentStepIndex":1e30}'
nr 1 promote blue-green
expect_eq "$OUT" 'error: invalid rollout "blue-green": status.currentStepIndex must be an integer from 0 to 2147483647, not 1e+30'
expect_eq "$(requests)" "GET $NS/rollouts/blue-green 200" "requests of a malformed rollout"

# NotFound and usage errors.
nr 1 promote nope
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines of NotFound"
expect_contains "$OUT" 'rollouts.argoproj.io "nope" not found'
nr 2 promote
nr 2 promote held stepping
nr 2 promote held -o xml
expect_eq "$(requests)" "" "requests of usage errors"

# --- A Rollout CRD without the status subresource ------------------------------------------------
stop_sim
start_sim --load "nova=$FIXTURES/write-rollouts-crd-no-status.yaml" \
    --load "nova=$FIXTURES/write-rollouts.yaml"

nr 0 promote held
expect_eq "$OUT" "rollout 'held' promoted"
expect_eq "$(requests)" "GET $NS/rollouts/held 200
PATCH $NS/rollouts/held/status 404 $MERGE {\"status\":{\"pauseConditions\":null}}
PATCH $NS/rollouts/held 200 $MERGE {\"spec\":{\"paused\":false},\"status\":{\"pauseConditions\":null}}" \
    "requests of the fallback"
expect_eq "$(field rollouts held '{.status.pauseConditions}')" "" "held's pause conditions"

nr 0 promote stepping -o json
expect_eq "$(requests)" "GET $NS/rollouts/stepping 200
PATCH $NS/rollouts/stepping/status?dryRun=All 404 $MERGE {\"status\":{\"pauseConditions\":null, \"currentStepIndex\":1}}
PATCH $NS/rollouts/stepping 200 $MERGE {\"spec\":{\"paused\":false},\"status\":{\"pauseConditions\":null, \"currentStepIndex\":1}}" \
    "requests of the fallback"
expect_eq "$(json_at status.currentStepIndex) $(json_at spec.paused)" "1 false" "printed object"
expect_eq "$(field rollouts stepping '{.status.currentStepIndex} {.spec.paused}')" "1 false" \
    "stepping afterwards"

# --dry-run asks discovery, which has no rollouts/status, and prints the fallback.
nr 0 promote held --full --dry-run
expect_eq "$OUT" "PATCH $(server)$NS/rollouts/held
Content-Type: $MERGE

{\"spec\":{\"paused\":false},\"status\":{\"promoteFull\":true}}

rollout 'held' fully promoted (dry run)"
expect_eq "$(requests)" "GET $NS/rollouts/held 200
GET /apis/argoproj.io/v1alpha1 200" "requests under --dry-run"
expect_eq "$(field rollouts held '{.status.promoteFull}')" "" "held not promoted fully"
