#!/usr/bin/env bash
# Shell completion against nova-sim: the hidden `__complete` command (cobra's protocol) with
# names read from the API (rollouts, experiments, analysis runs, namespaces, Nova clusters, a
# rollout's containers) and the kubeconfig (contexts), honouring -n/--context typed on the line;
# errors, a dead server and a slow one give no candidates and no text; then the scripts in real
# shells (bash with bash-completion, zsh, fish) and real kubectl's plugin completion
# (`kubectl __complete nova-rollouts ...` through kubectl_complete-nova_rollouts).
source "$(dirname "$0")/lib.sh"

DATA="$NOVA_TESTS_DIR/data/sim"
COMPLETIONS="$NOVA_TESTS_DIR/../completions"
start_sim --load "nova=$DATA/write-set-image.yaml" --load "nova=$DATA/write-terminate.yaml"
NR=$NOVA_ROLLOUTS_BIN

# A second namespace with a rollout of its own, to see -n and --context taken into account.
kubectl create namespace team-a >/dev/null
kubectl apply -f - >/dev/null <<'EOF'
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: team-rollout, namespace: team-a}
spec:
  replicas: 1
  selector: {matchLabels: {app: team}}
  template:
    metadata: {labels: {app: team}}
    spec: {containers: [{name: team, image: "nginx:1.25"}]}
  strategy: {canary: {steps: [{setWeight: 50}]}}
EOF
kubectl config set-context team --cluster "$(kubeconfig_field '{.contexts[?(@.name=="nova")].context.cluster}')" \
    --user "$(kubeconfig_field '{.contexts[?(@.name=="nova")].context.user}')" \
    --namespace team-a >/dev/null

# complete WORDS...: runs `__complete WORDS...`; stdout in OUT, stderr must stay empty.
complete_words() {
    local err="$TEST_TMP/complete.err" rc=0
    OUT=$("$NR" __complete "$@" 2>"$err") || rc=$?
    [ "$rc" -eq 0 ] || fail "__complete $* exited with $rc"
    [ ! -s "$err" ] || fail "__complete $* wrote to stderr: $(cat "$err")"
}

expect_completion() {
    local expected=$1
    shift
    complete_words "$@"
    expect_eq "$OUT" "$expected" "__complete $*"
}

# --- the command tree ---------------------------------------------------------------------
expect_completion $'promote\tPromote a rollout\n:4' pro
complete_words ''
for command in get list status pause set undo promote abort retry resume restart create \
    terminate version completion; do
    expect_contains "$OUT" "$command	" "root commands"
done
expect_not_contains "$OUT" "__complete" "root commands"
expect_completion $'analysisrun\tTerminate an AnalysisRun\n:4' terminate an
expect_completion $'--full\tPerform a full promotion, skipping analysis, pauses, and steps\n:4' \
    promote demo --fu
expect_completion $'json\nyaml\n:4' status demo -o ''
expect_completion $'always\n:4' get rollout demo --color=al
expect_completion $'bash\nzsh\nfish\nkubectl-shim\n:4' completion ''
expect_completion ':4' version ''
expect_completion ':4' promote demo --help ''
# __completeNoDesc: the same without descriptions.
expect_eq "$("$NR" __completeNoDesc pro)" $'promote\n:4' "__completeNoDesc"
expect_eq "$(COBRA_COMPLETION_DESCRIPTIONS=false "$NR" __complete pro)" $'promote\n:4' \
    "COBRA_COMPLETION_DESCRIPTIONS=false"

# --- names from the API -------------------------------------------------------------------
expect_completion $'demo\nrs-ref\nweb-ref\n:4' promote ''
for command in abort pause resume restart status undo "retry rollout" "get rollout" \
    "get ro" "set image"; do
    # shellcheck disable=SC2086 # the command's words
    expect_completion $'demo\nrs-ref\nweb-ref\n:4' $command ''
done
expect_completion $'web-ref\n:4' promote w
expect_completion $'rs-ref\nweb-ref\n:4' abort demo ''
expect_completion $'exp-a\nexp-b\n:4' get experiment ''
expect_completion $'exp-a\nexp-b\n:4' terminate exp ''
expect_completion $'exp-b\n:4' retry experiment exp-a ''
expect_completion $'run-a\nrun-b\n:4' terminate analysisrun ''
expect_completion $'demo\n:4' list rollouts --name d
# -n, --namespace=, --context (whose namespace is team-a), flags before the command.
expect_completion $'team-rollout\n:4' promote -n team-a ''
expect_completion $'team-rollout\n:4' -n team-a promote ''
expect_completion $'team-rollout\n:4' promote --namespace=team-a ''
expect_completion $'team-rollout\n:4' --context team promote ''
expect_completion $'demo\nrs-ref\nweb-ref\n:4' --context team -n default promote ''
complete_words promote -n ''
expect_contains "$OUT" $'default\n' "namespaces"
expect_contains "$OUT" $'team-a\n' "namespaces"
expect_completion $'team-a\n:4' promote --namespace=te
# Contexts come from the kubeconfig.
expected_contexts=$(kubectl config get-contexts -o name | sort | paste -sd ' ')
complete_words --context ''
expect_eq "$(sed '$d' <<<"$OUT" | paste -sd ' ')" "$expected_contexts" "contexts"
expect_eq "$(tail -1 <<<"$OUT")" ":4" "directive of contexts"
expect_completion $'team\n:4' get rollout demo --context=te
# --cluster-context: Nova's clusters, then contexts after NAME=.
clusters=$(kubectl get clusters.cluster.elotl.co -o jsonpath='{.items[*].metadata.name}')
[ -n "$clusters" ] || fail "nova-sim has no Cluster objects"
complete_words get rollout demo --cluster-context ''
expect_eq "$(sed '$d' <<<"$OUT" | paste -sd ' ')" "$(tr ' ' '\n' <<<"$clusters" | sort |
    sed 's/$/=/' | paste -sd ' ')" "cluster names"
expect_eq "$(tail -1 <<<"$OUT")" ":6" "directive of cluster names (no space after '=')"
first_cluster=${clusters%% *}
expect_completion "$first_cluster=team"$'\n:4' get rollout demo --cluster-context "$first_cluster=te"
# set image: containers (init and ephemeral too), then the current image; a workloadRef
# rollout's Deployment.
expect_completion $'debug=\timage busybox:1.36\ndemo=\timage argoproj/rollouts-demo:blue\nproxy=\timage envoyproxy/envoy:v1.29\nsetup=\timage busybox:1.36\n:6' \
    set image demo ''
expect_completion $'proxy=envoyproxy/envoy:v1.29\tthe current image\n:4' set image demo proxy=
expect_completion $'debug=\timage busybox:1.36\nsetup=\timage busybox:1.36\n:6' \
    set image demo demo=x:1 proxy=y:2 ''
expect_completion $'web=\timage nginx:1.25\n:6' set image web-ref ''
# Only the values were asked for: one request each, all GETs.
sim_ctl requests nova --clear >/dev/null
complete_words promote ''
expect_eq "$(sim_ctl requests nova --clear | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r["method"], r["path"].split("?")[0])
')" "GET /apis/argoproj.io/v1alpha1/namespaces/default/rollouts" "requests of one completion"

# --- errors: nothing offered, nothing printed ---------------------------------------------
expect_completion ':4' promote -n no-such-namespace-is-ok-too-but-empty ''
expect_completion ':4' --kubeconfig "$TEST_TMP/missing" promote ''
expect_completion ':4' --context no-such-context promote ''
expect_completion ':4' set image no-such-rollout ''
expect_completion ':4' -n 'bad/namespace' promote ''
sim_ctl fail nova 1 500 >/dev/null
expect_completion ':4' promote ''
sim_ctl fail nova 1 403 >/dev/null
expect_completion ':4' terminate ar ''
capture env NOVA_ROLLOUTS_COMPLETION_DEBUG=1 "$NR" __complete --kubeconfig "$TEST_TMP/missing" promote ''
expect_contains "$OUT" "completion: " "debug output"
expect_contains "$OUT" ":4" "debug output"
# A dead control plane and a hung one: the answer still comes, empty (the deadline is 2 s).
sim_ctl down nova >/dev/null
expect_completion ':4' promote ''
sim_ctl up nova >/dev/null
sim_ctl latency nova 30s >/dev/null
start_bg slow "$NR" __complete promote ''
wait_bg "$BG_PID" 20 || fail "__complete against a hung server failed"
expect_eq "$(cat "$TEST_TMP/slow.out")" ":4" "__complete against a hung server"
sim_ctl latency nova 0 >/dev/null
# Static completion never connects.
sim_ctl down nova >/dev/null
expect_completion $'promote\tPromote a rollout\n:4' pro
sim_ctl up nova >/dev/null

# Manifests: only JSON and YAML files (and directories) are offered for -f.
FILES="$TEST_TMP/files"
mkdir -p "$FILES"
touch "$FILES/rollout.yaml" "$FILES/notes.txt"
expect_completion $'yaml\nyml\njson\n:8' create -f ''

# --- the installed names: plugin, its kubectl spelling, kubectl's completion shim ---------
BIN="$TEST_TMP/bin"
mkdir -p "$BIN"
ln -s "$NR" "$BIN/kubectl-nova-rollouts"
ln -s "$NR" "$BIN/kubectl-nova_rollouts"
cp "$COMPLETIONS/kubectl_complete-nova_rollouts" "$BIN/"
ln -s kubectl_complete-nova_rollouts "$BIN/kubectl_complete-nova-rollouts"
[ -x "$BIN/kubectl_complete-nova_rollouts" ] || fail "completions/kubectl_complete-nova_rollouts is not executable"
export PATH="$BIN:$PATH"
expect_eq "$(kubectl_complete-nova_rollouts promote w)" $'web-ref\n:4' "the completion shim"
# The binary itself under the shim's name (a link, as a package may install it).
mkdir -p "$TEST_TMP/link"
ln -s "$NR" "$TEST_TMP/link/kubectl_complete-nova_rollouts"
expect_eq "$("$TEST_TMP/link/kubectl_complete-nova_rollouts" promote w)" $'web-ref\n:4' \
    "the binary run as kubectl_complete-nova_rollouts"

# --- bash, with bash-completion -----------------------------------------------------------
# bash_complete WORD...: COMP_WORDS as bash splits the line ('=' and ':' are words of their
# own), the cursor at the end; prints COMPREPLY, one a line.
bash_complete() {
    bash --norc --noprofile -c '
        source /usr/share/bash-completion/bash_completion || exit 1
        source "$1" || exit 1
        shift
        complete -p kubectl-nova-rollouts kubectl-nova_rollouts >/dev/null || exit 1
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE=""
        for word in "$@"; do
            case $word in
            = | :) COMP_LINE+=$word ;;
            *) case ${COMP_LINE: -1} in = | :) COMP_LINE+=$word ;; *) COMP_LINE+="${COMP_LINE:+ }$word" ;; esac ;;
            esac
        done
        COMP_POINT=${#COMP_LINE}
        _kubectl_nova_rollouts
        printf "%s\n" "${COMPREPLY[@]}"
    ' bash "$COMPLETIONS/kubectl-nova-rollouts.bash" "$@"
}
[ -f /usr/share/bash-completion/bash_completion ] || fail "bash-completion is not installed (scripts/install-deps)"
expect_eq "$(bash_complete kubectl-nova-rollouts pro)" "promote" "bash: pro"
expect_eq "$(bash_complete kubectl-nova-rollouts promote '')" $'demo\nrs-ref\nweb-ref' "bash: promote"
expect_eq "$(bash_complete kubectl-nova_rollouts -n team-a promote '')" "team-rollout" "bash: -n"
expect_eq "$(bash_complete kubectl-nova-rollouts promote --namespace = te)" "team-a" "bash: --namespace=te"
expect_eq "$(bash_complete kubectl-nova-rollouts set image demo pr)" "proxy=" "bash: set image"
expect_eq "$(bash_complete kubectl-nova-rollouts status demo -o '')" $'json\nyaml' "bash: -o"
expect_eq "$(bash_complete kubectl-nova-rollouts get rollout demo --cluster-context "$first_cluster" = te)" \
    "team" "bash: --cluster-context NAME=CONTEXT"
expect_eq "$(bash_complete kubectl-nova-rollouts version '')" "" "bash: nothing"
expect_eq "$(bash_complete kubectl-nova-rollouts create -f "$FILES/")" "$FILES/rollout.yaml" "bash: -f"
# A context name with ':' (as EKS names them): bash splits the word there.
kubectl config set-context arn:aws:eks:eu-west-1:1:cluster/nova --cluster "$(kubeconfig_field '{.contexts[?(@.name=="nova")].context.cluster}')" >/dev/null
expect_eq "$(bash_complete kubectl-nova-rollouts --context arn : aw)" "aws:eks:eu-west-1:1:cluster/nova" \
    "bash: --context arn:aw"
expect_eq "$(bash_complete kubectl-nova-rollouts --context = arn : aws : eks : eu)" "eu-west-1:1:cluster/nova" \
    "bash: --context=arn:aws:eks:eu"

# Context names that are shell syntax (a kubeconfig is often someone else's file): offered, but
# quoted, so the line as bash leaves it runs nothing and hands the command the name as it is.
# inserted LINE: the words the shell makes of LINE (evaluated as an interactive shell would run
# it), one a line.
inserted() {
    bash --norc --noprofile -c 'words() { printf "%s\n" "$@"; }; eval "words $1"' bash "$1"
}
nova_cluster=$(kubeconfig_field '{.contexts[?(@.name=="nova")].context.cluster}')
HOSTILE="$TEST_TMP/hostile"
hostile_backtick="b\`touch $HOSTILE-backtick\`"
hostile_semicolon="c;touch $HOSTILE-semicolon"
hostile_dollar="\$(touch $HOSTILE-dollar)"
hostile_paren="e(touch $HOSTILE-paren)" # fish's command substitution
for name in "$hostile_backtick" "$hostile_semicolon" "$hostile_dollar" "$hostile_paren" \
    "my context" "team a:b c"; do
    kubectl config set-context "$name" --cluster "$nova_cluster" >/dev/null
done
reply=$(bash_complete kubectl-nova-rollouts --context b)
expect_eq "$reply" "$(printf '%q' "$hostile_backtick")" "bash: a context with backticks, quoted"
expect_eq "$(inserted "--context $reply")" $'--context\n'"$hostile_backtick" \
    "bash: a context with backticks, inserted"
reply=$(bash_complete kubectl-nova-rollouts promote --context c)
expect_eq "$(inserted "promote --context $reply")" $'promote\n--context\n'"$hostile_semicolon" \
    "bash: a context with ';', inserted"
# Typed as \$( on the line: matched unquoted.
# shellcheck disable=SC2016 # a '$' typed on the line, not expanded
reply=$(bash_complete kubectl-nova-rollouts --context '\$(')
expect_eq "$(inserted "--context $reply")" $'--context\n'"$hostile_dollar" \
    "bash: a context with \$(...), inserted"
# shellcheck disable=SC2016 # a '$' typed on the line, not expanded
reply=$(bash_complete kubectl-nova-rollouts --context = '$(t')
expect_eq "$(inserted "--context=$reply")" "--context=$hostile_dollar" \
    "bash: --context=\$(t, inserted"
# Blanks, and a ':' bash splits the word at: only the part after it is replaced.
reply=$(bash_complete kubectl-nova-rollouts --context = my)
expect_eq "$reply" 'my\ context' "bash: --context=my"
expect_eq "$(inserted "--context=$reply")" "--context=my context" "bash: --context=my, inserted"
reply=$(bash_complete kubectl-nova-rollouts --context 'team\ a' : b)
expect_eq "$reply" 'b\ c' "bash: --context team\\ a:b"
expect_eq "$(inserted "--context team\\ a:$reply")" $'--context\nteam a:b c' \
    "bash: --context team\\ a:b, inserted"
# Inside an open quote: the rest of the name as it is (readline closes the quote).
reply=$(bash_complete kubectl-nova-rollouts --context "'my")
expect_eq "$reply" "my context" "bash: --context 'my"
expect_eq "$(inserted "--context '$reply'")" $'--context\nmy context' "bash: --context 'my, inserted"
# shellcheck disable=SC2016 # a '$' typed on the line, not expanded
reply=$(bash_complete kubectl-nova-rollouts --context '"$(')
expect_eq "$(inserted "--context \"$reply\"")" $'--context\n'"$hostile_dollar" \
    "bash: --context \"\$(, inserted"
# A quoted context typed before the command reaches the program unquoted.
kubectl config set-context "my context" --cluster "$nova_cluster" --namespace team-a \
    --user "$(kubeconfig_field '{.contexts[?(@.name=="nova")].context.user}')" >/dev/null
expect_eq "$(bash_complete kubectl-nova-rollouts --context 'my\ context' promote '')" \
    "team-rollout" "bash: --context my\\ context promote"
for file in "$HOSTILE"-*; do
    [ ! -e "$file" ] || fail "completion ran a command from a context name: $file exists"
done
# BASH_COMP_DEBUG_FILE gets the program's own trace (NOVA_ROLLOUTS_COMPLETION_DEBUG).
BASH_COMP_DEBUG_FILE="$TEST_TMP/bash-debug" NOVA_ROLLOUTS_COMPLETION_DEBUG=1 \
    bash_complete kubectl-nova-rollouts --kubeconfig "$TEST_TMP/missing" promote '' >/dev/null
expect_contains "$(cat "$TEST_TMP/bash-debug")" "completion: " "bash: BASH_COMP_DEBUG_FILE"

# --- zsh ----------------------------------------------------------------------------------
# zsh_complete WORD...: the completion function with compadd captured: the matches, one a line,
# then "display: ..." lines when there are descriptions.
zsh_complete() {
    zsh -f -c '
        autoload -Uz compinit && compinit -u -d "$TMPDIR/zcompdump" || exit 1
        source "$1" || exit 1
        shift
        [[ ${_comps[kubectl-nova-rollouts]} == _kubectl_nova_rollouts ]] || exit 1
        [[ ${_comps[kubectl-nova_rollouts]} == _kubectl_nova_rollouts ]] || exit 1
        compadd() {
            local display="" array=""
            while (( $# )); do
                case $1 in
                    -d) display=$2; shift ;;
                    -S|-J|-V) shift ;;
                    -a) array=$2; shift ;;
                esac
                shift
            done
            print -rl -- "${(@P)array}"
            [[ -n $display ]] && print -rl -- "${(@)${(@P)display}/#/display: }"
            return 0
        }
        words=("$@")
        CURRENT=$#
        _kubectl_nova_rollouts
    ' zsh "$COMPLETIONS/_kubectl-nova-rollouts" "$@"
}
TMPDIR=$TEST_TMP
export TMPDIR
expect_eq "$(zsh_complete kubectl-nova-rollouts pro)" \
    $'promote\ndisplay: promote  -- Promote a rollout' "zsh: pro"
expect_eq "$(zsh_complete kubectl-nova-rollouts promote '')" $'demo\nrs-ref\nweb-ref' "zsh: promote"
expect_eq "$(zsh_complete kubectl-nova_rollouts --context team promote '')" "team-rollout" \
    "zsh: --context"
expect_eq "$(zsh_complete kubectl-nova-rollouts terminate ar '')" $'run-a\nrun-b' "zsh: terminate ar"
expect_eq "$(zsh_complete kubectl-nova-rollouts version '')" "" "zsh: nothing"

# zsh's own completion widget on a pseudo-terminal: compsys, compadd and compset for real.
zsh_widget() {
    zsh -f "$(dirname "$0")/completion_zpty.zsh" "$COMPLETIONS/_kubectl-nova-rollouts" "$1"
}
expect_eq "$(zsh_widget 'kubectl-nova-rollouts pro')" "kubectl-nova-rollouts promote" "zsh widget: pro"
expect_eq "$(zsh_widget 'kubectl-nova_rollouts promote w')" "kubectl-nova_rollouts promote web-ref" \
    "zsh widget: promote w"
expect_eq "$(zsh_widget 'kubectl-nova-rollouts promote --namespace=te')" \
    "kubectl-nova-rollouts promote --namespace=team-a" "zsh widget: --namespace=te"
expect_eq "$(zsh_widget "kubectl-nova-rollouts create -f $FILES/")" \
    "kubectl-nova-rollouts create -f $FILES/rollout.yaml" "zsh widget: -f"
# compadd quotes what it inserts: the hostile names stay names. (zsh_widget runs the completed
# line as `print -r -- "LINE:"LINE`: unquoted, the names would run touch and print less.)
expect_eq "$(zsh_widget "kubectl-nova-rollouts --context b")" \
    "kubectl-nova-rollouts --context $hostile_backtick" "zsh widget: a context with backticks"
expect_eq "$(zsh_widget "kubectl-nova-rollouts --context c")" \
    "kubectl-nova-rollouts --context $hostile_semicolon" "zsh widget: a context with ';'"
expect_eq "$(zsh_widget "kubectl-nova-rollouts --context \\\$(")" \
    "kubectl-nova-rollouts --context $hostile_dollar" "zsh widget: a context with \$(...)"
for file in "$HOSTILE"-*; do
    [ ! -e "$file" ] || fail "zsh completion ran a command from a context name: $file exists"
done

# --- fish ---------------------------------------------------------------------------------
fish_complete() {
    fish --no-config -c "source '$COMPLETIONS/kubectl-nova-rollouts.fish'; complete -C '$1'"
}
expect_eq "$(fish_complete 'kubectl-nova-rollouts pro')" $'promote\tPromote a rollout' "fish: pro"
expect_eq "$(fish_complete 'kubectl-nova-rollouts promote ')" $'demo\nrs-ref\nweb-ref' \
    "fish: promote"
expect_eq "$(fish_complete 'kubectl-nova_rollouts -n team-a promote ')" "team-rollout" "fish: -n"
expect_eq "$(fish_complete 'kubectl-nova-rollouts promote --namespace=te')" \
    "--namespace=team-a" "fish: --namespace=te"
expect_eq "$(fish_complete 'kubectl-nova-rollouts set image demo pro')" \
    $'proxy=\timage envoyproxy/envoy:v1.29' "fish: set image"
expect_eq "$(fish_complete "kubectl-nova-rollouts create --filename=$FILES/")" \
    "--filename=$FILES/rollout.yaml" "fish: --filename="
# fish escapes what it inserts: the hostile names stay names (the helper runs the completed line
# as `echo LINE: LINE`: unescaped, they would run touch and print less).
fish_widget() {
    python3 "$(dirname "$0")/completion_fish_pty.py" "$COMPLETIONS/kubectl-nova-rollouts.fish" "$1"
}
# Typed escaped or in an open quote: matched unescaped.
for typed in c '\$\(' "'\$(" e my; do
    line=$(fish_widget "kubectl-nova-rollouts --context $typed")
    case $typed in
    c) name=$hostile_semicolon ;;
    *\$*) name=$hostile_dollar ;;
    e) name=$hostile_paren ;;
    my) name="my context" ;;
    esac
    expect_eq "$line" "kubectl-nova-rollouts --context $name" "fish widget: --context $typed"
done
for file in "$HOSTILE"-*; do
    [ ! -e "$file" ] || fail "fish completion ran a command from a context name: $file exists"
done

# --- kubectl's plugin completion (kubectl 1.26+) ------------------------------------------
capture kubectl version --client
[ "$RC" -eq 0 ] || fail "kubectl version --client failed: $OUT"
kubectl_complete() {
    kubectl __complete "$@" 2>/dev/null
}
expect_eq "$(kubectl_complete nova-rollouts pro)" $'promote\tPromote a rollout\n:4' \
    "kubectl __complete nova-rollouts pro"
expect_eq "$(kubectl_complete nova-rollouts promote '')" $'demo\nrs-ref\nweb-ref\n:4' \
    "kubectl __complete nova-rollouts promote ''"
expect_eq "$(kubectl_complete nova-rollouts -n team-a promote '')" $'team-rollout\n:4' \
    "kubectl __complete nova-rollouts -n team-a promote ''"
expect_eq "$(kubectl_complete nova rollouts promote w)" $'web-ref\n:4' \
    "kubectl __complete nova rollouts promote w"
expect_eq "$(kubectl_complete nova-rollouts promote --namespace=te)" $'team-a\n:4' \
    "kubectl __complete nova-rollouts promote --namespace=te"
expect_eq "$(kubectl_complete nova-rollouts set image demo pr)" $'proxy=\timage envoyproxy/envoy:v1.29\n:6' \
    "kubectl __complete nova-rollouts set image demo pr"
# kubectl's scripts insert candidates unquoted (and bash's passes them through compgen -W, which
# expands them): through kubectl, only contexts that need no quoting are offered.
expect_eq "$(kubectl_complete nova-rollouts --context '')" "$(kubectl config get-contexts -o name |
    grep -E '^[A-Za-z0-9._/:@=,+%-]+$' | sort)"$'\n:4' "kubectl __complete nova-rollouts --context ''"
expect_eq "$(kubectl_complete nova-rollouts --context b)" ":4" \
    "kubectl __complete nova-rollouts --context b (backticks)"
expect_eq "$(kubectl_complete nova-rollouts --context arn)" $'arn:aws:eks:eu-west-1:1:cluster/nova\n:4' \
    "kubectl __complete nova-rollouts --context arn"
expect_eq "$(kubectl_complete-nova_rollouts --context c)" ":4" "the completion shim: --context c (';')"
expect_eq "$("$TEST_TMP/link/kubectl_complete-nova_rollouts" --context m)" ":4" \
    "the binary as kubectl_complete-nova_rollouts: --context m (a blank)"
# The plugin's own scripts still get them all (they quote).
expect_eq "$("$NR" __complete --context m)" $'my context\n:4' "__complete --context m"
