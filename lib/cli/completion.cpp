// `completion bash|zsh|fish|kubectl-shim`: prints a script that makes the shell (or kubectl's
// own completion) ask this program what to offer. The scripts hold no command names: they run
// `kubectl-nova-rollouts __complete WORDS... CURRENT` (complete.cpp) and show its answer, so
// they never go out of date. completions/ holds these scripts as printed (a test compares).
#include "lib/cli/completion.hpp"

#include <memory>
#include <ostream>

namespace nova::cli {
namespace {

// Every script below registers itself for both names the plugin is installed under.

constexpr const char* bash_script =
    R"script(# bash completion for kubectl-nova-rollouts                      -*- shell-script -*-
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
)script";

constexpr const char* zsh_script = R"script(#compdef kubectl-nova-rollouts kubectl-nova_rollouts
# zsh completion for kubectl-nova-rollouts
#
# Printed by `kubectl-nova-rollouts completion zsh`. Load it into this shell (after compinit)
# with
#     source <(kubectl-nova-rollouts completion zsh)
# or save it as a file named _kubectl-nova-rollouts in a directory of $fpath. `kubectl
# nova-rollouts <TAB>` is completed by kubectl's own script instead, through
# kubectl_complete-nova_rollouts.
#
# The script asks the program what to offer: `PROGRAM __complete WORDS... CURRENT` prints one
# candidate a line ("value<TAB>description"), then ":<directive>" (cobra's protocol).

_kubectl_nova_rollouts() {
    local program=${(Q)words[1]} cur=${(Q)words[CURRENT]}
    if [[ $program == '~/'* ]]; then
        program=$HOME/${program#'~/'}
    fi
    local out
    out=$("$program" __complete "${(@Q)words[2,CURRENT-1]}" "$cur" 2>/dev/null) || return 1
    local -a lines
    lines=("${(@f)out}")
    local -i directive=0
    if [[ ${lines[-1]} == :<-> ]]; then
        directive=${lines[-1]#:}
        lines[-1]=()
    fi
    (( directive & 1 )) && return 1

    # For --flag=value the program offers bare values: complete after the "--flag=".
    if [[ $cur == -*=* ]]; then
        compset -P 1 '*='
    fi

    local line
    if (( directive & 8 )); then
        local -a extensions
        for line in $lines; do
            [[ -n $line ]] && extensions+=("${line%%$'\t'*}")
        done
        _files -g "*.(${(j:|:)extensions})"
        return
    fi
    if (( directive & 16 )); then
        _files -/
        return
    fi

    local -a matches displays
    local -i described=0
    for line in $lines; do
        [[ -n $line ]] || continue
        matches+=("${line%%$'\t'*}")
        if [[ $line == *$'\t'* ]]; then
            displays+=("${line%%$'\t'*}  -- ${line#*$'\t'}")
            described=1
        else
            displays+=("${line%%$'\t'*}")
        fi
    done
    if (( ${#matches} == 0 )); then
        (( directive & 4 )) && return 1
        _files
        return
    fi
    local -a options
    (( described )) && options+=(-l -d displays)
    (( directive & 2 )) && options+=(-S '')
    if (( directive & 32 )); then
        options+=(-V kubectl-nova-rollouts)
    else
        options+=(-J kubectl-nova-rollouts)
    fi
    compadd "${options[@]}" -a matches
}

if [[ ${funcstack[1]-} == _kubectl-nova-rollouts ]]; then
    # Autoloaded from $fpath: this file is the completion function itself.
    _kubectl_nova_rollouts "$@"
else
    compdef _kubectl_nova_rollouts kubectl-nova-rollouts kubectl-nova_rollouts
fi
)script";

constexpr const char* fish_script = R"script(# fish completion for kubectl-nova-rollouts
#
# Printed by `kubectl-nova-rollouts completion fish`. Load it into this shell with
#     kubectl-nova-rollouts completion fish | source
# or save it as ~/.config/fish/completions/kubectl-nova-rollouts.fish (fish loads a file by the
# command's name: link it as kubectl-nova_rollouts.fish too for the other name). `kubectl
# nova-rollouts <TAB>` is completed by kubectl's own script instead, through
# kubectl_complete-nova_rollouts.
#
# The script asks the program what to offer: `PROGRAM __complete WORDS... CURRENT` prints one
# candidate a line ("value<TAB>description"), then ":<directive>" (cobra's protocol).

function __kubectl_nova_rollouts_complete
    set -l tokens (commandline -opc)
    # The word under the cursor as the command will get it: without its quoting or escapes
    # (fish escapes what it inserts, so a name is never run as code).
    set -l current (commandline -ct | string unescape)
    set -l out ($tokens[1] __complete $tokens[2..-1] "$current" 2>/dev/null)
    or return
    set -l directive 0
    if string match -qr '^:[0-9]+$' -- $out[-1]
        set directive (string sub -s 2 -- $out[-1])
        set -e out[-1]
    end
    if test (math "bitand($directive, 1)") -ne 0
        return
    end

    # For --flag=value the program offers bare values; fish matches the whole word.
    set -l prefix ''
    if string match -qr -- '^-[^=]*=' $current
        set prefix (string replace -r -- '=.*' '=' $current)
    end

    if test (math "bitand($directive, 24)") -ne 0
        # File names: with extensions to keep (8), or directories only (16).
        set -l value (string sub -s (math (string length -- $prefix) + 1) -- $current)
        set -l extensions (string join '|' -- (string split -f1 \t -- $out))
        for path in (__fish_complete_path "$value")
            set -l name (string split -f1 \t -- $path)
            if string match -q -- '*/' $name
                or begin
                    test (math "bitand($directive, 8)") -ne 0
                    and string match -qr -- "\.($extensions)\$" $name
                end
                printf '%s\n' $prefix$name
            end
        end
        return
    end

    # No-space candidates (NAME= of --cluster-context, CONTAINER= of set image) end in '=',
    # after which fish adds no space anyway.
    set -l count 0
    for line in $out
        test -n "$line"; or continue
        printf '%s\n' $prefix$line
        set count (math $count + 1)
    end
    if test $count -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path "$current"
    end
end

complete -c kubectl-nova-rollouts -e
complete -c kubectl-nova-rollouts -f -a '(__kubectl_nova_rollouts_complete)'
complete -c kubectl-nova_rollouts -e
complete -c kubectl-nova_rollouts -f -a '(__kubectl_nova_rollouts_complete)'
)script";

constexpr const char* kubectl_shim = R"script(#!/bin/sh
# kubectl_complete-nova_rollouts: kubectl (1.26+) completes `kubectl nova-rollouts ...` by running
# this file with the words after the plugin's name. It hands them to the plugin's own
# completion, so `kubectl nova-rollouts pro<TAB>` works once kubectl's completion is loaded.
# Printed by `kubectl-nova-rollouts completion kubectl-shim`; install it on PATH next to the
# plugin, executable, and as kubectl_complete-nova-rollouts too for `kubectl nova rollouts`.
# kubectl's scripts insert candidates unquoted: the plugin then offers only names that need no
# quoting.
for program in kubectl-nova-rollouts kubectl-nova_rollouts; do
    if command -v "$program" >/dev/null 2>&1; then
        NOVA_ROLLOUTS_COMPLETION_FOR_KUBECTL=1 exec "$program" __complete "$@"
    fi
done
exit 1
)script";

} // namespace

std::string completion_script(const std::string& shell) {
    if (shell == "bash") {
        return bash_script;
    }
    if (shell == "zsh") {
        return zsh_script;
    }
    if (shell == "fish") {
        return fish_script;
    }
    if (shell == "kubectl-shim") {
        return kubectl_shim;
    }
    return {};
}

void add_completion_command(CLI::App& app, CommandTable& commands, Context& context) {
    auto shell = std::make_shared<std::string>();
    CLI::App* command =
        app.add_subcommand("completion", "Print the shell completion script of bash, zsh or fish");
    command->add_option("SHELL", *shell, "bash, zsh, fish, or kubectl-shim")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish", "kubectl-shim"}));
    command->footer(
        "bash:  source <(kubectl-nova-rollouts completion bash)\n"
        "zsh:   source <(kubectl-nova-rollouts completion zsh)   (after compinit)\n"
        "fish:  kubectl-nova-rollouts completion fish | source\n"
        "kubectl-shim prints kubectl_complete-nova_rollouts, the file through which kubectl "
        "1.26+ completes `kubectl nova-rollouts ...`: put it on PATH, executable.");
    commands.add(command, [&context, shell]() {
        context.out << completion_script(*shell);
        return core::ExitCode::success;
    });
}

} // namespace nova::cli
