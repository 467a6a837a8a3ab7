#!/usr/bin/env bash
# lib/kube's credentials and impersonation against nova-sim over TLS, driven by kube-probe:
# tokenFile (relative to its kubeconfig, preferred to an inline token, re-read when it changes
# within one process), basic auth, the oidc auth-provider's id-token, the Impersonate-* headers,
# and none of these secrets in -v=9 output. (Token and client-certificate auth, CA checks and
# insecure-skip-tls-verify are in kube_transport.sh; exec plugins in kube_exec.sh.)
source "$(dirname "$0")/lib.sh"
[ -n "${KUBE_PROBE_BIN:-}" ] || skip "KUBE_PROBE_BIN is not set (run through CTest)"
probe() { "$KUBE_PROBE_BIN" "$@"; }
# The -v=9 log alone (stderr): stdout is the data asked for.
log_of() { "$KUBE_PROBE_BIN" "$@" 2>&1 >/dev/null || true; }
# The last request nova-sim's control plane received, as a JSON line; forgets the log.
last_request() { sim_ctl requests nova --clear | tail -n 1; }

start_sim
ns=/api/v1/namespaces/default

# Users of our own beside nova-sim's kubeconfig; their contexts use nova-sim's cluster `nova`.
# Tokens are registered with nova-sim under a user name each, so the log tells which one came.
b64url() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
id_token="$(b64url '{"alg":"none"}').$(b64url '{"sub":"oidc","exp":4102444800}').c2ln"
expired_id_token="$(b64url '{"alg":"none"}').$(b64url '{"sub":"oidc","exp":1000000000}').c2ln"
expect_exit 0 sim_ctl add-token nova file-token-one --user file-user-one
expect_exit 0 sim_ctl add-token nova file-token-two --user file-user-two
expect_exit 0 sim_ctl add-token nova inline-token-a --user inline-user
expect_exit 0 sim_ctl add-token nova "$id_token" --user oidc-user
mkdir -p "$TEST_TMP/kc/tokens"
printf '  file-token-one \n' >"$TEST_TMP/kc/tokens/token" # surrounding space is trimmed
cat >"$TEST_TMP/kc/users.yaml" <<EOF
apiVersion: v1
kind: Config
contexts:
- {name: tokenfile, context: {cluster: nova, user: tokenfile}}
- {name: both, context: {cluster: nova, user: both}}
- {name: nofile, context: {cluster: nova, user: nofile}}
- {name: oidc, context: {cluster: nova, user: oidc}}
- {name: oidc-expired, context: {cluster: nova, user: oidc-expired}}
- {name: extra, context: {cluster: nova, user: extra}}
users:
- name: tokenfile
  user: {tokenFile: tokens/token}
- name: both
  user: {token: inline-token-a, tokenFile: tokens/both}
- name: nofile
  user: {tokenFile: tokens/missing}
- name: oidc
  user:
    auth-provider: {name: oidc, config: {id-token: "$id_token", client-id: nova}}
- name: oidc-expired
  user:
    auth-provider: {name: oidc, config: {id-token: "$expired_id_token", client-id: nova}}
- name: extra
  user:
    token: $(kubeconfig_field '{.users[?(@.name=="nova")].user.token}')
    as: jane
    as-user-extra: {scopes: [view, edit]}
EOF
export KUBECONFIG="$SIM_DIR/kubeconfig:$TEST_TMP/kc/users.yaml"
sim_ctl requests nova --clear >/dev/null

# --- tokenFile, relative to the kubeconfig that names it (the probe runs elsewhere) ----------
cd /
expect_exit 0 probe --context tokenfile get "$ns"
expect_contains "$OUT" 'tokenfile 200 {'
expect_contains "$(last_request)" '"user":"file-user-one","auth":"bearer"' "request with the token file"
expect_exit 1 probe --context nofile get "$ns"
expect_contains "$OUT" "open $TEST_TMP/kc/tokens/missing: no such file or directory"

# A changed file is read again by the same process: the second round sends the new token (the
# old one is revoked in between, so only the new one can succeed).
go="$TEST_TMP/go"
start_bg rotate "$KUBE_PROBE_BIN" --context tokenfile --rounds 2 --between "$go" get "$ns"
wait_until 20 grep -q '^tokenfile 200 ' "$TEST_TMP/rotate.out"
printf 'file-token-two\n' >"$TEST_TMP/kc/tokens/token.new"
mv "$TEST_TMP/kc/tokens/token.new" "$TEST_TMP/kc/tokens/token"
expect_exit 0 sim_ctl revoke-token nova file-token-one
touch "$go"
rc=0
wait_bg "$BG_PID" 20 || rc=$?
OUT=$(cat "$TEST_TMP/rotate.out")
[ "$rc" -eq 0 ] || fail "the probe failed after the token file changed:
$OUT"
expect_eq "$(grep -c '^tokenfile 200 ' <<<"$OUT")" 2 "successful rounds"
expect_contains "$(last_request)" '"user":"file-user-two"' "request after the change"

# Token and tokenFile: the file wins while it can be read, the inline token is the fallback.
printf 'file-token-two' >"$TEST_TMP/kc/tokens/both"
expect_exit 0 probe --context both get "$ns"
expect_contains "$(last_request)" '"user":"file-user-two"' "request with token and tokenFile"
rm "$TEST_TMP/kc/tokens/both"
expect_exit 0 probe --context both get "$ns"
expect_contains "$(last_request)" '"user":"inline-user"' "request with the token file gone"

# --- basic auth ------------------------------------------------------------------------------
expect_exit 0 probe --context nova-basic get "$ns"
expect_contains "$OUT" 'nova-basic 200 {'
expect_contains "$(last_request)" '"user":"basic-user","auth":"basic"' "request with basic auth"

# --- the oidc auth-provider's id-token -------------------------------------------------------
expect_exit 0 probe --context oidc get "$ns"
expect_contains "$(last_request)" '"user":"oidc-user","auth":"bearer"' "request with an id-token"
expect_exit 1 probe --context oidc-expired get "$ns"
expect_contains "$OUT" 'the oidc id-token of user "oidc-expired" has expired'

# --- impersonation: flags, and the kubeconfig's as / as-user-extra ---------------------------
expect_exit 0 probe --context nova --as jane --as-group dev --as-group ops --as-uid 1234 get "$ns"
expect_contains "$(last_request)" \
    '"impersonate":{"Impersonate-Group":["dev","ops"],"Impersonate-Uid":["1234"],"Impersonate-User":["jane"]}' \
    "request with --as, --as-group, --as-uid"
expect_exit 0 probe --context extra get "$ns"
expect_contains "$(last_request)" \
    '"impersonate":{"Impersonate-Extra-Scopes":["view","edit"],"Impersonate-User":["jane"]}' \
    "request with the kubeconfig's as and as-user-extra"
expect_exit 0 probe --context nova get "$ns"
expect_contains "$(last_request)" '"impersonate":{}' "request without impersonation"
expect_exit 1 probe --context nova --as-group dev get "$ns"
expect_contains "$OUT" "requesting uid, groups or user-extra for nova without impersonating a user"

# --- no secret in -v=9 output, whatever carried it --------------------------------------------
password=$(kubeconfig_field '{.users[?(@.name=="nova-basic")].user.password}')
[ -n "$password" ] || fail "no password for user nova-basic in the kubeconfig"
basic=$(printf 'basic-user:%s' "$password" | base64 -w0)
log=$(log_of --context nova-basic -v=9 get "$ns")
expect_contains "$log" "Authorization: Basic <masked>" "-v=9 log with basic auth"
expect_not_contains "$log" "$password" "-v=9 log with basic auth"
expect_not_contains "$log" "$basic" "-v=9 log with basic auth"
log=$(log_of --context tokenfile -v=9 get "$ns")
expect_contains "$log" "Authorization: Bearer <masked>" "-v=9 log with a token file"
expect_not_contains "$log" "file-token-two" "-v=9 log with a token file"
log=$(log_of --context both -v=9 get "$ns")
expect_not_contains "$log" "inline-token-a" "-v=9 log with an inline token"
log=$(log_of --context oidc -v=9 get "$ns")
expect_contains "$log" "Authorization: Bearer <masked>" "-v=9 log with an id-token"
expect_not_contains "$log" "$id_token" "-v=9 log with an id-token"
log=$(log_of --context nova-basic --password wrong-password-secret -v=9 get "$ns")
expect_contains "$log" "401 Unauthorized" "-v=9 log of a refused password"
expect_not_contains "$log" "wrong-password-secret" "-v=9 log of a refused password"
