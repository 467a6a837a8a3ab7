# Shared by get_multicluster.sh and get_watch_clusters.sh (sourced after lib.sh): the scenarios
# of tests/data/multicluster loaded into nova-sim.

: "${NOVA_TESTS_DIR:?NOVA_TESTS_DIR must name the tests folder (CTest sets it)}"
SCENARIOS="$NOVA_TESTS_DIR/data/multicluster"

field() { # field SCENARIO KEY: a top-level value of scenario.yaml
    python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]])' \
        "$SCENARIOS/$1/scenario.yaml" "$2"
}
unreachable() {
    python3 -c 'import sys, yaml; print(" ".join(yaml.safe_load(open(sys.argv[1]))["unreachable"] or {}))' \
        "$SCENARIOS/$1/scenario.yaml"
}

start_scenario() { # start_scenario NAME [nova-sim options...]
    local name=$1 dir loads=()
    shift
    for dir in "$SCENARIOS/$name"/*/; do
        loads+=(--load "$(basename "$dir")=$dir")
    done
    start_sim --workload-clusters "$(field "$name" workloadClusters)" "${loads[@]}" "$@"
    local context
    for context in $(unreachable "$name"); do
        sim_ctl down "$context" >/dev/null
    done
}

# hung_login_kubeconfig CONTEXT: a kubeconfig (to list before nova-sim's) whose CONTEXT logs in
# through an exec plugin that never answers ($TEST_TMP/bin/hung-plugin).
hung_login_kubeconfig() {
    local plugin="$TEST_TMP/bin/hung-plugin"
    mkdir -p "$TEST_TMP/bin"
    printf '#!/bin/sh\nexec sleep 170\n' >"$plugin"
    chmod +x "$plugin"
    cat <<YAML
apiVersion: v1
kind: Config
contexts:
- name: $1
  context: {cluster: $1, user: hung}
users:
- name: hung
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: $plugin
      interactiveMode: Never
YAML
}
