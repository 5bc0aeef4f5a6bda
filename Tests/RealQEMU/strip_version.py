#!/usr/bin/env python3
"""Remove every statement of the QEMU version from a transcript, so that a reader must infer it.

    strip_version.py IN OUT

Drops the greeting ({"QMP": ...}, compact or pretty, with its line end), each `query-version`
command and its reply (matched by id, else the next reply), and in libvirt debug logs the
`Line [{"QMP": ...}]` record and any record that reports the version (`Got version`, `qemu
version:`). Every other byte stays as it was. Prints what it removed as JSON on stdout.
"""

import json
import re
import sys

DECODER = json.JSONDecoder()
LIBVIRT_VERSION_RECORD = re.compile(r'^\S+ \S+: \d+: \w+ : \S+ : (Line \[\{"QMP": |Got version )|qemu version: ')


def strip_qmp(text):
    keep = []           # (start, end) spans of text to keep
    removed = {"greetings": 0, "commands": 0, "replies": 0}
    pos = 0
    i = 0
    pending_version = []  # ids (or None) of query-version commands not yet answered
    while True:
        j = text.find("{", i)
        if j < 0:
            break
        try:
            obj, end = DECODER.raw_decode(text, j)
        except ValueError:
            i = j + 1
            continue
        i = end
        drop = False
        if isinstance(obj, dict):
            if "QMP" in obj:
                drop = True
                removed["greetings"] += 1
            elif obj.get("execute") == "query-version":
                drop = True
                removed["commands"] += 1
                pending_version.append(obj.get("id"))
            elif ("return" in obj or "error" in obj) and pending_version:
                rid = obj.get("id")
                if rid in pending_version or rid is None:
                    pending_version.remove(rid if rid in pending_version else pending_version[0])
                    drop = True
                    removed["replies"] += 1
        if drop:
            # From the start of the object's line (it starts a line in real captures) through its
            # line end.
            start = text.rfind("\n", 0, j) + 1
            if text[start:j].strip():
                start = j
            while end < len(text) and text[end] in "\r\n":
                end += 1
                if text[end - 1] == "\n":
                    break
            keep.append((pos, start))
            pos = end
            i = end
    keep.append((pos, len(text)))
    return "".join(text[a:b] for a, b in keep), removed


def strip_libvirt(text):
    out = []
    removed = {"records": 0}
    skipping = False
    for line in text.splitlines(keepends=True):
        is_record = re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d{4}: ", line) is not None
        if is_record:
            skipping = LIBVIRT_VERSION_RECORD.search(line) is not None
            if skipping:
                removed["records"] += 1
        if not skipping:
            out.append(line)
    return "".join(out), removed


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, "rb") as f:
        text = f.read().decode("utf-8", errors="surrogateescape")
    if re.search(r"QEMU_MONITOR_(SEND_MSG|RECV_EVENT|RECV_REPLY)", text[:500000]):
        out, removed = strip_libvirt(text)
    else:
        out, removed = strip_qmp(text)
    with open(dst, "wb") as f:
        f.write(out.encode("utf-8", errors="surrogateescape"))
    json.dump(removed, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
