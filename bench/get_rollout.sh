#!/usr/bin/env bash
# `get rollout` of a rollout spread over N workload clusters, against nova-sim with an injected
# latency on every API server, next to the same information gathered the way an operator does
# today: `kubectl --context nova get rollout NAME -o json`, then `kubectl get replicasets,pods -l
# SELECTOR` once per workload cluster context, one after another (as in the Nova tutorial).
# DESIGN.md §8: the plugin's whole `get` is two concurrent network rounds whatever N, and its peak
# memory stays under 20 MiB for a 50-cluster rollout.
#
#   bench/get_rollout.sh [-n "2 10 50"] [-l 50ms] [-r RUNS] [-s divide|duplicate]
#
# For each N it generates (in a temp dir) a canary Rollout with REPLICAS (10) replicas paused at
# 20% (stable + canary ReplicaSets) in the control plane, and in each workload cluster Nova's copies
# of the two ReplicaSets and their pods: `divide` spreads the pods round-robin over the clusters
# (as Nova's divide spread, tests/data/multicluster/split-canary), `duplicate` puts them all in
# every cluster. nova-sim makes the Cluster objects kind-workload-1..N itself (Ready), and its
# kubeconfig has a context of each name, so the plugin maps them with no flag.
# Metrics per tool: median wall time over RUNS runs after one warm-up (hyperfine when installed,
# else a date +%s%N loop), peak RSS (/usr/bin/time -f %M; for the plugin the median of RUNS more
# runs, as one run varies by about 1 MiB with the order the replies come in; for kubectl the
# largest one process of one run reached, they run one at a time), requests received by all
# servers during one run (warm kubectl discovery cache, as an operator's), and for the plugin
# the network rounds the latency costs: (median wall - median wall at 0 latency) / latency.
#
# Environment: BUILD_DIR (build/dev), PLUGIN, NOVA_SIM, KUBECTL (kubectl), CLUSTERS, LATENCY,
# RUNS (5), REPLICAS (10), SPREAD (divide).
set -euo pipefail
cd "$(dirname "$0")/.."
me="bench/get_rollout.sh"

CLUSTERS="${CLUSTERS:-2 10 50}"
LATENCY="${LATENCY:-50ms}"
RUNS="${RUNS:-5}"
REPLICAS="${REPLICAS:-10}"
SPREAD="${SPREAD:-divide}"
BUILD_DIR="${BUILD_DIR:-build/dev}"
PLUGIN="${PLUGIN:-$BUILD_DIR/cmd/kubectl-nova-rollouts}"
NOVA_SIM="${NOVA_SIM:-$BUILD_DIR/cmd/nova-sim}"
KUBECTL="${KUBECTL:-kubectl}"
ROLLOUT=rollouts-demo
SELECTOR="app=$ROLLOUT"

usage() { sed -n '2,27s/^# \{0,1\}//p' "$0"; }
die() { echo "$me: $*" >&2; exit 1; }

while getopts "n:l:r:s:h" opt; do
    case "$opt" in
        n) CLUSTERS="$OPTARG" ;;
        l) LATENCY="$OPTARG" ;;
        r) RUNS="$OPTARG" ;;
        s) SPREAD="$OPTARG" ;;
        h) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { usage >&2; exit 2; }

[ -x "$PLUGIN" ] || die "no plugin binary at $PLUGIN (build it: cmake --preset dev && cmake --build --preset dev, or set PLUGIN/BUILD_DIR)"
[ -x "$NOVA_SIM" ] || die "no nova-sim binary at $NOVA_SIM (build it: cmake --preset dev && cmake --build --preset dev, or set NOVA_SIM/BUILD_DIR)"
command -v "$KUBECTL" >/dev/null || die "kubectl not found (set KUBECTL, or install kubectl)"
command -v jq >/dev/null || die "jq not found (apt-get install jq)"
if "$KUBECTL" version --client 2>/dev/null | grep -q -- '-dispatcher'; then
    echo "$me: warning: $KUBECTL is gcloud's kubectl dispatcher (one more exec and a /version request per call);" \
        "set KUBECTL to a plain kubectl, e.g. $(dirname "$(readlink -f "$(command -v "$KUBECTL")")")/kubectl.1.29" >&2
fi
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, not '$RUNS'"
[[ "$REPLICAS" =~ ^[1-9][0-9]*$ ]] || die "REPLICAS must be a positive integer, not '$REPLICAS'"
[[ "$SPREAD" == divide || "$SPREAD" == duplicate ]] || die "SPREAD must be divide or duplicate, not '$SPREAD'"
latency_ms=$(awk -v d="$LATENCY" 'BEGIN {
    if (d ~ /^[0-9.]+ms$/) print d + 0; else if (d ~ /^[0-9.]+s$/) print (d + 0) * 1000; else print "" }')
[ -n "$latency_ms" ] && awk -v l="$latency_ms" 'BEGIN { exit !(l > 0) }' \
    || die "latency must be a positive duration such as 50ms or 0.2s, not '$LATENCY'"
for n in $CLUSTERS; do
    [[ "$n" =~ ^[1-9][0-9]*$ && "$n" -le 100 ]] || die "cluster counts must be 1..100 (nova-sim's limit), not '$n'"
done
[ -n "$CLUSTERS" ] || die "no cluster counts given"
time_bin=""
if [ -x /usr/bin/time ]; then time_bin=/usr/bin/time; else
    echo "$me: /usr/bin/time not found: peak RSS is skipped (apt-get install time)" >&2
fi
use_hyperfine=false
command -v hyperfine >/dev/null && use_hyperfine=true

tmp="$(mktemp -d "${TMPDIR:-/tmp}/get_rollout.XXXXXX")"
sim_pid=""
stop_sim() {
    if [ -n "$sim_pid" ]; then
        kill "$sim_pid" 2>/dev/null || true
        wait "$sim_pid" 2>/dev/null || true
        sim_pid=""
    fi
}
cleanup() { stop_sim; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'echo "$me: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------------------------------------
# Objects

canary_replicas=$(( (REPLICAS * 20 + 99) / 100 ))   # setWeight 20, rounded up as argo does
stable_hash=687d76d795
canary_hash=5b4d8f9c7b

uid() { printf '%08x-0000-4000-8000-%012x' "$1" "$2"; }   # (kind, index): unique, stable

replicaset() { # hash role revision image replicas uid desired [owned]
    cat <<EOF
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: $ROLLOUT-$1
  namespace: default
  uid: "$6"
  generation: 1
  creationTimestamp: "2025-06-02T10:05:30Z"
  labels:
    app: $ROLLOUT
    rollouts-pod-template-hash: "$1"
    role: $2
  annotations:
    rollout.argoproj.io/desired-replicas: "$7"
    rollout.argoproj.io/revision: "$3"
EOF
    if [ -n "${8:-}" ]; then # the control plane's ReplicaSets belong to the Rollout
        cat <<EOF
  ownerReferences:
  - apiVersion: argoproj.io/v1alpha1
    kind: Rollout
    name: $ROLLOUT
    uid: "$(uid 5 0)"
    controller: true
    blockOwnerDeletion: true
EOF
    fi
    cat <<EOF
spec:
  replicas: $5
  selector:
    matchLabels:
      app: $ROLLOUT
      rollouts-pod-template-hash: "$1"
  template:
    metadata:
      labels:
        app: $ROLLOUT
        rollouts-pod-template-hash: "$1"
    spec:
      containers:
      - name: $ROLLOUT
        image: argoproj/rollouts-demo:$4
status:
  observedGeneration: 1
  replicas: $5
  fullyLabeledReplicas: $5
  readyReplicas: $5
  availableReplicas: $5
EOF
}

pod() { # name hash role image rs-uid uid cluster
    cat <<EOF
---
apiVersion: v1
kind: Pod
metadata:
  name: $1
  namespace: default
  uid: "$6"
  creationTimestamp: "2025-06-02T10:05:40Z"
  labels:
    app: $ROLLOUT
    rollouts-pod-template-hash: "$2"
    role: $3
  ownerReferences:
  - apiVersion: apps/v1
    kind: ReplicaSet
    name: $ROLLOUT-$2
    uid: "$5"
    controller: true
    blockOwnerDeletion: true
spec:
  containers:
  - name: $ROLLOUT
    image: argoproj/rollouts-demo:$4
  nodeName: $7-worker
  restartPolicy: Always
status:
  phase: Running
  conditions:
  - type: Ready
    status: 'True'
    lastTransitionTime: "2025-06-02T10:05:40Z"
  startTime: "2025-06-02T10:05:40Z"
  containerStatuses:
  - name: $ROLLOUT
    image: argoproj/rollouts-demo:$4
    ready: true
    restartCount: 0
    started: true
    state:
      running:
        startedAt: "2025-06-02T10:05:40Z"
EOF
}

# How many of `total` pods cluster `i` (1-based) of `n` runs.
share() { # total i n
    if [ "$SPREAD" = duplicate ]; then echo "$1"; else echo $(( $1 / $3 + ($2 <= $1 % $3 ? 1 : 0) )); fi
}

generate() { # n dir
    local n=$1 dir=$2 i k s c stable_sum=0 canary_sum=0
    for i in $(seq 1 "$n"); do
        local ctx="kind-workload-$i" out="$dir/kind-workload-$i.yaml"
        s=$(share "$REPLICAS" "$i" "$n"); c=$(share "$canary_replicas" "$i" "$n")
        stable_sum=$((stable_sum + s)); canary_sum=$((canary_sum + c))
        {
            replicaset "$stable_hash" stable 2 blue "$s" "$(uid 1 "$i")" "$s"
            replicaset "$canary_hash" canary 3 yellow "$c" "$(uid 2 "$i")" "$c"
            for k in $(seq 1 "$s"); do
                pod "$ROLLOUT-$stable_hash-c$i-$k" "$stable_hash" stable blue "$(uid 1 "$i")" "$(uid 3 $((i * 10000 + k)))" "$ctx"
            done
            for k in $(seq 1 "$c"); do
                pod "$ROLLOUT-$canary_hash-c$i-$k" "$canary_hash" canary yellow "$(uid 2 "$i")" "$(uid 4 $((i * 10000 + k)))" "$ctx"
            done
        } >"$out"
    done
    {
        cat <<EOF
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: $ROLLOUT
  namespace: default
  uid: "$(uid 5 0)"
  generation: 3
  creationTimestamp: "2025-05-26T10:20:30Z"
  labels:
    app: $ROLLOUT
spec:
  replicas: $REPLICAS
  selector:
    matchLabels:
      app: $ROLLOUT
  template:
    metadata:
      labels:
        app: $ROLLOUT
    spec:
      containers:
      - name: $ROLLOUT
        image: argoproj/rollouts-demo:yellow
  strategy:
    canary:
      canaryMetadata:
        labels:
          role: canary
      stableMetadata:
        labels:
          role: stable
      steps:
      - setWeight: 20
      - pause: {}
      - setWeight: 60
      - pause:
          duration: "30s"
status:
  observedGeneration: "3"
  phase: Paused
  message: CanaryPauseStep
  currentPodHash: "$canary_hash"
  stableRS: "$stable_hash"
  currentStepIndex: 1
  replicas: $((stable_sum + canary_sum))
  updatedReplicas: $canary_sum
  readyReplicas: $((stable_sum + canary_sum))
  availableReplicas: $((stable_sum + canary_sum))
  selector: $SELECTOR
  canary: {}
  conditions:
  - type: Available
    status: 'True'
    reason: AvailableReason
    message: Rollout has minimum availability
    lastTransitionTime: "2025-05-26T10:20:30Z"
    lastUpdateTime: "2025-05-26T10:20:30Z"
  pauseConditions:
  - reason: CanaryPauseStep
    startTime: "2025-06-02T10:06:30Z"
  controllerPause: true
EOF
        replicaset "$stable_hash" stable 2 blue "$stable_sum" "$(uid 1 0)" "$REPLICAS" owned
        replicaset "$canary_hash" canary 3 yellow "$canary_sum" "$(uid 2 0)" "$REPLICAS" owned
    } >"$dir/nova.yaml"
}

# ------------------------------------------------------------------------------------------------
# nova-sim

start_sim() { # n dir
    local n=$1 dir=$2 i
    local loads=(--load "nova=$dir/nova.yaml")
    for i in $(seq 1 "$n"); do loads+=(--load "kind-workload-$i=$dir/kind-workload-$i.yaml"); done
    "$NOVA_SIM" run --dir "$dir/sim" --workload-clusters "$n" --load-created-ago 7d \
        --exit-with-parent "${loads[@]}" >"$dir/sim.log" 2>&1 &
    sim_pid=$!
    for i in $(seq 1 300); do
        [ -f "$dir/sim/ready" ] && break
        kill -0 "$sim_pid" 2>/dev/null || { cat "$dir/sim.log" >&2; sim_pid=""; die "nova-sim exited before it was ready"; }
        sleep 0.1
    done
    [ -f "$dir/sim/ready" ] || die "nova-sim not ready after 30 s (log: $(tail -n 3 "$dir/sim.log"))"
    mapfile -t servers < <("$NOVA_SIM" ctl --dir "$dir/sim" status -o json | jq -r 'keys[]')
    set_latency "$dir/sim" "$LATENCY"
}

set_latency() { # simdir duration
    local ctx
    for ctx in "${servers[@]}"; do "$NOVA_SIM" ctl --dir "$1" latency "$ctx" "$2" >/dev/null; done
}

clear_requests() { # simdir
    local ctx
    for ctx in "${servers[@]}"; do "$NOVA_SIM" ctl --dir "$1" requests "$ctx" --clear >/dev/null; done
}

# Prints "TOTAL CONTROL_PLANE": requests received since the last clear.
count_requests() { # simdir
    local ctx total=0 cp=0 k
    for ctx in "${servers[@]}"; do
        k=$("$NOVA_SIM" ctl --dir "$1" requests "$ctx" | grep -c . || true)
        total=$((total + k))
        [ "$ctx" = nova ] && cp=$k
    done
    echo "$total $cp"
}

# ------------------------------------------------------------------------------------------------
# Measurements

median_ms() { # values in ns on stdin
    sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.0f", m / 1e6 }'
}

# Median wall time in ms of RUNS runs of a command, after one warm-up.
wall_ms() { # command...
    if $use_hyperfine; then
        hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$tmp/hf.json" "$*" >/dev/null 2>&1 \
            || die "hyperfine failed on: $*"
        jq -r '.results[0].median * 1000 | round' "$tmp/hf.json"
    else
        "$@" >/dev/null 2>&1 || die "failed: $*"
        local r t0 t1
        for r in $(seq 1 "$RUNS"); do
            t0=$(date +%s%N); "$@" >/dev/null 2>&1 || die "failed: $*"; t1=$(date +%s%N)
            echo $((t1 - t0))
        done | median_ms
    fi
}

# Median peak RSS in MiB of RUNS runs of a command.
rss_mib() { # command...
    local _
    for _ in $(seq 1 "$RUNS"); do
        "$time_bin" -f %M -o "$tmp/rss" "$@" >/dev/null 2>&1 || die "failed: $*"
        cat "$tmp/rss"
    done | sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 1024 }'
}

# One run with requests cleared before: prints "RSS_MIB TOTAL CONTROL_PLANE", checking the output.
one_run() { # simdir check-regex command...
    local simdir=$1 check=$2 rss="n/a"; shift 2
    clear_requests "$simdir"
    if [ -n "$time_bin" ]; then
        "$time_bin" -f %M -o "$tmp/rss" "$@" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; die "failed: $*"; }
        rss=$(awk '{ printf "%.1f", $1 / 1024 }' "$tmp/rss")
    else
        "$@" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; die "failed: $*"; }
    fi
    grep -q -- "$check" "$tmp/out" || die "unexpected output of $* (no '$check'): $(head -c 400 "$tmp/out")"
    echo "$rss $(count_requests "$simdir")"
}

rows=()
for n in $CLUSTERS; do
    echo "$me: N=$n: generating, starting nova-sim (latency $LATENCY)..." >&2
    dir="$tmp/n$n"; mkdir -p "$dir"
    generate "$n" "$dir"
    start_sim "$n" "$dir"
    export KUBECONFIG="$dir/sim/kubeconfig"

    # The operator's way, as a script so that both tools are timed the same way.
    {
        echo "set -e"
        echo "'$KUBECTL' --cache-dir '$dir/kube-cache' --context nova get rollout $ROLLOUT -o json >/dev/null"
        for i in $(seq 1 "$n"); do
            echo "'$KUBECTL' --cache-dir '$dir/kube-cache' --context kind-workload-$i get replicasets,pods -l $SELECTOR -o json"
        done
    } >"$dir/operator.sh"

    plugin=("$PLUGIN" get rollout "$ROLLOUT" --no-color)
    operator=(bash "$dir/operator.sh")
    "${operator[@]}" >/dev/null 2>&1 || die "the kubectl calls failed: $(bash "$dir/operator.sh" 2>&1 >/dev/null | tail -n 1)"

    echo "$me: N=$n: kubectl-nova-rollouts..." >&2
    result=$(one_run "$dir/sim" "kind-workload-$n " "${plugin[@]}")
    read -r p_rss p_req p_cp <<<"$result"
    [ -z "$time_bin" ] || p_rss=$(rss_mib "${plugin[@]}")
    p_ms=$(wall_ms "${plugin[@]}")
    set_latency "$dir/sim" 0          # the same without latency: what the latency adds, in rounds
    p_ms0=$(wall_ms "${plugin[@]}")
    set_latency "$dir/sim" "$LATENCY"
    p_rounds=$(awk -v a="$p_ms" -v b="$p_ms0" -v l="$latency_ms" 'BEGIN { printf "%.1f", (a - b) / l }')
    echo "$me: N=$n: kubectl, one call per context..." >&2
    result=$(one_run "$dir/sim" "$ROLLOUT-$canary_hash" "${operator[@]}")
    read -r o_rss o_req o_cp <<<"$result"
    o_ms=$(wall_ms "${operator[@]}")

    rows+=("| $n | kubectl-nova-rollouts get rollout | $p_ms ($p_ms0 at 0 latency) | $p_rounds | $p_rss | $p_req | $p_cp + $((p_req - p_cp)) |")
    rows+=("| $n | kubectl, $((n + 1)) calls in sequence | $o_ms | $o_req (one at a time) | $o_rss | $o_req | $o_cp + $((o_req - o_cp)) |")
    stop_sim
    unset KUBECONFIG
done

how="median of $RUNS runs after 1 warm-up ($($use_hyperfine && echo hyperfine || echo 'date +%s%N loop'))"
echo
echo "Latency $LATENCY per request on every server; $REPLICAS replicas (+$canary_replicas canary), spread: $SPREAD; wall: $how."
echo "$(nproc) CPUs, Linux $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ); plugin: $PLUGIN; $("$KUBECTL" version --client 2>/dev/null | head -n 1)."
echo
echo "| N | tool | median wall (ms) | rounds: (wall − wall at 0 latency) / latency | peak RSS (MiB) | requests | control plane + clusters |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
