#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""on_pty.py ROWS OUT [--send BYTES --when FILE] -- CMD...

Runs CMD as a session leader on a new pseudo-terminal of ROWS rows (its
controlling terminal, stdin, stdout and stderr), copies what it writes to
OUT, and once FILE exists types BYTES (e.g. \\x1c, Ctrl-\\). Exits with
CMD's status (128+N for signal N), or 124 if it has not ended in 30 s.
"""
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time

LIMIT_S = 30


def main():
    args = sys.argv[1:]
    rows, out = int(args[0]), args[1]
    send = when = None
    rest = args[2:]
    while rest and rest[0] != "--":
        if rest[0] == "--send":
            send = rest[1].encode().decode("unicode_escape").encode("latin-1")
        elif rest[0] == "--when":
            when = rest[1]
        rest = rest[2:]
    cmd = rest[1:]
    master, slave = os.openpty()
    # the size is set before CMD runs: nothing of it sees another
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 80, 0, 0))
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.close(slave)
        os.execvp(cmd[0], cmd)
    os.close(slave)
    deadline = time.monotonic() + LIMIT_S
    with open(out, "wb") as f:
        while time.monotonic() < deadline:
            if send is not None and when and os.path.exists(when):
                os.write(master, send)
                send = None
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: every holder of the terminal has closed it
                break
            if not data:
                break
            f.write(data)
            f.flush()
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return 124
    _, st = os.waitpid(pid, 0)
    return os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st)


sys.exit(main())
