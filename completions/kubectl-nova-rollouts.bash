# bash completion for kubectl-nova-rollouts                      -*- shell-script -*-
#
# Printed by `kubectl-nova-rollouts completion bash`. Load it into this shell with
#     source <(kubectl-nova-rollouts completion bash)
# or save it in bash-completion's directory (~/.local/share/bash-completion/completions/).
# Best with the bash-completion package loaded. `kubectl nova-rollouts <TAB>` is completed by
# kubectl's own script instead, through kubectl_complete-nova_rollouts.
#
# The script asks the program what to offer: `PROGRAM __completeNoDesc WORDS... CURRENT`
# prints one candidate a line, then ":<directive>" (cobra's protocol). Set BASH_COMP_DEBUG_FILE
# to a file name to trace it.

__kubectl_nova_rollouts_debug() {
    if [[ -n ${BASH_COMP_DEBUG_FILE-} ]]; then
        printf '%s\n' "$*" >>"$BASH_COMP_DEBUG_FILE"
    fi
}

# __kubectl_nova_rollouts_dequote WORD: sets REPLY to WORD as typed on the line with its quoting
# removed (\x, '...', "...", a quote left open at the end), expanding nothing: '$' and '`' stay
# as they are. (bash-completion's dequote runs eval, which would run what the word holds.)
__kubectl_nova_rollouts_dequote() {
    local word=$1 quote="" c
    local -i i
    REPLY=""
    for ((i = 0; i < ${#word}; i++)); do
        c=${word:i:1}
        if [[ $quote == "'" ]]; then
            if [[ $c == "'" ]]; then quote=""; else REPLY+=$c; fi
        elif [[ $quote == '"' ]]; then
            if [[ $c == '"' ]]; then
                quote=""
            elif [[ $c == \\ && ${word:i+1:1} == [\\\"\$\`] ]]; then
                i+=1
                REPLY+=${word:i:1}
            else
                REPLY+=$c
            fi
        elif [[ $c == \\ ]]; then
            i+=1
            REPLY+=${word:i:1}
        elif [[ $c == "'" || $c == '"' ]]; then
            quote=$c
        else
            REPLY+=$c
        fi
    done
}

_kubectl_nova_rollouts() {
    local cur words cword
    if declare -F _get_comp_words_by_ref >/dev/null; then
        # '=' and ':' stay inside words: "--context=a:b" is one word for the program.
        _get_comp_words_by_ref -n =: cur words cword
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${COMP_WORDS[COMP_CWORD]}
    fi
    COMPREPLY=()

    local program=${words[0]}
    # shellcheck disable=SC2088 # a '~' typed on the line, which the shell did not expand
    if [[ $program == "~/"* ]]; then
        program=$HOME/${program#"~/"}
    fi
    # The program gets the words as the command would: without the quoting typed on the line.
    local word
    local -a args=()
    for word in "${words[@]:1:cword-1}"; do
        __kubectl_nova_rollouts_dequote "$word"
        args+=("$REPLY")
    done
    __kubectl_nova_rollouts_dequote "$cur"
    local value=$REPLY
    local out
    out=$("$program" __completeNoDesc "${args[@]}" "$value" \
        2>>"${BASH_COMP_DEBUG_FILE:-/dev/null}") || return 0
    local -a lines=()
    mapfile -t lines <<<"$out"
    local directive=0
    if ((${#lines[@]} > 0)) && [[ ${lines[${#lines[@]}-1]} =~ ^:([0-9]+)$ ]]; then
        directive=${BASH_REMATCH[1]}
        unset 'lines[${#lines[@]}-1]'
    fi
    __kubectl_nova_rollouts_debug "words: ${words[*]:0:cword} current: '$cur' directive: $directive candidates: ${#lines[@]}"
    if ((directive & 1)); then
        return 0
    fi

    # For --flag=value the program offers bare values; the word is the whole "--flag=value".
    local flag_prefix=""
    if [[ $value == -*=* ]]; then
        flag_prefix=${value%%=*}=
    fi

    if ((directive & 24)); then
        # File names: with extensions to keep (8), or directories only (16).
        cur=${cur#"$flag_prefix"}
        if ((directive & 8)); then
            local extensions
            extensions=$(IFS='|' && printf '%s' "${lines[*]}")
            if declare -F _filedir >/dev/null; then
                _filedir "$extensions"
            else
                compopt -o filenames 2>/dev/null
                mapfile -t COMPREPLY < <(compgen -d -- "$cur"
                    compgen -f -- "$cur" | grep -E "\.($extensions)\$")
            fi
        elif declare -F _filedir >/dev/null; then
            _filedir -d
        else
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        fi
        return 0
    fi

    # Candidates are matched unquoted, then quoted for the line: a name such as `b$(id)` or
    # "a;b" (contexts are the kubeconfig's, which anyone may have written) must arrive as one
    # word, never as shell syntax. bash replaces only the part of the word after the last '='
    # or ':' it splits words at (COMP_WORDBREAKS); inside an open quote, the part after it.
    local breaks=${COMP_WORDBREAKS//[^=:]/} head="" unquoted_head=""
    if [[ $cur != [\'\"]* && -n $breaks && $cur == *["$breaks"]* ]]; then
        head=${cur%"${cur##*["$breaks"]}"}
        __kubectl_nova_rollouts_dequote "$head"
        unquoted_head=$REPLY
    fi
    local line candidate quoted
    local -a candidates=()
    for line in "${lines[@]}"; do
        candidate=${line%%$'\t'*}
        [[ -n $candidate ]] || continue
        candidate=$flag_prefix$candidate
        [[ $candidate == "$value"* && $candidate == "$unquoted_head"* ]] || continue
        candidate=${candidate#"$unquoted_head"}
        case $cur in
        \'*)
            # Inside '...' everything is literal, except a "'".
            [[ $candidate != *\'* ]] || continue
            quoted=$candidate
            ;;
        \"*)
            # Inside "...": \ " $ ` take a backslash; a '!' would be history expansion.
            [[ $candidate != *!* ]] || continue
            quoted=${candidate//\\/\\\\}
            quoted=${quoted//\"/\\\"}
            quoted=${quoted//\$/\\\$}
            quoted=${quoted//\`/\\\`}
            ;;
        *)
            quoted=""
            [[ -z $candidate ]] || printf -v quoted '%q' "$candidate"
            ;;
        esac
        candidates+=("$quoted")
    done

    if ((${#candidates[@]} == 0)); then
        if ((directive & 4)); then
            compopt +o default 2>/dev/null # nothing to offer, not even file names
        fi
        return 0
    fi
    if ((directive & 2)); then
        compopt -o nospace 2>/dev/null
    fi
    if ((directive & 32)); then
        compopt -o nosort 2>/dev/null
    fi
    COMPREPLY=("${candidates[@]}")
}

complete -o default -F _kubectl_nova_rollouts kubectl-nova-rollouts kubectl-nova_rollouts
