#!/usr/bin/env bash
# completions/ holds exactly the scripts the plugin prints (`completion bash|zsh|fish|
# kubectl-shim`), and the kubectl shim is executable: scripts/generate-completions --check.
source "$(dirname "$0")/lib.sh"

ROOT="$NOVA_TESTS_DIR/.."
capture "$ROOT/scripts/generate-completions" --check "$NOVA_ROLLOUTS_BIN"
[ "$RC" -eq 0 ] || fail "completions/ is not what the binary prints:
$OUT"
[ -x "$ROOT/completions/kubectl_complete-nova_rollouts" ] ||
    fail "completions/kubectl_complete-nova_rollouts is not executable"
# Every script is valid for its shell.
bash -n "$ROOT/completions/kubectl-nova-rollouts.bash" || fail "bash script: syntax error"
sh -n "$ROOT/completions/kubectl_complete-nova_rollouts" || fail "kubectl shim: syntax error"
zsh -n "$ROOT/completions/_kubectl-nova-rollouts" || fail "zsh script: syntax error"
fish --no-execute "$ROOT/completions/kubectl-nova-rollouts.fish" || fail "fish script: syntax error"
# A shell that is not supported is a usage error.
expect_exit 2 "$NOVA_ROLLOUTS_BIN" completion tcsh
expect_contains "$OUT" "error: "
