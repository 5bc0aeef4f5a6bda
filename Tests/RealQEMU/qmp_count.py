#!/usr/bin/env python3
"""Count the QMP messages in a real transcript, independently of qmp-lint (stdlib json only).

    qmp_count.py FILE [--shape SHAPE] [--lines]

Prints a JSON object: events (one per QEMU emission), commands, replies (returns and errors),
greetings, per event name and per command name. SHAPE is detected from the content when not given:

  qmp        QEMU's own QMP channel, compact or pretty (-qmp stdio, -mon pretty=on, socat), with
             the client's commands in wire order. Every top-level JSON object is one message:
             "QMP" a greeting, "event" an event, "execute"/"exec-oob" a command, "return"/"error"
             a reply. Objects nested in another (blkdebug's {"event": "read_aio"} rules inside a
             command) are part of their message. Text that is not a JSON object (qemu-io's output
             on the same stdout) is skipped.
             A `qmp-shell -l` log is this shape too: each object there is a command merged with
             its reply ({"execute": ..., "arguments": ..., "return"|"error": ...}): one command and
             one reply. (qmp-shell does not log events or the greeting.)
  qmp-shell-console  qmp-shell's standard output with -v: "(QEMU) " prompts (one or more) before
             the echoed command; commands and replies as JSON (compact, or 4-space with -p);
             events as Python dict reprs, one per line ({'timestamp': ..., 'event': ...}), read
             with ast.literal_eval (the only non-json parsing here).
  libvirtd   a libvirt debug log. One record per QEMU_MONITOR_* probe:
             SEND_MSG msg=  -> one command (its IO_WRITE buf= repeats it: not counted again),
             RECV_REPLY reply= -> one reply, RECV_EVENT event= -> one event,
             a greeting is counted from the `Line [{"QMP": ...}]` record (the only place libvirt
             shows it); other `Line [...]` and IO_PROCESS records echo text already counted.
  virsh      `virsh qemu-monitor-event` output, plain, --timestamp or --pretty: each record that
             begins `event NAME at` or `TIME: event NAME for domain` is one event.
"""

import argparse
import ast
import json
import re
import sys
from collections import Counter

DECODER = json.JSONDecoder()


class Tally:
    def __init__(self, shape):
        self.shape = shape
        self.events = Counter()
        self.commands = Counter()
        self.returns = 0
        self.errors = 0
        self.error_classes = Counter()
        self.greetings = 0
        self.rejected = []  # (line, reply line, command name) of commands answered by an error
        self.lines = {"event": [], "command": [], "reply": [], "greeting": []}

    def event(self, name, line):
        self.events[name] += 1
        self.lines["event"].append(line)

    def command(self, name, line):
        self.commands[name] += 1
        self.lines["command"].append(line)

    def reply(self, obj, line):
        if "error" in obj:
            self.errors += 1
            err = obj["error"]
            self.error_classes[err.get("class", "?") if isinstance(err, dict) else "?"] += 1
        else:
            self.returns += 1
        self.lines["reply"].append(line)

    def greeting(self, line):
        self.greetings += 1
        self.lines["greeting"].append(line)

    def result(self, with_lines):
        out = {
            "shape": self.shape,
            "events": sum(self.events.values()),
            "commands": sum(self.commands.values()),
            "replies": self.returns + self.errors,
            "returns": self.returns,
            "errors": self.errors,
            "greetings": self.greetings,
            "eventsByName": dict(sorted(self.events.items())),
            "commandsByName": dict(sorted(self.commands.items())),
            "errorClasses": dict(sorted(self.error_classes.items())),
            "rejectedCommands": [{"line": l, "replyLine": r, "command": n} for l, r, n in self.rejected],
        }
        if with_lines:
            out["lines"] = self.lines
        return out


def line_starts(text):
    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    return starts


def line_of(starts, offset):
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


def count_qmp(text):
    t = Tally("qmp")
    starts = line_starts(text)
    pending = []        # commands waiting for a reply, in order: (line, name, id)
    i = 0
    n = len(text)
    while i < n:
        j = text.find("{", i)
        if j < 0:
            break
        try:
            obj, end = DECODER.raw_decode(text, j)
        except ValueError:
            i = j + 1
            continue
        line = line_of(starts, j)
        i = end
        if not isinstance(obj, dict):
            continue
        if "QMP" in obj:
            t.greeting(line)
            pending.clear()
        elif "event" in obj:
            t.event(obj["event"], line)
        elif "execute" in obj or "exec-oob" in obj:
            name = obj.get("execute", obj.get("exec-oob"))
            t.command(name, line)
            if "return" in obj or "error" in obj:  # qmp-shell -l: the reply merged in
                t.reply(obj, line)
                if "error" in obj:
                    t.rejected.append((line, line, name))
            else:
                pending.append((line, name, obj.get("id")))
        elif "return" in obj or "error" in obj:
            t.reply(obj, line)
            k = None
            if "id" in obj:
                k = next((x for x, p in enumerate(pending) if p[2] == obj["id"]), None)
            if k is None and pending:
                k = 0
            if k is not None:
                cl, cn, _ = pending.pop(k)
                if "error" in obj:
                    t.rejected.append((cl, line, cn))
    return t


PROMPT = re.compile(r"^(?:\(QEMU\) )+")


def count_qmp_shell_console(text):
    """Events are the lines that hold a Python dict repr; the rest is read as the qmp shape."""
    events = []
    rest = []
    for no, raw in enumerate(text.split("\n"), 1):
        line = PROMPT.sub("", raw)
        if line.startswith("{'"):
            try:
                obj = ast.literal_eval(line.strip())
            except (ValueError, SyntaxError):
                obj = None
            if isinstance(obj, dict) and "event" in obj:
                events.append((obj["event"], no))
                rest.append("")
                continue
        rest.append(line)
    t = count_qmp("\n".join(rest))
    t.shape = "qmp-shell-console"
    for name, no in events:
        t.event(name, no)
    t.lines["event"].sort()
    return t


LIBVIRT_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d{4}: \d+: \w+ : \S+ : (.*)$")
PROBE = re.compile(r"QEMU_MONITOR_(SEND_MSG|RECV_REPLY|RECV_EVENT): mon=0x[0-9a-f]+ (msg|reply|event)=")


def count_libvirtd(text):
    t = Tally("libvirtd")
    sent = {}  # (mon, id) -> (line, name) of commands not yet answered
    for no, raw in enumerate(text.split("\n"), 1):
        m = LIBVIRT_RECORD.match(raw.rstrip("\r"))
        if not m:
            continue
        msg = m.group(1)
        p = PROBE.match(msg)
        if p:
            body = msg[p.end():]
            try:
                obj, _ = DECODER.raw_decode(body)
            except ValueError:
                obj = None
            kind = p.group(1)
            mon = re.search(r"mon=(0x[0-9a-f]+)", msg).group(1)
            if kind == "SEND_MSG":
                name = obj.get("execute", obj.get("exec-oob")) if isinstance(obj, dict) else None
                t.command(name if name is not None else "?", no)
                if isinstance(obj, dict) and "id" in obj:
                    sent[(mon, obj["id"])] = (no, name)
            elif kind == "RECV_REPLY":
                t.reply(obj if isinstance(obj, dict) else {}, no)
                if isinstance(obj, dict):
                    cmd = sent.pop((mon, obj.get("id")), None)
                    if cmd and "error" in obj:
                        t.rejected.append((cmd[0], no, cmd[1]))
            else:
                t.event(obj.get("event", "?") if isinstance(obj, dict) else "?", no)
            continue
        if msg.startswith("Line ["):
            try:
                obj, _ = DECODER.raw_decode(msg, len("Line ["))
            except ValueError:
                continue
            if isinstance(obj, dict) and "QMP" in obj:
                t.greeting(no)
    return t


VIRSH_PLAIN = re.compile(r"^event (\S+) at -?\d+\.\d+ for domain ")
VIRSH_STAMPED = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d{4}: event (\S+) for domain ")


def count_virsh(text):
    t = Tally("virsh")
    for no, raw in enumerate(text.split("\n"), 1):
        m = VIRSH_PLAIN.match(raw) or VIRSH_STAMPED.match(raw)
        if m:
            t.event(m.group(1), no)
    return t


def detect(text):
    head = text[:200000]
    if PROBE.search(head) or re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d{4}: \d+: ", head, re.M):
        return "libvirtd"
    if re.search(r"^(event \S+ at |\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d{4}: event )", head, re.M):
        return "virsh"
    if re.search(r"^\(QEMU\) ", head, re.M):
        return "qmp-shell-console"
    return "qmp"


COUNTERS = {"qmp": count_qmp, "qmp-shell-console": count_qmp_shell_console, "libvirtd": count_libvirtd,
            "virsh": count_virsh}


def count_file(path, shape=None, with_lines=False):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", errors="replace")
    shape = shape or detect(text)
    return COUNTERS[shape](text).result(with_lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--shape", choices=sorted(COUNTERS))
    ap.add_argument("--lines", action="store_true", help="also list the line of every message")
    args = ap.parse_args()
    json.dump(count_file(args.file, args.shape, args.lines), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
