#!/usr/bin/env bash
# nova-sim's command line: help, and one clear `error:` line with the right exit code for every
# bad invocation (2 for usage, 1 for failures), never a crash or a half-started environment.
source "$(dirname "$0")/lib.sh"

sim() { "$NOVA_SIM_BIN" "$@"; }
dir="$TEST_TMP/cli"

# expect_error CODE MESSAGE-PART ARGS...: one line, "error: ...", exit CODE.
expect_error() {
    local code=$1 part=$2
    shift 2
    expect_exit "$code" sim "$@"
    expect_eq "$(wc -l <<<"$OUT")" "1" "lines printed by nova-sim $*"
    expect_contains "$OUT" "error: " "nova-sim $*"
    expect_contains "$OUT" "$part" "nova-sim $*"
}

expect_exit 0 sim --help
expect_contains "$OUT" "run"
expect_contains "$OUT" "ctl"
expect_exit 0 sim run --help
expect_contains "$OUT" "--workload-clusters"
expect_contains "$OUT" "--load"
expect_contains "$OUT" "--watch-history"
expect_exit 0 sim ctl --help
for verb in latency fail warn add-token revoke-token drop-watches compact down up requests status; do
    expect_contains "$OUT" "$verb" "ctl --help"
done

expect_error 2 "" 
expect_error 2 "--dir" run
expect_error 2 "--bogus" run --dir "$dir" --bogus
expect_error 2 "--workload-clusters" run --dir "$dir" --workload-clusters -1
expect_error 2 "--workload-clusters" run --dir "$dir" --workload-clusters many
expect_error 2 "--watch-history" run --dir "$dir" --watch-history 0
expect_error 2 "CONTEXT=FILE" run --dir "$dir" --load nova
expect_error 2 'unknown context "elsewhere"' run --dir "$dir" --load "elsewhere=$TEST_TMP/x.yaml"
expect_error 1 "cannot read $TEST_TMP/missing.yaml" run --dir "$dir" --load "nova=$TEST_TMP/missing.yaml"
printf 'a: [unclosed\n' >"$TEST_TMP/broken.yaml"
expect_error 1 "cannot parse $TEST_TMP/broken.yaml" run --dir "$dir" --load "nova=$TEST_TMP/broken.yaml"
printf -- '- just\n- a list\n' >"$TEST_TMP/list.yaml"
expect_error 1 "$TEST_TMP/list.yaml" run --dir "$dir" --load "nova=$TEST_TMP/list.yaml"
[ ! -e "$dir/ready" ] || fail "a failed start left DIR/ready behind"

# ctl without a running nova-sim, and ctl's own usage errors.
expect_error 1 "not running" ctl --dir "$dir" status
expect_error 2 "" ctl --dir "$dir"
expect_error 2 "" ctl --dir "$dir" explode nova
expect_error 2 "" ctl --dir "$dir" fail nova 2
expect_error 2 "" ctl --dir "$dir" fail nova 2 418
expect_error 2 "" ctl --dir "$dir" fail nova 2 500 --text --html
expect_error 2 "" ctl --dir "$dir" fail nova 2 500 --retry-after -1
expect_error 2 "reset" ctl --dir "$dir" fail nova 2 reset --html
expect_error 2 "reset" ctl --dir "$dir" fail nova 2 reset --retry-after 1
expect_error 2 "" ctl --dir "$dir" compact
expect_error 2 "" ctl --dir "$dir" warn nova
expect_error 2 "" ctl --dir "$dir" add-token nova
expect_error 2 "" ctl --dir "$dir" revoke-token nova
expect_error 2 "" ctl --dir "$dir" status -o yaml
expect_error 2 "" ctl --dir "$dir" latency nova
expect_error 2 "" ctl --dir "$dir" latency nova fast
