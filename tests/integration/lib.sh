# Shared harness of the integration tests; every tests/integration/*.sh sources it first:
#
#   source "$(dirname "$0")/lib.sh"
#   start_sim --workload-clusters 3
#   expect_exit 0 kubectl --context nova get clusters
#
# CTest provides NOVA_SIM_BIN and NOVA_ROLLOUTS_BIN (tests/CMakeLists.txt). Each test gets a
# private temporary directory ($TEST_TMP) that also serves as HOME, so kubectl's discovery cache
# and any user configuration stay out of the way. On exit, however the test ends, the EXIT trap
# stops nova-sim and every background process started with start_bg, then removes $TEST_TMP.
# Exit status 125 means "skipped" to CTest (SKIP_RETURN_CODE).

set -euo pipefail

: "${NOVA_SIM_BIN:?NOVA_SIM_BIN must name the nova-sim binary (CTest sets it)}"
NOVA_ROLLOUTS_BIN=${NOVA_ROLLOUTS_BIN:-}
TEST_NAME=$(basename "${BASH_SOURCE[1]:-$0}" .sh)

TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/nova-it-${TEST_NAME}.XXXXXX")
export HOME="$TEST_TMP/home"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_CACHE_HOME="$HOME/.cache"
mkdir -p "$HOME"
unset KUBECONFIG NOVA_ROLLOUTS_CLUSTER_CONTEXTS NOVA_SIM_DIR

SIM_PID=""
SIM_DIR=""
SIM_LOG="$TEST_TMP/nova-sim.log"
BG_PIDS=()
OUT="" # output (stdout and stderr) of the last expect_exit / capture
RC=0   # exit code of the last expect_exit / capture

# True while process $1 exists and has not exited; a zombie (exited, not yet reaped) counts as
# gone, which `kill -0` would not tell.
is_running() {
    local state
    [ -r "/proc/$1/stat" ] || return 1
    state=$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# Sends ${3:-TERM} to $1, then SIGKILL if it is still there after ${2:-10} seconds; reaps it when
# it is our child. Returns its exit status (or 1 if it had to be killed).
stop_process() {
    local pid=$1 bound=${2:-10} signal=${3:-TERM} deadline rc=0
    kill -"$signal" "$pid" 2>/dev/null || true
    deadline=$((SECONDS + bound))
    while is_running "$pid"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "process $pid ignored SIG$signal for ${bound} s; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            return 1
        fi
        sleep 0.05
    done
    wait "$pid" 2>/dev/null || rc=$?
    return "$rc"
}

_cleanup() {
    local rc=$?
    set +e
    local pid
    for pid in "${BG_PIDS[@]}"; do
        is_running "$pid" && stop_process "$pid" 5 >/dev/null 2>&1
    done
    if [ -n "$SIM_PID" ]; then
        stop_process "$SIM_PID" 10 >/dev/null 2>&1
        SIM_PID=""
    fi
    rm -rf "$TEST_TMP"
    if [ "$rc" -eq 0 ]; then
        echo "PASS: $TEST_NAME"
    elif [ "$rc" -ne 125 ]; then
        echo "FAIL: $TEST_NAME (exit $rc)" >&2
    fi
    exit "$rc"
}
trap _cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

skip() {
    echo "SKIP: $TEST_NAME: $*"
    exit 125
}

fail() {
    echo "FAIL [$TEST_NAME]: $*" >&2
    if [ -s "$SIM_LOG" ]; then
        echo "--- nova-sim output ---" >&2
        cat "$SIM_LOG" >&2
    fi
    exit 1
}

command -v kubectl >/dev/null 2>&1 || skip "kubectl is not installed"

# Starts `nova-sim run --dir $SIM_DIR ARGS...` in the background and waits (at most 20 s) for
# $SIM_DIR/ready; then exports KUBECONFIG and NOVA_SIM_DIR (which `nova-sim ctl` reads).
start_sim() {
    [ -z "$SIM_PID" ] || fail "start_sim: nova-sim is already running"
    SIM_DIR="$TEST_TMP/sim"
    mkdir -p "$SIM_DIR"
    # --exit-with-parent: should this shell be killed outright (a CTest timeout), nova-sim goes too.
    "$NOVA_SIM_BIN" run --dir "$SIM_DIR" --exit-with-parent "$@" >"$SIM_LOG" 2>&1 &
    SIM_PID=$!
    local deadline=$((SECONDS + 20))
    until [ -f "$SIM_DIR/ready" ]; do
        if ! is_running "$SIM_PID"; then
            local rc=0
            wait "$SIM_PID" || rc=$?
            SIM_PID=""
            fail "nova-sim exited with $rc before it was ready"
        fi
        [ "$SECONDS" -lt "$deadline" ] || fail "nova-sim was not ready within 20 s"
        sleep 0.05
    done
    export KUBECONFIG="$SIM_DIR/kubeconfig"
    export NOVA_SIM_DIR="$SIM_DIR"
}

# Stops nova-sim with ${1:-TERM} (SIGKILL after 10 s); returns its exit status.
stop_sim() {
    [ -n "$SIM_PID" ] || fail "stop_sim: nova-sim is not running"
    local pid=$SIM_PID rc=0
    SIM_PID=""
    stop_process "$pid" 10 "${1:-TERM}" || rc=$?
    return "$rc"
}

# nova-sim's fault switches: sim_ctl down nova, sim_ctl fail nova 2 503, ...
sim_ctl() {
    "$NOVA_SIM_BIN" ctl --dir "$SIM_DIR" "$@"
}

# Runs CMD... in the background, output in $TEST_TMP/NAME.out; sets BG_PID. The EXIT trap stops
# it if the test does not.
start_bg() {
    local name=$1
    shift
    "$@" >"$TEST_TMP/$name.out" 2>&1 &
    BG_PID=$!
    BG_PIDS+=("$BG_PID")
}

# Waits at most $2 seconds for background process $1 to end; returns its exit status, or fails
# the test if it is still running.
wait_bg() {
    local pid=$1 bound=$2 deadline rc=0
    deadline=$((SECONDS + bound))
    while is_running "$pid"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "background process $pid still runs after ${bound} s"
        sleep 0.05
    done
    wait "$pid" 2>/dev/null || rc=$?
    return "$rc"
}

# Polls CMD... (output discarded) until it succeeds, for at most $1 seconds.
wait_until() {
    local bound=$1 deadline
    shift
    deadline=$((SECONDS + bound))
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${bound} s waiting for: $*"
        sleep 0.1
    done
}

# Runs CMD... and sets OUT (stdout and stderr together) and RC, whatever the exit code.
capture() {
    RC=0
    OUT=$("$@" 2>&1) || RC=$?
}

# expect_exit CODE CMD...: CMD must exit with CODE; its output lands in OUT.
expect_exit() {
    local want=$1
    shift
    capture "$@"
    [ "$RC" -eq "$want" ] || fail "expected exit $want, got $RC from: $*
--- output ---
$OUT"
}

expect_eq() {
    local actual=$1 expected=$2 what=${3:-value}
    [ "$actual" = "$expected" ] || fail "$what: expected '$expected', got '$actual'"
}

expect_contains() {
    local haystack=$1 needle=$2 what=${3:-output}
    case "$haystack" in
    *"$needle"*) ;;
    *) fail "$what does not contain '$needle':
$haystack" ;;
    esac
}

expect_not_contains() {
    local haystack=$1 needle=$2 what=${3:-output}
    case "$haystack" in
    *"$needle"*) fail "$what contains '$needle':
$haystack" ;;
    *) ;;
    esac
}

# patch_rollout_status NAME JSON: merge-patches the status of rollout NAME in the current context,
# as the argo-rollouts controller would write it.
patch_rollout_status() {
    kubectl patch rollouts.argoproj.io "$1" --subresource status --type merge \
        -p "{\"status\":$2}" >/dev/null
}

# Prints the value of a kubeconfig field for the current KUBECONFIG, e.g.
#   kubeconfig_field '{.users[?(@.name=="nova")].user.token}'
kubeconfig_field() {
    kubectl config view --raw -o jsonpath="$1"
}
