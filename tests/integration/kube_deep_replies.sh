#!/usr/bin/env bash
# A hostile API server's replies nested 50,000 levels deep (a GET, an error reply, a watch event)
# fail their request with one clear line instead of overflowing the stack where the document is
# later copied or printed.
source "$(dirname "$0")/lib.sh"
[ -n "${KUBE_PROBE_BIN:-}" ] || skip "KUBE_PROBE_BIN is not set (run through CTest)"
probe() { "$KUBE_PROBE_BIN" "$@"; }

start_sim # for its kubeconfig; --server sends the requests to the hostile server instead
port_file="$TEST_TMP/deep.port"
start_bg deep python3 -c '
import http.server, sys
n = 50000
nested = "[" * n + "]" * n
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        code = 200
        if "watch=" in self.path:
            body = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"x\",\"resourceVersion\":\"2\"},\"a\":" + nested + "}}\n"
        elif self.path.startswith("/error"):
            code = 400
            body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"deep\",\"a\":" + nested + "}"
        else:
            body = "{\"metadata\":{\"name\":\"x\"},\"a\":" + nested + "}"
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
open(sys.argv[1] + ".tmp", "w").write(str(server.server_address[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()' "$port_file"
wait_until 10 test -s "$port_file"
deep="http://127.0.0.1:$(cat "$port_file")"

expect_exit 1 probe --context nova --server "$deep" get /apis/argoproj.io/v1alpha1/namespaces/default/rollouts/x
expect_contains "$OUT" "nova error: "
expect_contains "$OUT" "nested deeper than 1000 levels"

# An error reply too deep to read as a Status: described as a reply that is not one.
expect_exit 1 probe --context nova --server "$deep" get /error
expect_contains "$OUT" "nova error: "
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines for a deep error reply"

# A watch event too deep is not an event: an error, and no ADDED.
expect_exit 1 probe --context nova --server "$deep" watch /apis/argoproj.io/v1alpha1/namespaces/default/rollouts --from 1 --events 1 --for 2s
expect_contains "$OUT" "nova ERROR "
expect_contains "$OUT" "not a watch event"
expect_not_contains "$OUT" "nova ADDED"

# The plugin: one line, exit 1.
expect_exit 1 "$NOVA_ROLLOUTS_BIN" --server "$deep" create analysisrun --from x -a a=1
expect_contains "$OUT" "error: "
expect_contains "$OUT" "nested deeper than 1000 levels"
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines of the plugin for a deep reply"
