#!/usr/bin/env bash
# Authentication and TLS as kubectl meets them: per-server bearer tokens, the client-certificate
# user, 401 for anything else, and a TLS failure when the kubeconfig trusts another CA.
source "$(dirname "$0")/lib.sh"

start_sim

# The token user and the certificate user both get in; the request log names who did.
expect_exit 0 kubectl --context nova get ns
expect_exit 0 sim_ctl requests nova --clear
expect_exit 0 kubectl --context nova-cert get --raw /api/v1/namespaces
expect_exit 0 sim_ctl requests nova
expect_contains "$OUT" '"path":"/api/v1/namespaces"'
expect_contains "$OUT" '"user":"cert-admin"'

unauthorized="error: You must be logged in to the server (Unauthorized)"

# A wrong token.
cp "$KUBECONFIG" "$TEST_TMP/wrong-token"
kubectl --kubeconfig "$TEST_TMP/wrong-token" config set-credentials nova --token=not-the-token >/dev/null
expect_exit 1 kubectl --kubeconfig "$TEST_TMP/wrong-token" --context nova get ns
expect_contains "$OUT" "$unauthorized"
expect_exit 0 sim_ctl requests nova
expect_contains "$OUT" '"code":401'

# The token of another server: each server has its own.
other_token=$(kubeconfig_field '{.users[?(@.name=="kind-cp")].user.token}')
[ -n "$other_token" ] || fail "kind-cp has no token in the kubeconfig"
cp "$KUBECONFIG" "$TEST_TMP/other-token"
kubectl --kubeconfig "$TEST_TMP/other-token" config set-credentials nova --token="$other_token" >/dev/null
expect_exit 1 kubectl --kubeconfig "$TEST_TMP/other-token" --context nova get ns
expect_contains "$OUT" "$unauthorized"

# No credentials at all (kubectl would prompt for a password here, so ask with curl): 401 and
# the Status object kube-apiserver sends.
if command -v curl >/dev/null 2>&1; then
    kubeconfig_field '{.clusters[?(@.name=="nova")].cluster.certificate-authority-data}' |
        base64 -d >"$TEST_TMP/ca.crt"
    server=$(kubeconfig_field '{.clusters[?(@.name=="nova")].cluster.server}')
    expect_exit 0 curl -sS --cacert "$TEST_TMP/ca.crt" -w ' %{http_code}' "$server/api/v1/namespaces"
    expect_eq "$OUT" '{"apiVersion":"v1","code":401,"kind":"Status","message":"Unauthorized","metadata":{},"reason":"Unauthorized","status":"Failure"} 401' "anonymous request"
fi

# The right token still works on the same connection setup (nothing was locked out).
expect_exit 0 kubectl --context nova get ns

# A kubeconfig that trusts another CA: kubectl refuses the server's certificate.
command -v openssl >/dev/null 2>&1 || skip "openssl is not installed (needed for the wrong-CA check)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=other-ca \
    -keyout "$TEST_TMP/other-ca.key" -out "$TEST_TMP/other-ca.crt" >/dev/null 2>&1
cp "$KUBECONFIG" "$TEST_TMP/wrong-ca"
kubectl --kubeconfig "$TEST_TMP/wrong-ca" config set-cluster nova \
    --certificate-authority="$TEST_TMP/other-ca.crt" --embed-certs=true >/dev/null
expect_exit 1 kubectl --kubeconfig "$TEST_TMP/wrong-ca" --context nova get ns
expect_contains "$OUT" "x509: certificate signed by unknown authority"

# A client certificate from another CA: the TLS handshake fails, nothing is served.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj "/O=system:masters/CN=intruder" -addext "extendedKeyUsage=clientAuth" \
    -keyout "$TEST_TMP/intruder.key" -out "$TEST_TMP/intruder.crt" >/dev/null 2>&1
cp "$KUBECONFIG" "$TEST_TMP/wrong-client"
kubectl --kubeconfig "$TEST_TMP/wrong-client" config set-credentials cert-admin \
    --client-certificate="$TEST_TMP/intruder.crt" --client-key="$TEST_TMP/intruder.key" \
    --embed-certs=true >/dev/null
expect_exit 1 kubectl --kubeconfig "$TEST_TMP/wrong-client" --context nova-cert get ns
expect_contains "$OUT" "tls"

stop_sim
