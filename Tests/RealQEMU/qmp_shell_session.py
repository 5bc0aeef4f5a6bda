#!/usr/bin/env python3
"""Record a qmp-shell session with a real QEMU: its `-l` log and its console.

    qmp_shell_session.py --log FILE --console FILE [--pretty] [--qmp-shell-wrap PATH]

qmp-shell comes from PyPI's qemu.qmp (`pip install qemu.qmp`). Its `qmp-shell -l` is unusable in
qemu.qmp 0.0.5 and 0.0.6 (main() passes the log file name where QMPShell expects `server`, so the
shell listens instead of connecting: "StateError: QMPClient is currently connecting"), so this
uses `qmp-shell-wrap -l`, which starts QEMU itself and passes the arguments in the right places.

The commands go in on qmp-shell's standard input, in its own syntax (`name key=value`; it sends
`"arguments": {}` when there are none); an empty line after each makes qmp-shell print the events it has received (to the console
only: the `-l` log holds each command merged with its reply, one object per command).
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

COMMANDS = [
    "query-status",
    "cont",
    "stop",
    "cont",
    "device_add driver=usb-tablet id=tablet0 bus=xhci.0",
    "device_del id=tablet0",
    "device_add driver=usb-kbd id=kbd0 bus=xhci.0",
    "device_del id=kbd0",
    "system_reset",
    'blockdev-add driver=null-co node-name=src size=16777216 read-zeroes=true',
    'blockdev-add driver=null-co node-name=dst size=16777216 read-zeroes=true',
    "blockdev-mirror job-id=mirror0 device=src target=dst sync=full",
    "query-block-jobs",
    "job-complete id=mirror0",
    "blockdev-backup job-id=backup0 device=src target=dst sync=full",
    "query-jobs",
    "no-such-command",
    "query-status verbose=true",
    "query-version",
    "stop",
    "system_powerdown",
    "quit",
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--log", required=True, help="qmp-shell -l output")
    ap.add_argument("--console", required=True, help="qmp-shell's standard output")
    ap.add_argument("--pretty", action="store_true", help="qmp-shell -p")
    ap.add_argument("--qmp-shell-wrap", default=shutil.which("qmp-shell-wrap") or "qmp-shell-wrap")
    ap.add_argument("--qemu", default=shutil.which("qemu-system-x86_64") or "qemu-system-x86_64")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="qmp-shell-session-")
    argv = [args.qmp_shell_wrap, "-v", "-l", os.path.abspath(args.log)]
    if args.pretty:
        argv.append("-p")
    argv += ["--", args.qemu, "-M", "pc", "-accel", "tcg", "-nodefaults", "-display", "none", "-S",
             "-m", "64", "-device", "qemu-xhci,id=xhci"]
    with open(args.console, "wb") as console:
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=console, stderr=subprocess.STDOUT,
                             cwd=work, start_new_session=True)
        try:
            time.sleep(1.5)  # QEMU starts, qmp-shell accepts and negotiates
            for line in COMMANDS:
                p.stdin.write((line + "\n").encode())
                p.stdin.flush()
                time.sleep(0.3)
                p.stdin.write(b"\n")  # show the events received so far
                p.stdin.flush()
                time.sleep(0.1)
            p.stdin.close()
            p.wait(timeout=15)
        except (subprocess.TimeoutExpired, BrokenPipeError) as e:
            sys.stderr.write("qmp_shell_session: %s\n" % e)
        finally:
            # qmp-shell-wrap and its QEMU share the process group started here.
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
    shutil.rmtree(work, ignore_errors=True)
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())
