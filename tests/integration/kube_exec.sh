#!/usr/bin/env bash
# lib/kube's exec credential plugins against nova-sim, driven by kube-probe. The plugin is a
# small script that registers a fresh token with `nova-sim ctl add-token`, prints it as an
# ExecCredential and counts its runs: one run for many concurrent requests, a run per round when
# the credential has expired, a re-run after a 401 whose token later requests use, the install
# hint of a missing plugin, a failing plugin's error and stderr, KUBERNETES_EXEC_INFO, and no
# token in -v=9 output.
source "$(dirname "$0")/lib.sh"
[ -n "${KUBE_PROBE_BIN:-}" ] || skip "KUBE_PROBE_BIN is not set (run through CTest)"
probe() { "$KUBE_PROBE_BIN" "$@"; }

start_sim
export NOVA_SIM_BIN # the plugin registers its tokens through it
ns=/api/v1/namespaces/default

# The plugin. PLUGIN_STATE (a directory) gets `runs`, the last `token` and `exec-info`;
# PLUGIN_API is the apiVersion to answer with; PLUGIN_EXPIRY an expirationTimestamp;
# PLUGIN_FAIL makes it fail with exit code 3 after a line on stderr.
plugin="$TEST_TMP/bin/test-exec-plugin"
mkdir -p "$TEST_TMP/bin"
cat >"$plugin" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
mkdir -p "$PLUGIN_STATE"
runs=$(($(cat "$PLUGIN_STATE/runs" 2>/dev/null || echo 0) + 1))
echo "$runs" >"$PLUGIN_STATE/runs"
printf '%s' "${KUBERNETES_EXEC_INFO:-}" >"$PLUGIN_STATE/exec-info"
if [ -n "${PLUGIN_FAIL:-}" ]; then
    echo "plugin says: no credentials for you" >&2
    exit 3
fi
token="exec-token-$runs-$RANDOM$RANDOM"
"$NOVA_SIM_BIN" ctl add-token nova "$token" --user "exec-user-$runs" >/dev/null
printf '%s' "$token" >"$PLUGIN_STATE/token"
expiry=""
[ -z "${PLUGIN_EXPIRY:-}" ] || expiry=",\"expirationTimestamp\":\"$PLUGIN_EXPIRY\""
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"%s}}\n' \
    "$PLUGIN_API" "$token" "$expiry"
EOF
chmod +x "$plugin"

# One user and context per case, all on the control plane's cluster from nova-sim's kubeconfig
# (KUBECONFIG lists both files: references resolve across them).
v1=client.authentication.k8s.io/v1
beta=client.authentication.k8s.io/v1beta1
exec_user() { # NAME API [ENV-NAME ENV-VALUE]...
    local name=$1 api=$2
    shift 2
    printf -- '- name: %s\n  user:\n    exec:\n      apiVersion: %s\n      command: %s\n' \
        "$name" "$api" "$plugin"
    [ "$api" = "$beta" ] || printf '      interactiveMode: Never\n'
    printf '      env:\n      - {name: PLUGIN_STATE, value: "%s"}\n' "$TEST_TMP/state-$name"
    printf '      - {name: PLUGIN_API, value: "%s"}\n' "$api"
    while [ $# -gt 0 ]; do
        printf '      - {name: %s, value: "%s"}\n' "$1" "$2"
        shift 2
    done
}
{
    printf 'apiVersion: v1\nkind: Config\ncontexts:\n'
    for name in exec expired revoked patching missing failing beta; do
        printf -- '- name: %s\n  context: {cluster: nova, user: %s}\n' "$name" "$name"
    done
    printf 'users:\n'
    exec_user exec "$v1"
    exec_user expired "$v1" PLUGIN_EXPIRY 2001-02-03T04:05:06Z
    exec_user revoked "$v1" PLUGIN_EXPIRY 2999-01-01T00:00:00Z
    exec_user patching "$v1"
    exec_user failing "$v1" PLUGIN_FAIL 1
    exec_user beta "$beta"
    printf -- '      provideClusterInfo: true\n'
    cat <<'EOF'
- name: missing
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: does-not-exist-plugin
      interactiveMode: Never
      installHint: "Install it with: apt-get install does-not-exist-plugin"
EOF
} >"$TEST_TMP/exec.yaml"
export KUBECONFIG="$SIM_DIR/kubeconfig:$TEST_TMP/exec.yaml"
runs_of() { cat "$TEST_TMP/state-$1/runs" 2>/dev/null || echo 0; }
repeat() { # N WORDS...: WORDS repeated N times
    local n=$1 i
    shift
    for ((i = 0; i < n; i++)); do printf '%s\n' "$@"; done
}

# --- one run for many concurrent requests ---------------------------------------------------
sim_ctl requests nova --clear >/dev/null
mapfile -t gets < <(repeat 8 get "$ns")
expect_exit 0 probe --context exec "${gets[@]}"
expect_eq "$(grep -c '^exec 200 ' <<<"$OUT")" 8 "successful requests"
expect_eq "$(runs_of exec)" 1 "plugin runs for 8 concurrent requests"
expect_exit 0 sim_ctl requests nova --clear
expect_eq "$(grep -c '"user":"exec-user-1"' <<<"$OUT")" 8 "requests made with the plugin's token"
# Without an expiry the credential lasts for the life of the process: one run for 3 rounds.
mapfile -t gets < <(repeat 3 get "$ns")
expect_exit 0 probe --context exec --rounds 3 "${gets[@]}"
expect_eq "$(runs_of exec)" 2 "plugin runs after a second process of 3 rounds"

# --- an expired credential: the plugin runs again, once a round ------------------------------
expect_exit 0 probe --context expired --rounds 3 "${gets[@]}"
expect_eq "$(grep -c '^expired 200 ' <<<"$OUT")" 9 "successful requests"
expect_eq "$(runs_of expired)" 3 "plugin runs for 3 rounds with an expired credential"

# --- a revoked token: the 401 re-runs the plugin, and the new token works --------------------
# A GET is retried once with the new credential (kubectl would fail it and fix the next one).
go="$TEST_TMP/go"
sim_ctl requests nova --clear >/dev/null
start_bg revoked "$KUBE_PROBE_BIN" --context revoked --rounds 2 --between "$go" get "$ns"
wait_until 20 grep -q '^revoked 200 ' "$TEST_TMP/revoked.out"
expect_exit 0 sim_ctl revoke-token nova "$(cat "$TEST_TMP/state-revoked/token")"
touch "$go"
rc=0
wait_bg "$BG_PID" 30 || rc=$?
OUT=$(cat "$TEST_TMP/revoked.out")
[ "$rc" -eq 0 ] || fail "the probe exited with $rc after the revocation:
$OUT"
expect_eq "$(grep -c '^revoked 200 ' <<<"$OUT")" 2 "successful requests"
expect_eq "$(runs_of revoked)" 2 "plugin runs (one more after the 401)"
expect_exit 0 sim_ctl requests nova --clear
expect_eq "$(sed -n 2p <<<"$OUT" | grep -c '"code":401')" 1 "second request's answer"
expect_eq "$(sed -n 3p <<<"$OUT" | grep -c '"code":200,"user":"exec-user-2"')" 1 "its retry"

# A write is not retried: it fails as kubectl's does, and the next round's uses the new token.
start_bg patching "$KUBE_PROBE_BIN" --context patching --rounds 3 --between "$go" \
    patch "$ns" '{"metadata":{"labels":{"patched":"yes"}}}'
wait_until 20 grep -q '^patching 200 ' "$TEST_TMP/patching.out"
expect_exit 0 sim_ctl revoke-token nova "$(cat "$TEST_TMP/state-patching/token")"
touch "$go"
wait_until 20 grep -q '^patching error: ' "$TEST_TMP/patching.out"
wait_until 10 test ! -e "$go"
touch "$go"
rc=0
wait_bg "$BG_PID" 30 || rc=$?
OUT=$(cat "$TEST_TMP/patching.out")
expect_eq "$rc" 1 "exit status with one failed round"
expect_contains "$OUT" "patching error: You must be logged in to the server (Unauthorized)"
expect_eq "$(tail -n 1 <<<"$OUT" | cut -d' ' -f1-2)" "patching 200" "the third round"
expect_eq "$(runs_of patching)" 2 "plugin runs"
expect_exit 0 sim_ctl requests nova --clear
expect_eq "$(grep -c '"method":"PATCH"' <<<"$OUT")" 3 "PATCHes sent (none replayed)"

# --- a missing plugin: kubectl's help and the kubeconfig's installHint -----------------------
expect_exit 1 probe --context missing get "$ns"
expect_contains "$OUT" "missing error: getting credentials: exec: executable does-not-exist-plugin not found"
expect_contains "$OUT" "It looks like you are trying to use a client-go credential plugin that is not installed."
expect_contains "$OUT" "Install it with: apt-get install does-not-exist-plugin"

# --- a failing plugin: its stderr passes through, the error names it, one run for all ---------
mapfile -t gets < <(repeat 3 get "$ns")
expect_exit 1 probe --context failing "${gets[@]}"
expect_eq "$(grep -c 'plugin says: no credentials for you' <<<"$OUT")" 1 "plugin stderr lines"
expect_eq "$(grep -c "^failing error: getting credentials: exec: executable $plugin failed with exit code 3" <<<"$OUT")" \
    3 "failed requests naming the plugin"
expect_eq "$(runs_of failing)" 1 "runs of the failing plugin"

# --- KUBERNETES_EXEC_INFO: v1beta1 with provideClusterInfo ------------------------------------
expect_exit 0 probe --context beta get "$ns"
server=$(kubeconfig_field '{.clusters[?(@.name=="nova")].cluster.server}')
info=$(cat "$TEST_TMP/state-beta/exec-info")
expect_contains "$info" '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"cluster":{"server":"'"$server"'","certificate-authority-data":"' "KUBERNETES_EXEC_INFO"
expect_contains "$info" '"interactive":false}}' "KUBERNETES_EXEC_INFO"
expect_eq "$(cat "$TEST_TMP/state-exec/exec-info")" \
    '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}' \
    "KUBERNETES_EXEC_INFO without cluster info"

# --- the plugin's token never reaches -v=9 output ---------------------------------------------
log=$("$KUBE_PROBE_BIN" --context exec -v=9 get "$ns" 2>&1 >/dev/null) || fail "the -v=9 request failed"
expect_contains "$log" "Authorization: Bearer <masked>" "-v=9 log"
expect_not_contains "$log" "exec-token-" "-v=9 log"
