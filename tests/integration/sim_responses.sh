#!/usr/bin/env bash
# The responses a client must cope with beyond a Status error: an injected 401, errors whose body
# is plain text or an HTML page (a broken upstream, a proxy), Retry-After on 5xx, Warning headers;
# and the request headers the log keeps (User-Agent, Accept, Accept-Encoding, Impersonate-*).
#
# kubectl installations that dispatch on the server version (gcloud's) send an extra GET /version
# first, so failures are injected generously and cleared afterwards; exact counts use curl.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null 2>&1 || skip "curl is not installed"

start_sim
server=$(kubeconfig_field '{.clusters[?(@.name=="nova")].cluster.server}')
kubeconfig_field '{.clusters[?(@.name=="nova")].cluster.certificate-authority-data}' |
    base64 -d >"$TEST_TMP/ca.crt"
printf 'Authorization: Bearer %s\n' "$(kubeconfig_field '{.users[?(@.name=="nova")].user.token}')" \
    >"$TEST_TMP/auth"
namespaces=(get --raw /api/v1/namespaces)

# sim_curl ARGS... URL-PATH: curl against nova with its token, headers and body on stdout.
sim_curl() {
    local path=${*: -1}
    curl -sS -i --cacert "$TEST_TMP/ca.crt" -H "@$TEST_TMP/auth" "${@:1:$#-1}" "$server$path"
}

# --- fail ... 401: what kubectl prints, then recovery ----------------------------------------
expect_exit 0 sim_ctl fail nova 5 401
expect_eq "$OUT" "nova: the next 5 requests fail with 401" "ctl fail 401"
expect_exit 1 kubectl --context nova "${namespaces[@]}"
expect_contains "$OUT" "error: You must be logged in to the server (Unauthorized)"
expect_exit 0 sim_ctl fail nova 0 401
expect_eq "$OUT" "nova: no more injected failures" "ctl fail 0"
expect_exit 0 kubectl --context nova "${namespaces[@]}"

# Exactly COUNT requests fail, with the Status kube-apiserver sends for 401.
expect_exit 0 sim_ctl fail nova 2 401
for _ in 1 2; do
    expect_exit 0 sim_curl /api/v1/namespaces
    expect_contains "$(head -n 1 <<<"$OUT")" " 401"
    expect_contains "$OUT" '"reason":"Unauthorized"'
done
expect_exit 0 sim_curl /api/v1/namespaces
expect_contains "$(head -n 1 <<<"$OUT")" " 200"

# --- 500 with a text/plain body --------------------------------------------------------------
expect_exit 0 sim_ctl fail nova 1 500 --text
expect_eq "$OUT" "nova: the next 1 requests fail with 500, text/plain body" "ctl fail --text"
expect_exit 0 sim_curl /api/v1/namespaces
expect_contains "$(head -n 1 <<<"$OUT")" " 500"
expect_contains "$OUT" "Content-Type: text/plain"
expect_eq "$(tail -n 1 <<<"$OUT")" "upstream exploded" "the text body"
expect_exit 0 sim_ctl fail nova 5 500 --text
expect_exit 1 kubectl --context nova "${namespaces[@]}"
expect_contains "$OUT" 'Error from server (InternalError): an error on the server ("upstream exploded") has prevented the request from succeeding'
expect_exit 0 sim_ctl fail nova 20 500 --text # discovery tries more than once
expect_exit 1 kubectl --context nova get ns
expect_contains "$OUT" '("upstream exploded")'
expect_exit 0 sim_ctl fail nova 0 500

# --- 502 with an HTML page, as a proxy sends ---------------------------------------------------
expect_exit 0 sim_ctl fail nova 1 502 --html
expect_exit 0 sim_curl /api/v1/namespaces
expect_contains "$(head -n 1 <<<"$OUT")" " 502"
expect_contains "$OUT" "Content-Type: text/html"
expect_contains "$OUT" "<title>502 Bad Gateway</title>"
expect_exit 0 sim_ctl fail nova 5 502 --html
expect_exit 1 kubectl --context nova "${namespaces[@]}"
expect_contains "$OUT" 'Error from server (InternalError): an error on the server ("<html>'
expect_contains "$OUT" '502 Bad Gateway'
expect_exit 0 sim_ctl fail nova 0 502
expect_exit 2 sim_ctl fail nova 1 502 --html --text
expect_contains "$OUT" "error:"

# --- Retry-After: always 1 on 429, on 500/503 only when asked ------------------------------------
expect_exit 0 sim_ctl fail nova 1 503
expect_exit 0 sim_curl /api/v1/namespaces
expect_not_contains "$OUT" "Retry-After" "a 503 without --retry-after"
expect_exit 0 sim_ctl fail nova 1 429
expect_exit 0 sim_curl /api/v1/namespaces
expect_contains "$OUT" "Retry-After: 1"
expect_exit 0 sim_ctl fail nova 1 500 --retry-after 3
expect_eq "$OUT" "nova: the next 1 requests fail with 500, Retry-After: 3" "ctl fail --retry-after"
expect_exit 0 sim_curl /api/v1/namespaces
expect_contains "$(head -n 1 <<<"$OUT")" " 500"
expect_contains "$OUT" "Retry-After: 3"
# client-go retries a 5xx that carries Retry-After, so kubectl gets through by itself.
sim_ctl requests nova --clear >/dev/null
expect_exit 0 sim_ctl fail nova 2 503 --retry-after 1
expect_exit 0 kubectl --context nova "${namespaces[@]}"
expect_exit 0 sim_ctl requests nova
expect_eq "$(grep -c '"code":503' <<<"$OUT")" "2" "requests answered 503"
expect_contains "$(tail -n 1 <<<"$OUT")" '"code":200' "last request"

# --- warn: a Warning header on the next COUNT responses ----------------------------------------
expect_exit 0 sim_ctl warn nova 2 'the "rollouts" API is deprecated'
expect_eq "$OUT" "nova: the next 2 responses carry a warning" "ctl warn"
for _ in 1 2; do
    expect_exit 0 sim_curl /api/v1/namespaces/default
    expect_contains "$OUT" 'Warning: 299 - "the \"rollouts\" API is deprecated"'
done
expect_exit 0 sim_curl /api/v1/namespaces/default
expect_not_contains "$OUT" "Warning:" "the third response"
expect_exit 0 sim_ctl warn nova 5 "nova is simulated"
expect_exit 0 sim_ctl status
expect_contains "$(grep '^nova ' <<<"$OUT")" " 5" "WARN-NEXT of nova"
expect_exit 0 kubectl --context nova get ns
expect_contains "$OUT" "Warning: nova is simulated"
expect_contains "$OUT" "kube-system"
expect_exit 0 sim_ctl warn nova 0
expect_eq "$OUT" "nova: no more warnings" "ctl warn 0"
expect_exit 0 kubectl --context nova get ns
expect_not_contains "$OUT" "Warning:" "kubectl after warn 0"
expect_exit 2 sim_ctl warn nova 1
expect_contains "$OUT" "error:"

# --- the request log keeps the headers a client chose ------------------------------------------
sim_ctl requests nova --clear >/dev/null
expect_exit 0 kubectl --context nova --as jane --as-group devs --as-group ops \
    get --raw /api/v1/namespaces/kube-public
expect_exit 0 kubectl --context nova get --raw /api/v1/namespaces/default
expect_exit 0 sim_ctl requests nova --clear
impersonated=$(grep '"path":"/api/v1/namespaces/kube-public"' <<<"$OUT") ||
    fail "no impersonated request in the log: $OUT"
plain=$(grep '"path":"/api/v1/namespaces/default"' <<<"$OUT") || fail "no plain request: $OUT"
expect_contains "$impersonated" '"user":"admin","auth":"bearer"' "impersonated request"
expect_contains "$impersonated" '"impersonate":{"Impersonate-Group":["devs","ops"],"Impersonate-User":["jane"]}' \
    "impersonated request"
expect_contains "$impersonated" '"userAgent":"kubectl/' "impersonated request"
expect_contains "$impersonated" '"acceptEncoding":"gzip"' "impersonated request"
expect_contains "$impersonated" '"accept":"application/json' "impersonated request"
expect_contains "$plain" '"impersonate":{}' "plain request"

# What curl sends, header by header; extra keys are kept, canonically spelled.
expect_exit 0 sim_curl -H 'User-Agent: nova-test/1.0' -H 'Accept: application/json, */*' \
    -H 'Accept-Encoding: identity' -H 'impersonate-user: bob' -H 'Impersonate-Extra-Scopes: a' \
    -H 'Impersonate-Extra-Scopes: b' -H 'Impersonate-Uid: 42' /api/v1/namespaces/default
expect_exit 0 sim_ctl requests nova --clear
expect_eq "$OUT" '{"method":"GET","path":"/api/v1/namespaces/default","code":200,"user":"admin","auth":"bearer","impersonate":{"Impersonate-Extra-Scopes":["a","b"],"Impersonate-Uid":["42"],"Impersonate-User":["bob"]},"userAgent":"nova-test/1.0","accept":"application/json, */*","acceptEncoding":"identity","contentType":"","body":""}' \
    "the logged curl request"

stop_sim
