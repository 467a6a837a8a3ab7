#!/usr/bin/env bash
# Start-up cost of the plugin for commands that must stay instant (DESIGN.md §8: a few ms):
# `--help`, `version` and a usage error. Reproducible: the same binary, hyperfine's warm-ups,
# a median over many runs; the RSS comes from /usr/bin/time when it exists.
#   bench/startup.sh [BINARY]     (default: build/release/cmd/kubectl-nova-rollouts)
# Needs hyperfine (Debian package `hyperfine`); install it with apt-get if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-build/release/cmd/kubectl-nova-rollouts}"
[ -x "$binary" ] || { echo "bench/startup.sh: no binary at $binary (build the release preset first)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench/startup.sh: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 1; }

hyperfine --warmup 5 --runs 50 -N --export-markdown /dev/stdout \
    "$binary --help" "$binary version" "$binary version -o json"

if [ -x /usr/bin/time ]; then
    for args in "--help" "version"; do
        rss=$(/usr/bin/time -f '%M' "$binary" $args 2>&1 >/dev/null | tail -n 1)
        echo "max RSS of '$args': ${rss} KiB"
    done
fi
