# The plugin's command-line frame: help, version, usage errors and their exit codes, and the
# program named as invoked (directly, or through kubectl's plugin mechanism).
source "$(dirname "$0")/lib.sh"
: "${NOVA_ROLLOUTS_BIN:?NOVA_ROLLOUTS_BIN must name the plugin binary (CTest sets it)}"
plugin=$NOVA_ROLLOUTS_BIN

# --help, with and without a command, exits 0 and prints usage on stdout.
expect_exit 0 "$plugin" --help
expect_contains "$OUT" "Usage: kubectl-nova-rollouts"
expect_contains "$OUT" "version"
expect_exit 0 "$plugin" version --help
expect_contains "$OUT" "Usage: kubectl-nova-rollouts version"
expect_contains "$OUT" "--short"
expect_exit 0 "$plugin"
expect_contains "$OUT" "Usage: kubectl-nova-rollouts"

# version: text, --short, -o json.
expect_exit 0 "$plugin" version
expect_contains "$OUT" "kubectl-nova-rollouts: v"
expect_contains "$OUT" "BuildDate: "
expect_contains "$OUT" "Compiler: "
expect_contains "$OUT" "Platform: linux/"
expect_exit 0 "$plugin" version --short
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || fail "version --short printed more than one line: $OUT"
expect_exit 0 "$plugin" version -o json
printf '%s' "$OUT" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
assert doc["kind"] == "Version", doc
assert doc["version"].startswith("v"), doc
for key in ("apiVersion", "buildDate", "compiler", "platform", "gitDescribe"):
    assert key in doc, key
' || fail "version -o json is not the expected document: $OUT"

# Usage errors: exit 2, exactly one line on stderr, nothing on stdout.
usage_error() {
    local want=$1
    shift
    local stdout stderr rc=0
    stdout=$("$plugin" "$@" 2>"$TEST_TMP/stderr") || rc=$?
    stderr=$(cat "$TEST_TMP/stderr")
    expect_eq "$rc" 2 "exit code of: $*"
    expect_eq "$stdout" "" "stdout of: $*"
    expect_eq "$(printf '%s\n' "$stderr" | wc -l)" 1 "stderr line count of: $*"
    expect_contains "$stderr" "error: $want"
}
usage_error "unknown flag: --bogus" version --bogus
usage_error "unknown flag: --bogus" --bogus
usage_error 'unknown command "nope"' nope
usage_error 'unexpected argument "extra"' version extra
usage_error "--output: yaml not in {json}" version -o yaml
usage_error "--output" version -o

# Under kubectl the program is called the way the user typed it.
bin="$TEST_TMP/bin"
mkdir -p "$bin"
ln -s "$plugin" "$bin/kubectl-nova_rollouts"
ln -s "$plugin" "$bin/kubectl-nova-rollouts"
expect_exit 0 env PATH="$bin:$PATH" bash -c 'kubectl nova-rollouts --help'
expect_contains "$OUT" "Usage: kubectl nova-rollouts [OPTIONS]"
expect_exit 2 env PATH="$bin:$PATH" bash -c 'kubectl nova-rollouts version --bogus'
expect_contains "$OUT" "see 'kubectl nova-rollouts version --help'"
expect_exit 0 env PATH="$bin:$PATH" bash -c 'kubectl nova rollouts --help'
expect_contains "$OUT" "Usage: kubectl nova rollouts [OPTIONS]"
# Run directly, it keeps its own name even though the file name starts with kubectl-.
expect_exit 0 env PATH="$bin:$PATH" bash -c 'kubectl-nova_rollouts --help'
expect_contains "$OUT" "Usage: kubectl-nova_rollouts [OPTIONS]"

# kubectl's global flags are accepted before and after the command, as kubectl users write them.
expect_exit 0 "$plugin" --context somewhere version --short
expect_exit 0 "$plugin" version --short -n demo --request-timeout=5s
usage_error "could not convert: --v = x" --v=x version
