# fish completion for kubectl-nova-rollouts
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
