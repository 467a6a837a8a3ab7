#!/usr/bin/env bash
# The credentials a Kubernetes client meets besides a kubeconfig token: HTTP basic (context
# nova-basic), bearer tokens added and revoked at run time (as an exec credential plugin hands
# them out), and a pod's service-account files (DIR/serviceaccount) for in-cluster configuration.
# The request log names the scheme each request used, never its secret.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null 2>&1 || skip "curl is not installed"

start_sim
# kubectl words the reason differently for basic credentials ("the server has asked for the
# client to provide credentials"); the start is the same.
unauthorized="error: You must be logged in to the server"
server=$(kubeconfig_field '{.clusters[?(@.name=="nova")].cluster.server}')
kubeconfig_field '{.clusters[?(@.name=="nova")].cluster.certificate-authority-data}' |
    base64 -d >"$TEST_TMP/ca.crt"

# curl_status FILE URL: the HTTP status of a GET with the headers in FILE (kept off the command
# line, where a secret would show in ps).
curl_status() {
    curl -sS -o /dev/null -w '%{http_code}' --cacert "$TEST_TMP/ca.crt" -H "@$1" "$2"
}

# --- basic auth: the nova-basic context -------------------------------------------------------
expect_exit 0 kubeconfig_field '{.contexts[?(@.name=="nova-basic")].context.cluster}'
expect_eq "$OUT" "nova" "cluster of the nova-basic context"
expect_eq "$(kubeconfig_field '{.users[?(@.name=="nova-basic")].user.username}')" "basic-user" \
    "username of nova-basic"
password=$(kubeconfig_field '{.users[?(@.name=="nova-basic")].user.password}')
[ "${#password}" -ge 16 ] || fail "nova-basic's password is too short: ${#password} characters"

sim_ctl requests nova --clear >/dev/null
expect_exit 0 kubectl --context nova-basic get ns
expect_contains "$OUT" "kube-system"
expect_exit 0 sim_ctl requests nova --clear
expect_contains "$OUT" '"user":"basic-user","auth":"basic"'
expect_not_contains "$OUT" "$password" "the request log"

# Every server takes the same basic credentials; a wrong password gets 401.
printf 'Authorization: Basic %s\n' "$(printf 'basic-user:%s' "$password" | base64 -w0)" \
    >"$TEST_TMP/basic"
printf 'Authorization: Basic %s\n' "$(printf 'basic-user:%s' "x$password" | base64 -w0)" \
    >"$TEST_TMP/basic-wrong"
expect_eq "$(curl_status "$TEST_TMP/basic" "$server/api/v1/namespaces")" "200" "basic on nova"
kind_cp=$(kubeconfig_field '{.clusters[?(@.name=="kind-cp")].cluster.server}')
expect_eq "$(curl_status "$TEST_TMP/basic" "$kind_cp/api/v1/namespaces")" "200" "basic on kind-cp"
expect_eq "$(curl_status "$TEST_TMP/basic-wrong" "$server/api/v1/namespaces")" "401" \
    "a wrong basic password"
cp "$KUBECONFIG" "$TEST_TMP/wrong-password"
kubectl --kubeconfig "$TEST_TMP/wrong-password" config set-credentials nova-basic \
    --password=not-the-password >/dev/null
expect_exit 1 kubectl --kubeconfig "$TEST_TMP/wrong-password" --context nova-basic get ns
expect_contains "$OUT" "$unauthorized"

# --- tokens added and revoked at run time ------------------------------------------------------
token="exec-token-$RANDOM$RANDOM"
expect_exit 1 kubectl --context nova --token "$token" get ns
expect_contains "$OUT" "$unauthorized"

expect_exit 0 sim_ctl add-token nova "$token"
expect_eq "$OUT" "nova: token added for user exec-user" "ctl add-token"
sim_ctl requests nova --clear >/dev/null
expect_exit 0 kubectl --context nova --token "$token" get ns
expect_contains "$OUT" "kube-system"
expect_exit 0 sim_ctl requests nova --clear
expect_contains "$OUT" '"user":"exec-user","auth":"bearer"'
expect_not_contains "$OUT" "$token" "the request log"
# Only the server it was added to takes it.
expect_exit 1 kubectl --context kind-cp --token "$token" get ns
expect_contains "$OUT" "$unauthorized"

# --user names the token's user; adding the same token again replaces it.
expect_exit 0 sim_ctl add-token nova "$token" --user alice
expect_eq "$OUT" "nova: token added for user alice" "ctl add-token --user"
sim_ctl requests nova --clear >/dev/null
expect_exit 0 kubectl --context nova --token "$token" get ns
expect_exit 0 sim_ctl requests nova --clear
expect_contains "$OUT" '"user":"alice"'

expect_exit 0 sim_ctl revoke-token nova "$token"
expect_eq "$OUT" "nova: token revoked" "ctl revoke-token"
expect_exit 1 kubectl --context nova --token "$token" get ns
expect_contains "$OUT" "$unauthorized"
expect_exit 0 kubectl --context nova get ns # the kubeconfig's own token is untouched

# Revoking a token the server does not take fails without echoing it; so does a bad token.
expect_exit 1 sim_ctl revoke-token nova "$token"
expect_eq "$OUT" "error: the nova API server does not accept that token" "second revoke-token"
expect_exit 2 sim_ctl add-token nova "has space-$token"
expect_contains "$OUT" "error:"
expect_not_contains "$OUT" "$token" "the error of a bad add-token"
expect_not_contains "$(cat "$SIM_LOG")" "$token" "nova-sim's output"

# --- the service-account files of in-cluster configuration -------------------------------------
sa="$SIM_DIR/serviceaccount"
for file in token ca.crt namespace; do
    [ -s "$sa/$file" ] || fail "DIR/serviceaccount/$file is missing or empty"
done
expect_eq "$(stat -c %a "$sa/token")" "600" "mode of the service-account token"
expect_eq "$(cat "$sa/namespace")" "default" "service-account namespace"
cmp -s "$sa/ca.crt" "$TEST_TMP/ca.crt" || fail "DIR/serviceaccount/ca.crt is not the kubeconfig's CA"

# The control plane's port, as a test setting KUBERNETES_SERVICE_PORT finds it: DIR/ports.json
# and `ctl status -o json` agree with the kubeconfig.
port=$(sed -n 's/^ *"nova": \([0-9][0-9]*\),\{0,1\}$/\1/p' "$SIM_DIR/ports.json")
expect_eq "https://127.0.0.1:$port" "$server" "the nova port in DIR/ports.json"
expect_exit 0 sim_ctl status -o json
expect_contains "$OUT" "\"port\": $port"
expect_contains "$OUT" "\"server\": \"$server\""

# What an in-cluster client does: KUBERNETES_SERVICE_HOST:PORT, the token, the CA.
printf 'Authorization: Bearer %s\n' "$(cat "$sa/token")" >"$TEST_TMP/sa-auth"
sim_ctl requests nova --clear >/dev/null
expect_eq "$(curl_status "$TEST_TMP/sa-auth" \
    "https://127.0.0.1:$port/api/v1/namespaces/$(cat "$sa/namespace")")" "200" \
    "the service-account token on the control plane"
expect_exit 0 sim_ctl requests nova --clear
expect_contains "$OUT" '"user":"system:serviceaccount:default:nova","auth":"bearer"'
expect_exit 0 curl -sS --fail --cacert "$sa/ca.crt" -H "@$TEST_TMP/sa-auth" \
    "https://127.0.0.1:$port/api/v1/namespaces/default"
expect_contains "$OUT" '"name":"default"'
expect_exit 0 kubectl --kubeconfig /dev/null --server "https://127.0.0.1:$port" \
    --certificate-authority "$sa/ca.crt" --token "$(cat "$sa/token")" get ns default -o name
expect_eq "$OUT" "namespace/default" "kubectl with the service-account credentials"
# The token is the control plane's only.
expect_eq "$(curl_status "$TEST_TMP/sa-auth" "$kind_cp/api/v1/namespaces")" "401" \
    "the service-account token on kind-cp"

# --- the request log names the scheme: cert, bearer, basic, none --------------------------------
sim_ctl requests nova --clear >/dev/null
kubectl --context nova-cert get --raw /api/v1/namespaces/default >/dev/null
kubectl --context nova get --raw /api/v1/namespaces/kube-system >/dev/null
kubectl --context nova-basic get --raw /api/v1/namespaces/kube-public >/dev/null
curl -sS -o /dev/null --cacert "$TEST_TMP/ca.crt" "$server/api/v1/namespaces/kube-node-lease"
printf 'Authorization: Negotiate abc\n' >"$TEST_TMP/other"
curl -sS -o /dev/null --cacert "$TEST_TMP/ca.crt" -H "@$TEST_TMP/other" "$server/api/v1/namespaces/nope"
expect_exit 0 sim_ctl requests nova
log=$OUT
line_of() { grep "\"path\":\"/api/v1/namespaces/$1\"" <<<"$log" || fail "no request for $1: $log"; }
expect_contains "$(line_of default)" '"user":"cert-admin","auth":"cert"'
expect_contains "$(line_of kube-system)" '"user":"admin","auth":"bearer"'
expect_contains "$(line_of kube-public)" '"user":"basic-user","auth":"basic"'
expect_contains "$(line_of kube-node-lease)" '"code":401,"user":"","auth":"none"'
expect_contains "$(line_of nope)" '"code":401,"user":"","auth":"other"'
for secret in "$password" "$(kubeconfig_field '{.users[?(@.name=="nova")].user.token}')" \
    "$(cat "$sa/token")"; do
    expect_not_contains "$log" "$secret" "the request log"
done

stop_sim
