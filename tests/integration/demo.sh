# The README's demo (scripts/demo), with the binaries under test: the tutorial walked against
# nova-sim must reach each state it narrates, with the plugin's per-cluster counts.
source "$(dirname "$0")/lib.sh"
: "${NOVA_TESTS_DIR:?}" "${NOVA_ROLLOUTS_BIN:?}"
command -v envsubst >/dev/null 2>&1 || skip "envsubst is not installed (Debian package gettext-base)"

export NOVA_ROLLOUTS_BIN NOVA_SIM_BIN
expect_exit 0 bash "$NOVA_TESTS_DIR/../scripts/demo" --no-build
expect_contains "$OUT" "# Create the Rollout"
# Healthy with 5+5, paused at 1/5 with one canary pod per cluster, 4/5 with 3 canary and 2
# stable per cluster after a Successful analysis, then Healthy on blue with the old RS scaled down.
expect_contains "$OUT" "kind-workload-1  ✔ Ready  stable:5/5  canary:0/0  ready:5/5"
expect_contains "$OUT" "kind-workload-2  ✔ Ready  stable:4/4  canary:1/1  ready:5/5"
expect_contains "$OUT" "Step:          1/5"
expect_contains "$OUT" "kind-workload-1  ✔ Ready  stable:2/2  canary:3/3  ready:5/5"
expect_contains "$OUT" "AnalysisRun  ✔ Successful"
expect_contains "$OUT" "ScaledDown"
expect_contains "$OUT" "argoproj/rollouts-demo:blue (stable)"
# The demo stops its nova-sim: none of its processes outlive it.
if pgrep -f "nova-demo\." >/dev/null 2>&1; then
    fail "a nova-sim started by the demo is still running"
fi
expect_exit 2 bash "$NOVA_TESTS_DIR/../scripts/demo" --bogus
