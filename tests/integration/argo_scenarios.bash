# Shared by get_argo_goldens.sh and list_argo_goldens.sh (sourced after lib.sh): the argo plugin
# goldens of tests/data/argo-golden-scenarios.tsv, reproduced through the real binary against
# nova-sim with each scenario's fixtures loaded.

: "${NOVA_TESTS_DIR:?NOVA_TESTS_DIR must name the tests folder (CTest sets it)}"
: "${NOVA_ROLLOUTS_BIN:?NOVA_ROLLOUTS_BIN must name kubectl-nova-rollouts (CTest sets it)}"
DATA="$NOVA_TESTS_DIR/data"
GOLDEN_DIR="$DATA/argo-fixtures/golden"

# Prints the scenarios whose command starts with $1 (get or list), one tab-separated line each:
# golden, namespace, command, objects, mutations, events.
argo_scenarios() {
    grep -v '^#' "$DATA/argo-golden-scenarios.tsv" | grep -v '^$' |
        awk -F'\t' -v verb="$1" '$3 ~ "^" verb " "'
}

# An RFC 3339 time (UTC, whole seconds) for now+4h / now-1h.
relative_time() {
    local sign=${1:3:1} amount=${1:4} seconds
    seconds=$(($(date +%s) $sign $(go_seconds "$amount")))
    date -u -d "@$seconds" +%Y-%m-%dT%H:%M:%SZ
}

go_seconds() {
    case "$1" in
    *h) echo $((${1%h} * 3600)) ;;
    *m) echo $((${1%m} * 60)) ;;
    *s) echo "${1%s}" ;;
    *) fail "unknown duration $1" ;;
    esac
}

kind_resource() {
    case "$1" in
    ReplicaSet) echo replicasets ;;
    Experiment) echo experiments.argoproj.io ;;
    Rollout) echo rollouts.argoproj.io ;;
    Pod) echo pods ;;
    AnalysisRun) echo analysisruns.argoproj.io ;;
    *) fail "no resource for kind $1" ;;
    esac
}

# Applies "KIND NAME JSON-POINTER VALUE" the way the unit goldens do, with kubectl.
apply_mutation() {
    local namespace=$1 kind name pointer value patch
    read -r kind name pointer value <<<"$2"
    # JSON pointers escape "/" as ~1, which JSON patch paths use as they are.
    if [ "$value" = delete ]; then
        patch="[{\"op\":\"remove\",\"path\":\"$pointer\"}]"
    else
        case "$value" in now+* | now-*) value=$(relative_time "$value") ;; esac
        patch="[{\"op\":\"add\",\"path\":\"$pointer\",\"value\":\"$value\"}]"
    fi
    expect_exit 0 kubectl -n "$namespace" patch "$(kind_resource "$kind")" "$name" \
        --type json -p "$patch"
}

# Starts nova-sim with the scenario's objects in the control plane, a week old as upstream's
# loader makes them, and applies its mutations.
start_scenario() {
    local namespace=$1 objects=$2 mutations=$3 loads=() path
    local IFS=,
    for path in $objects; do
        loads+=(--load "nova=$DATA/$path")
    done
    unset IFS
    start_sim --load-created-ago 7d "${loads[@]}"
    if [ "$mutations" != - ]; then
        local mutation
        IFS=';' read -ra list <<<"$mutations"
        for mutation in "${list[@]}"; do
            apply_mutation "$namespace" "$mutation"
        done
    fi
}

expected_output() {
    if [ -f "$GOLDEN_DIR/$1.exact.txt" ]; then
        cat "$GOLDEN_DIR/$1.exact.txt"
    else
        cat "$GOLDEN_DIR/$1.txt"
    fi
}

# Compares file $2 with golden $1 byte for byte; shows the difference when it fails.
expect_golden() {
    local golden=$1 actual=$2
    if ! cmp -s <(expected_output "$golden") "$actual"; then
        fail "$golden differs from the golden:
$(diff <(expected_output "$golden") "$actual" | cat -A | head -40)"
    fi
}
