# zsh -f completion_zpty.zsh SCRIPT LINE: types LINE and TAB into an interactive zsh on a
# pseudo-terminal (zpty) that ran compinit and sourced SCRIPT, then prints the command line as
# zsh's completion widget left it (helper of completion.sh).
zmodload zsh/zpty || exit 1
zpty z 'PS1="> " TERM=dumb zsh -f -i' || exit 1
zpty -w z "autoload -Uz compinit && compinit -u -d ${TMPDIR:-/tmp}/zcompdump.\$\$"
zpty -w z "source ${(q)1}"
zpty -n -w z "$2"$'\t'
# Keys are read in order: after the completion, the line is printed behind a marker.
zpty -w z $'\C-aprint -r -- "LINE:"'
local out chunk line
integer tries
for (( tries = 0; tries < 400; tries++ )); do
    if zpty -rt z chunk; then
        out+=$chunk
        [[ ${out//$'\r'/} == *$'\nLINE:'*$'\n'* ]] && break
    else
        sleep 0.05
    fi
done
zpty -d z
for line in "${(@f)${out//$'\r'/}}"; do
    [[ $line == LINE:* ]] && print -r -- "${line#LINE:}"
done
