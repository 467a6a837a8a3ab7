#!/usr/bin/env bash
# `clusters` through the real binary against nova-sim: the table (golden, latency and ports
# normalised), -o json and -o yaml, one cluster dead or slow or refusing (exit 5, the error in
# its row), unmapped clusters and every source of a context, Cluster objects in standby and not
# ready, usage errors (exit 2) and a dead control plane (exit 1); exec credential plugins (a hung
# one bounded by the probe timeout, the clusters' plugins at the same time, a missing one's help
# in one row).
source "$(dirname "$0")/lib.sh"
: "${NOVA_TESTS_DIR:?}"
GOLDEN="$NOVA_TESTS_DIR/data/golden/clusters"
FLEET="$NOVA_TESTS_DIR/data/clusters/fleet.yaml"
clusters=("$NOVA_ROLLOUTS_BIN" clusters)

# Latencies and the servers' ports change from run to run.
normalize() {
    sed -E 's/✔ [0-9.]+m?s$/✔ <latency>/; s/127\.0\.0\.1:[0-9]+/127.0.0.1:<port>/g'
}
normalize_document() { # normalize_document json|yaml < document: as indented JSON
    python3 -c '
import json, re, sys, yaml
def walk(node):
    if isinstance(node, dict):
        return {k: ("<latency>" if k == "latencyMicroseconds" and v is not None else walk(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [walk(v) for v in node]
    if isinstance(node, str):
        return re.sub(r"127\.0\.0\.1:[0-9]+", "127.0.0.1:<port>", node)
    return node
text = sys.stdin.read()
data = json.loads(text) if sys.argv[1] == "json" else yaml.safe_load(text)
print(json.dumps(walk(data), indent=2))' "$1"
}
# expect_golden NAME FILE: FILE, normalised, is the golden NAME.
expect_golden() {
    diff "$GOLDEN/$1" <(normalize <"$2") >"$TEST_TMP/diff" ||
        fail "$1 differs:
$(head -30 "$TEST_TMP/diff")"
}
run_to() { # run_to NAME ARGS...: stdout to $TEST_TMP/NAME.out, stderr to NAME.err; sets RC
    local name=$1
    shift
    RC=0
    "${clusters[@]}" "$@" >"$TEST_TMP/$name.out" 2>"$TEST_TMP/$name.err" || RC=$?
}

# --- every cluster answers ------------------------------------------------------------------
start_sim --workload-clusters 2
for context in kind-workload-1 kind-workload-2; do sim_ctl requests "$context" --clear >/dev/null; done
run_to all --no-color
expect_eq "$RC" 0 "all reachable: exit code ($(cat "$TEST_TMP/all.err"))"
[ ! -s "$TEST_TMP/all.err" ] || fail "all reachable: stderr: $(cat "$TEST_TMP/all.err")"
expect_golden all-reachable.txt "$TEST_TMP/all.out"
grep -Eq '✔ [0-9.]+m?s$' "$TEST_TMP/all.out" || fail "no latency: $(cat "$TEST_TMP/all.out")"
# One concurrent round: exactly one request per cluster, GET /version.
for context in kind-workload-1 kind-workload-2; do
    requests=$(sim_ctl requests "$context")
    expect_eq "$(grep -c . <<<"$requests")" 1 "requests to $context"
    expect_contains "$requests" '"path":"/version' "$context requests"
done
# Colour only when asked for: stdout is a file here.
run_to auto
expect_eq "$(cat "$TEST_TMP/auto.out" | normalize)" "$(normalize <"$TEST_TMP/all.out")" "colour on a pipe"
run_to color --color always
expect_contains "$(cat "$TEST_TMP/color.out")" $'\e[32m✔\e[0m' "--color always"
NO_COLOR=1 run_to nocolor --color always
expect_contains "$(cat "$TEST_TMP/nocolor.out")" $'\e[32m' "--color always beats NO_COLOR"

# Documents.
for format in json yaml; do
    run_to "doc-$format" -o "$format"
    expect_eq "$RC" 0 "-o $format: exit code"
    diff "$GOLDEN/all-reachable.json" <(normalize_document "$format" <"$TEST_TMP/doc-$format.out") \
        >"$TEST_TMP/diff" || fail "-o $format differs: $(head -30 "$TEST_TMP/diff")"
done
python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
for item in doc["items"]:
    assert isinstance(item["latencyMicroseconds"], int) and item["latencyMicroseconds"] >= 0, item
' "$TEST_TMP/doc-json.out" || fail "latencyMicroseconds is not a count"

# --workload-contexts: no Cluster objects, the contexts themselves.
expect_exit 0 "${clusters[@]}" --workload-contexts kind-workload-2,kind-workload-1 --no-color
expect_contains "$(sed -n 2p <<<"$OUT")" "kind-workload-2  kind-workload-2  --workload-contexts  -"

# --- one cluster dead: exit 5, its error in its row, the others still shown -----------------------
expect_exit 0 sim_ctl down kind-workload-2
run_to dead --no-color
expect_eq "$RC" 5 "one cluster down: exit code"
expect_eq "$(cat "$TEST_TMP/dead.err")" 'error: incomplete: workload cluster "kind-workload-2" could not be reached' "one cluster down: stderr"
expect_golden one-down.txt "$TEST_TMP/dead.out"
run_to dead-json -o json
expect_eq "$RC" 5 "one cluster down -o json: exit code"
python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["complete"] is False and doc["missingClusters"] == ["kind-workload-2"], doc
down = doc["items"][1]
assert down["state"] == "Unreachable" and "refused" in down["error"], down
assert down["serverVersion"] is None and down["kubernetesVersion"] == "1.25", down
assert doc["items"][0]["state"] == "Reachable", doc
' "$TEST_TMP/dead-json.out" || fail "one cluster down -o json: $(cat "$TEST_TMP/dead-json.out")"
expect_exit 0 sim_ctl up kind-workload-2

# A slow cluster: its own deadline, the other one unaffected.
expect_exit 0 sim_ctl latency kind-workload-1 3s
expect_exit 5 "${clusters[@]}" --no-color --probe-timeout 500ms
expect_contains "$(grep '^kind-workload-1 ' <<<"$OUT")" "⚠ the server 127.0.0.1:"
expect_contains "$(grep '^kind-workload-1 ' <<<"$OUT")" "did not answer within 500ms"
grep -Eq '^kind-workload-2 .*✔ [0-9.]+m?s$' <<<"$OUT" || fail "the fast cluster: $OUT"
# The latency is the cluster's own: at least the delay injected there (a lower bound only).
expect_exit 0 sim_ctl latency kind-workload-1 300ms
expect_exit 0 "${clusters[@]}" -o json
python3 -c '
import json, sys
items = {item["name"]: item for item in json.loads(sys.argv[1])["items"]}
assert items["kind-workload-1"]["latencyMicroseconds"] >= 300000, items
' "$OUT" || fail "the slow cluster's latency: $OUT"
expect_exit 0 sim_ctl latency kind-workload-1 0

# Refused credentials and permissions are errors of that cluster too.
expect_exit 0 sim_ctl fail kind-workload-1 1 401 --path-suffix /version
expect_exit 5 "${clusters[@]}" --no-color
expect_contains "$(grep '^kind-workload-1 ' <<<"$OUT")" "⚠ You must be logged in to the server"
expect_exit 0 sim_ctl fail kind-workload-2 1 403 --path-suffix /version
expect_exit 5 "${clusters[@]}" --no-color
expect_contains "$(grep '^kind-workload-2 ' <<<"$OUT")" "⚠ from server (Forbidden)"

# TLS: a server name the certificate does not cover.
kubectl config set clusters.kind-workload-1.tls-server-name wrong.example >/dev/null
expect_exit 5 "${clusters[@]}" --no-color
expect_contains "$(grep '^kind-workload-1 ' <<<"$OUT")" "⚠ unable to connect to the server 127.0.0.1:"
expect_contains "$(grep '^kind-workload-1 ' <<<"$OUT")" "certificate"
kubectl config unset clusters.kind-workload-1.tls-server-name >/dev/null
expect_exit 0 "${clusters[@]}" --no-color

# --- exec credential plugins: part of each cluster's probe ------------------------------------
# The plugin: PLUGIN_SLEEP hangs it first; PLUGIN_MEET marks that it runs and waits for the file
# PLUGIN_PEER (what the other cluster's plugin marks), so both succeed only when they run at the
# same time; then PLUGIN_TOKEN is its credential.
plugin="$TEST_TMP/bin/exec-plugin"
mkdir -p "$TEST_TMP/bin"
cat >"$plugin" <<'PLUGIN'
#!/usr/bin/env bash
set -euo pipefail
[ -z "${PLUGIN_SLEEP:-}" ] || sleep "$PLUGIN_SLEEP"
if [ -n "${PLUGIN_MEET:-}" ]; then
    touch "$PLUGIN_MEET"
    for _ in $(seq 600); do
        [ ! -e "$PLUGIN_PEER" ] || break
        sleep 0.1
    done
    [ -e "$PLUGIN_PEER" ] || exit 1
fi
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\n' \
    "$PLUGIN_TOKEN"
PLUGIN
chmod +x "$plugin"
sim_kubeconfig=$KUBECONFIG
# exec_kubeconfig WL1-ENV WL2-ENV: a user with the plugin for each workload context, in a file
# listed before nova-sim's (the first file's context of a name wins). WLn-ENV: extra entries of
# its plugin's env ("" none), or "missing" for a plugin that is not installed.
exec_kubeconfig() {
    local n env command token
    printf 'apiVersion: v1\nkind: Config\ncontexts:\n'
    for n in 1 2; do
        printf -- '- name: kind-workload-%s\n  context: {cluster: kind-workload-%s, user: exec-%s}\n' \
            "$n" "$n" "$n"
    done
    printf 'users:\n'
    for n in 1 2; do
        env=${!n}
        command=$plugin
        if [ "$env" = missing ]; then
            command=not-installed-plugin
            env=""
        fi
        token=$(KUBECONFIG=$sim_kubeconfig kubeconfig_field "{.users[?(@.name==\"kind-workload-$n\")].user.token}")
        printf -- '- name: exec-%s\n  user:\n    exec:\n' "$n"
        printf '      apiVersion: client.authentication.k8s.io/v1\n      command: %s\n' "$command"
        printf '      interactiveMode: Never\n      env:\n'
        printf '      - {name: PLUGIN_TOKEN, value: "%s"}\n' "$token"
        [ -z "$env" ] || printf '%s\n' "$env"
    done
}
exec_kubeconfig "      - {name: PLUGIN_SLEEP, value: '60'}" "" >"$TEST_TMP/exec.yaml"
export KUBECONFIG="$TEST_TMP/exec.yaml:$sim_kubeconfig"
# A hung plugin makes its cluster unreachable after the probe timeout; the other still answers.
run_to hung --no-color --probe-timeout 1s
expect_eq "$RC" 5 "hung plugin: exit code ($(cat "$TEST_TMP/hung.out" "$TEST_TMP/hung.err"))"
expect_eq "$(cat "$TEST_TMP/hung.err")" 'error: incomplete: workload cluster "kind-workload-1" could not be reached' "hung plugin: stderr ($(cat "$TEST_TMP/hung.out"))"
expect_contains "$(grep '^kind-workload-1 ' "$TEST_TMP/hung.out")" "⚠ getting credentials: exec: executable $plugin did not finish within 1s (GET /version)"
grep -Eq '^kind-workload-2 .*✔ [0-9.]+m?s$' "$TEST_TMP/hung.out" || fail "the other cluster: $(cat "$TEST_TMP/hung.out")"
# The clusters' plugins run at the same time: each waits until the other has started.
exec_kubeconfig "      - {name: PLUGIN_MEET, value: '$TEST_TMP/met-1'}
      - {name: PLUGIN_PEER, value: '$TEST_TMP/met-2'}" "      - {name: PLUGIN_MEET, value: '$TEST_TMP/met-2'}
      - {name: PLUGIN_PEER, value: '$TEST_TMP/met-1'}" >"$TEST_TMP/exec.yaml"
expect_exit 0 "${clusters[@]}" --no-color --probe-timeout 30s
expect_eq "$(grep -Ec '^kind-workload-[12] .*✔ [0-9.]+m?s$' <<<"$OUT")" 2 "plugins that meet: $OUT"
# A plugin that is not installed: kubectl's help (several lines) flattened into the row.
exec_kubeconfig missing "" >"$TEST_TMP/exec.yaml"
run_to missing --no-color
expect_eq "$RC" 5 "missing plugin: exit code"
expect_eq "$(grep -c . "$TEST_TMP/missing.out")" 3 "missing plugin: rows ($(cat "$TEST_TMP/missing.out"))"
expect_contains "$(grep '^kind-workload-1 ' "$TEST_TMP/missing.out")" "⚠ getting credentials: exec: executable not-installed-plugin not found  It looks like you are trying to use a client-go credential plugin that is not installed."
export KUBECONFIG=$sim_kubeconfig
expect_exit 0 "${clusters[@]}" --no-color

# --- unmapped, and every source of a context -------------------------------------------------
kubectl config rename-context kind-workload-2 wl-two >/dev/null
run_to unmapped --no-color
expect_eq "$RC" 5 "unmapped: exit code"
expect_eq "$(cat "$TEST_TMP/unmapped.err")" 'error: incomplete: workload cluster "kind-workload-2" could not be reached' "unmapped: stderr"
expect_golden unmapped.txt "$TEST_TMP/unmapped.out"

source_of() { # CONTEXT and SOURCE of kind-workload-2's row
    local row
    row=$(grep '^kind-workload-2 ' <<<"$OUT")
    echo "$(awk '{print $2}' <<<"$row") $(grep -oE -- '--cluster-context|NOVA_ROLLOUTS_CLUSTER_CONTEXTS|config file|same name|unmapped' <<<"$row" | head -n 1)"
}
expect_exit 0 "${clusters[@]}" --no-color --cluster-context kind-workload-2=wl-two
expect_eq "$(source_of)" "wl-two --cluster-context" "context from the flag"
NOVA_ROLLOUTS_CLUSTER_CONTEXTS=kind-workload-2=wl-two expect_exit 0 "${clusters[@]}" --no-color
expect_eq "$(source_of)" "wl-two NOVA_ROLLOUTS_CLUSTER_CONTEXTS" "context from the variable"
mkdir -p "$XDG_CONFIG_HOME/kubectl-nova-rollouts"
printf 'clusterContexts:\n  kind-workload-2: wl-two\n' >"$XDG_CONFIG_HOME/kubectl-nova-rollouts/config.yaml"
expect_exit 0 "${clusters[@]}" --no-color
expect_eq "$(source_of)" "wl-two config file" "context from the config file"
expect_exit 0 "${clusters[@]}" -o json
expect_contains "$OUT" '"contextSource": "config file"'
# The flag wins over the variable, which wins over the file.
NOVA_ROLLOUTS_CLUSTER_CONTEXTS=kind-workload-2=nope expect_exit 5 "${clusters[@]}" --no-color
expect_contains "$(grep '^kind-workload-2 ' <<<"$OUT")" '⚠ context "nope" (from NOVA_ROLLOUTS_CLUSTER_CONTEXTS) is not in the kubeconfig'
NOVA_ROLLOUTS_CLUSTER_CONTEXTS=kind-workload-2=nope expect_exit 0 "${clusters[@]}" --no-color \
    --cluster-context kind-workload-2=wl-two
expect_eq "$(source_of)" "wl-two --cluster-context" "the flag first"
# A context for a cluster Nova does not have: a warning, usually a typo.
expect_exit 0 "${clusters[@]}" --no-color --cluster-context kind-workload-9=wl-two
expect_contains "$OUT" 'warning: a context is given for "kind-workload-9", which is not one of Nova'"'"'s clusters'
rm "$XDG_CONFIG_HOME/kubectl-nova-rollouts/config.yaml"
kubectl config rename-context wl-two kind-workload-2 >/dev/null

# --- usage errors (exit 2), before anything is read -------------------------------------------
expect_exit 2 "${clusters[@]}" --bogus
expect_contains "$OUT" "unknown flag: --bogus"
expect_exit 2 "${clusters[@]}" --probe-timeout 0
expect_contains "$OUT" "--probe-timeout \"0\" must be positive"
expect_exit 2 "${clusters[@]}" --probe-timeout soon
expect_contains "$OUT" 'invalid duration "soon"'
expect_exit 2 "${clusters[@]}" -o table
expect_exit 2 "${clusters[@]}" extra-argument

# --- the control plane refuses, has no clusters, or is down ------------------------------------
expect_exit 0 sim_ctl fail nova 1 403 --path-suffix /clusters
expect_exit 1 "${clusters[@]}"
expect_eq "$OUT" 'error: from server (Forbidden): clusters.cluster.elotl.co is forbidden: User "admin" cannot list resource "clusters" in API group "cluster.elotl.co" at the cluster scope' "control plane 403"
# A server without Cluster objects (a workload cluster as the control plane): nothing to list.
expect_exit 0 "${clusters[@]}" --context kind-workload-1
expect_eq "$OUT" "No resources found." "no Cluster objects"
expect_exit 0 "${clusters[@]}" --context kind-workload-1 -o json
expect_contains "$OUT" '"items": []'
expect_exit 0 sim_ctl down nova
expect_exit 2 "${clusters[@]}" --cluster-context nonsense # usage first, without the control plane
expect_contains "$OUT" "nonsense"
expect_exit 1 "${clusters[@]}"
expect_contains "$OUT" "error: the connection to the server 127.0.0.1:"
expect_eq "$(grep -c . <<<"$OUT")" 1 "lines printed with the control plane down"
stop_sim

# --- standby, not ready, unmapped and bare Cluster objects ------------------------------------
start_sim --workload-clusters 3 --load "nova=$FLEET"
expect_exit 0 sim_ctl down kind-workload-3 # parked: planned, not missing
run_to fleet --no-color
expect_eq "$RC" 5 "fleet: exit code"
expect_eq "$(cat "$TEST_TMP/fleet.err")" 'error: incomplete: workload clusters "bare", "edge-eu-1" could not be reached' "fleet: stderr"
expect_golden fleet.txt "$TEST_TMP/fleet.out"
for format in json yaml; do
    run_to "fleet-$format" -o "$format"
    expect_eq "$RC" 5 "fleet -o $format: exit code"
    diff "$GOLDEN/fleet.json" <(normalize_document "$format" <"$TEST_TMP/fleet-$format.out") \
        >"$TEST_TMP/diff" || fail "fleet -o $format differs: $(head -30 "$TEST_TMP/diff")"
done
# Mapped, the two unmapped clusters answer; the parked one still does not, and that is fine.
expect_exit 0 "${clusters[@]}" --no-color --cluster-context bare=kind-workload-1 \
    --cluster-context edge-eu-1=kind-workload-2
expect_contains "$(grep '^kind-workload-3 ' <<<"$OUT")" "⚠ the connection to the server"
