# Helpers of the write_*.sh tests of promote, abort, retry, pause, resume and restart; sourced
# after lib.sh and start_sim.

NR=$NOVA_ROLLOUTS_BIN
FIXTURES="$NOVA_TESTS_DIR/data/sim"
NS=/apis/argoproj.io/v1alpha1/namespaces/default
MERGE=application/merge-patch+json

# The requests nova received since the last call, oldest first, one a line:
# "METHOD PATH CODE", and for a write its content type and body too.
requests() {
    sim_ctl requests nova --clear | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    words = [r["method"], r["path"], str(r["code"])]
    if r["method"] != "GET":
        words += [r["contentType"], r["body"]]
    print(" ".join(words))
'
}

# nr CODE ARGS...: runs the plugin with a clear request log (expect_exit: OUT, RC).
nr() {
    local code=$1
    shift
    sim_ctl requests nova --clear >/dev/null
    expect_exit "$code" "$NR" "$@"
}

# field KIND NAME JSONPATH: one field of an object as the control plane holds it.
field() {
    kubectl get "$1.argoproj.io" "$2" -o "jsonpath=$3"
}

# The control plane's URL, as --dry-run prints it (read from nova-sim's ports.json: kubectl
# would send requests of its own).
server() {
    python3 -c 'import json, sys; print("https://127.0.0.1:%d" % json.load(open(sys.argv[1]))["nova"])' \
        "$SIM_DIR/ports.json"
}

# json_at PATH: a field of the JSON document in $OUT ("status.currentStepIndex").
json_at() {
    python3 -c '
import json, sys
value = json.loads(sys.stdin.read())
for key in sys.argv[1].split("."):
    value = value[int(key)] if isinstance(value, list) else value.get(key)
print(json.dumps(value) if not isinstance(value, str) else value)
' "$1" <<<"$OUT"
}

# expect_forbidden VERB RESOURCE NAME: the one line a 403 gets.
expect_forbidden() {
    expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "lines of the 403 message"
    expect_contains "$OUT" "error: forbidden: you may not $1 $2 \"$3\" in namespace \"default\""
    expect_contains "$OUT" "ask an admin for \"$1\" on \"$2\" in API group \"argoproj.io\""
}
