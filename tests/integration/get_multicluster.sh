#!/usr/bin/env bash
# The multi-cluster scenarios of tests/data/multicluster through the real binary against
# nova-sim: the tree (with the scenario's instant mapped to now, so AGEs match), the -o json and
# -o yaml documents (which never depend on now), and the exit code: 5 when a cluster is down or
# unmapped.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/multicluster.bash"
GOLDEN="$NOVA_TESTS_DIR/data/golden/multicluster"

# The goldens were rendered with a made-up error text for a cluster that is down; ours is the
# real one. Both become <reason> (and the real one must say the connection was refused).
normalize_text() {
    sed -E 's/(⚠ Unreachable +).*$/\1<reason>/'
}
normalize_document() { # normalize_document json|yaml < document
    python3 -c '
import json, sys, yaml
def walk(node):
    if isinstance(node, dict):
        return {k: ("<reason>" if k == "error" and isinstance(v, str) and v else walk(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [walk(v) for v in node]
    return node
text = sys.stdin.read()
data = json.loads(text) if sys.argv[1] == "json" else yaml.safe_load(text)
print(json.dumps(walk(data), indent=1, sort_keys=False))' "$1"
}

count=0
for dir in "$SCENARIOS"/*/; do
    name=$(basename "$dir")
    rollout=$(field "$name" rollout)
    namespace=$(field "$name" namespace)
    want=$(field "$name" exitCode)
    run=("$NOVA_ROLLOUTS_BIN" get rollout "$rollout" -n "$namespace")

    # Documents: the objects as written.
    start_scenario "$name"
    for format in json yaml; do
        [ -f "$GOLDEN/$name.$format" ] || continue
        rc=0
        "${run[@]}" -o "$format" >"$TEST_TMP/out.$format" 2>"$TEST_TMP/err.txt" || rc=$?
        expect_eq "$rc" "$want" "$name -o $format: exit code ($(cat "$TEST_TMP/err.txt"))"
        if [ -z "$(unreachable "$name")" ]; then
            cmp -s "$GOLDEN/$name.$format" "$TEST_TMP/out.$format" ||
                fail "$name -o $format differs: $(diff "$GOLDEN/$name.$format" "$TEST_TMP/out.$format" | head -30)"
        else
            diff <(normalize_document "$format" <"$GOLDEN/$name.$format") \
                <(normalize_document "$format" <"$TEST_TMP/out.$format") >"$TEST_TMP/diff" ||
                fail "$name -o $format differs: $(head -30 "$TEST_TMP/diff")"
        fi
    done
    stop_sim

    # Text: the scenario's instant becomes a second T shortly after nova-sim is ready, and the
    # command runs within T, so AGEs read exactly as the goldens (down to "3m58s").
    for attempt in 1 2 3; do
        at=$(($(date +%s) + 2))
        start_scenario "$name" --load-now "$(field "$name" now)" --load-now-at "$at"
        while [ "$(date +%s)" -lt "$at" ]; do sleep 0.01; done
        rc=0
        "${run[@]}" --no-color >"$TEST_TMP/out.txt" 2>"$TEST_TMP/err.txt" || rc=$?
        [ "$(date +%s)" -ne "$at" ] || break
        stop_sim # too slow for that second (a loaded machine): again
        [ "$attempt" -lt 3 ] || fail "$name: could not run the command within one second"
    done
    expect_eq "$rc" "$want" "$name: exit code ($(cat "$TEST_TMP/err.txt"))"
    if [ "$want" = 5 ]; then
        expect_contains "$(cat "$TEST_TMP/err.txt")" "error: incomplete: workload cluster" "$name stderr"
        expect_eq "$(wc -l <"$TEST_TMP/err.txt")" 1 "$name: lines on stderr"
    fi
    if [ -n "$(unreachable "$name")" ]; then
        expect_contains "$(cat "$TEST_TMP/out.txt")" "refused" "$name: the reason"
    fi
    diff <(normalize_text <"$GOLDEN/$name.txt") <(normalize_text <"$TEST_TMP/out.txt") \
        >"$TEST_TMP/diff" || fail "$name: the tree differs:
$(head -40 "$TEST_TMP/diff")"
    # Colour only when asked for (stdout is a file here).
    if [ -f "$GOLDEN/$name.color.txt" ]; then
        # These runs are not pinned to second T (the plain golden checks the ages): ages may
        # have moved on by a second since, and a wider or narrower AGE moves the padding after it.
        without_ages() { normalize_text | sed -E 's/\b[0-9]+[smhdy]([0-9]+[smh])?\b */<age> /g; s/ +$//'; }
        "${run[@]}" --color always >"$TEST_TMP/color.txt" 2>/dev/null || true
        diff <(without_ages <"$GOLDEN/$name.color.txt") <(without_ages <"$TEST_TMP/color.txt") \
            >"$TEST_TMP/diff" || fail "$name --color always differs: $(head -20 "$TEST_TMP/diff")"
        "${run[@]}" >"$TEST_TMP/auto.txt" 2>/dev/null || true
        diff <(without_ages <"$TEST_TMP/out.txt") <(without_ages <"$TEST_TMP/auto.txt") \
            >"$TEST_TMP/diff" || fail "$name: colour on a pipe: $(head -20 "$TEST_TMP/diff")"
    fi
    stop_sim
    count=$((count + 1))
done
[ "$count" -ge 5 ] || fail "only $count multi-cluster scenarios ran"

# The round profile (DESIGN §4): one round to the control plane, one to each cluster, every
# cluster read label-selected, never a whole namespace of pods.
start_scenario split-canary
expect_exit 0 "$NOVA_ROLLOUTS_BIN" get rollout rollouts-demo
for context in kind-workload-1 kind-workload-2; do
    requests=$(sim_ctl requests "$context")
    expect_eq "$(grep -c . <<<"$requests")" 2 "requests to $context"
    expect_not_contains "$requests" '"path":"/api/v1/namespaces/default/pods"' "$context requests"
    expect_contains "$requests" 'labelSelector=app%3Drollouts-demo' "$context requests"
done

# Contexts by flag, by variable and by the config file; --workload-contexts without Clusters.
sim_ctl requests kind-workload-1 --clear >/dev/null
expect_exit 0 "$NOVA_ROLLOUTS_BIN" get rollout rollouts-demo --workload-contexts kind-workload-1,kind-workload-2 -o json
expect_contains "$OUT" '"contextSource": "--workload-contexts"'
kubectl config rename-context kind-workload-2 wl-two >/dev/null
expect_exit 5 "$NOVA_ROLLOUTS_BIN" get rollout rollouts-demo
expect_contains "$OUT" "Unmapped"
expect_exit 0 "$NOVA_ROLLOUTS_BIN" get rollout rollouts-demo --cluster-context kind-workload-2=wl-two
NOVA_ROLLOUTS_CLUSTER_CONTEXTS=kind-workload-2=wl-two expect_exit 0 "$NOVA_ROLLOUTS_BIN" get rollout rollouts-demo
mkdir -p "$XDG_CONFIG_HOME/kubectl-nova-rollouts"
printf 'clusterContexts:\n  kind-workload-2: wl-two\n' >"$XDG_CONFIG_HOME/kubectl-nova-rollouts/config.yaml"
expect_exit 0 "$NOVA_ROLLOUTS_BIN" get rollout rollouts-demo -o json
expect_contains "$OUT" '"contextSource": "config file"'
expect_exit 2 "$NOVA_ROLLOUTS_BIN" get rollout rollouts-demo --cluster-context nonsense

# Watching follows the workload clusters too: a pod gone from one cluster shows in the summary.
stop_sim
rm "$XDG_CONFIG_HOME/kubectl-nova-rollouts/config.yaml"
start_scenario split-canary
start_bg mcwatch "$NOVA_ROLLOUTS_BIN" get rollout rollouts-demo --until-done --timeout-seconds 30 --no-color
pid=$BG_PID
wait_until 10 grep -Eq "kind-workload-1 +✔ Ready +stable:5/5 +canary:1/1" "$TEST_TMP/mcwatch.out"
expect_exit 0 kubectl --context kind-workload-1 delete pod rollouts-demo-5b4d8f9c7b-82plw --wait=false
wait_until 10 grep -Eq "kind-workload-1 +✔ Ready +stable:5/5 +canary:0/0" "$TEST_TMP/mcwatch.out"
expect_exit 0 kubectl --context nova patch rollouts.argoproj.io rollouts-demo --subresource status \
    --type merge -p '{"status":{"phase":"Healthy","message":""}}'
rc=0
wait_bg "$pid" 10 || rc=$?
expect_eq "$rc" 0 "--until-done with clusters"

# A workload cluster whose exec credential plugin hangs is unreachable once its round's time is
# up (--request-timeout); it does not hold the command until the plugin's own timeout (180 s).
hung_login_kubeconfig kind-workload-1 >"$TEST_TMP/exec.yaml"
KUBECONFIG="$TEST_TMP/exec.yaml:$KUBECONFIG" expect_exit 5 \
    timeout 100 "$NOVA_ROLLOUTS_BIN" get rollout rollouts-demo --no-color --request-timeout 2s
expect_contains "$OUT" "kind-workload-1"
expect_contains "$OUT" "hung-plugin did not finish within 2s (GET "
