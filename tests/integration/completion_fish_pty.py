#!/usr/bin/env python3
"""completion_fish_pty.py SCRIPT LINE: types LINE and TAB into an interactive fish on a
pseudo-terminal that sourced SCRIPT, then prints the command line as fish's completion left it,
run as `echo LINE: ...` (helper of completion.sh). The environment (PATH, KUBECONFIG) is passed
on."""
import os
import pty
import select
import signal
import sys
import time


def read_until(fd, done, seconds):
    out = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end and not done(out):
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


def main():
    script, line = sys.argv[1], sys.argv[2]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "dumb"
        setup = ("source %s; function fish_prompt; echo 'READY> '; end; "
                 "set -g fish_greeting ''" % script.replace("'", "\\'"))
        os.execvp("fish", ["fish", "--no-config", "--private", "-i", "-C", setup])
    try:
        read_until(fd, lambda out: b"READY> " in out, 20)
        os.write(fd, line.encode() + b"\t")
        # Keys are read in order: after the completion, the line is run behind `echo LINE:`.
        os.write(fd, b"\x01echo LINE: \r")
        out = read_until(fd, lambda out: b"\nLINE: " in out.replace(b"\r", b"")
                         and out.replace(b"\r", b"").split(b"\nLINE: ", 1)[1].count(b"\n") > 0, 20)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    for text in out.replace(b"\r", b"").decode(errors="replace").split("\n"):
        if text.startswith("LINE: "):
            print(text[len("LINE: "):])
            return 0
    return 1


sys.exit(main())
