#!/usr/bin/env python3
"""Shorten a libvirt debug log for a fixture by dropping whole qom-get exchanges.

    trim_libvirtd_log.py IN OUT [--keep N] [--drop-function NAME]... [--split-after-bytes N OUT2]

After it starts a TCG guest, libvirt 9.0 reads every property of the guest CPU with one qom-get
each (QEMU 7.2 has no qom-list-get): about 400 exchanges per QEMU process, two thirds of the log.
This keeps the first N (default 12) qom-get exchanges of each monitor connection and drops the
others: for a dropped command id, its QEMU_MONITOR_SEND_MSG and QEMU_MONITOR_IO_WRITE records
(with their continuation lines), the `Line [...]` echo and the QEMU_MONITOR_RECV_REPLY record.
--drop-function drops every record logged by that libvirt function (e.g. virConnectOpenInternal,
whose "trying driver N" records fill a third of what is left and hold no QMP).
--split-after-bytes writes the records after the first quiet point past N bytes to OUT2 (a
quiet point: the start of a new client connection's records, no monitor command outstanding),
as log rotation would: OUT2 then starts in the middle of a QEMU session, without its greeting.
Every other byte is kept as it was (CR LF included).
"""

import argparse
import re

RECORD = re.compile(rb"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d{4}: \d+: ")
SEND = re.compile(rb'QEMU_MONITOR_SEND_MSG: mon=(0x[0-9a-f]+) msg=\{"execute":"qom-get",.*"id":"(libvirt-\d+)"')
NEW = re.compile(rb"QEMU_MONITOR_NEW: mon=(0x[0-9a-f]+)")
IDREF = re.compile(rb'(?:QEMU_MONITOR_IO_WRITE: mon=0x[0-9a-f]+ buf=\{.*"id":"(libvirt-\d+)"\}'
                   rb'|Line \[\{.*"id": "(libvirt-\d+)"\}\]'
                   rb'|QEMU_MONITOR_RECV_REPLY: mon=0x[0-9a-f]+ reply=\{.*"id": "(libvirt-\d+)"\})')


def records(data):
    """Splits the log into records: a record line and the lines that continue it."""
    out = []
    for line in data.splitlines(keepends=True):
        if RECORD.match(line) or not out:
            out.append([line])
        else:
            out[-1].append(line)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--keep", type=int, default=12)
    ap.add_argument("--drop-function", action="append", default=[])
    ap.add_argument("--split-after-bytes", nargs=2, metavar=("N", "OUT2"))
    args = ap.parse_args()
    drop_fn = [re.compile(rb"^\S+ \S+: \d+: \w+ : " + re.escape(n.encode()) + rb":\d+ : ")
               for n in args.drop_function]
    with open(args.input, "rb") as f:
        recs = records(f.read())
    seen = {}        # monitor -> qom-get exchanges kept on its current connection
    dropped = set()  # (monitor, id); ids restart with each connection, hence the generation
    generation = {}
    out = []
    for rec in recs:
        head = rec[0]
        if any(d.match(head) for d in drop_fn):
            continue
        m = NEW.search(head)
        if m:
            generation[m.group(1)] = generation.get(m.group(1), 0) + 1
            seen[m.group(1)] = 0
        m = SEND.search(head)
        if m:
            mon, cid = m.group(1), m.group(2)
            key = (mon, generation.get(mon, 0), cid)
            if seen.get(mon, 0) >= args.keep:
                dropped.add(key)
                continue
            seen[mon] = seen.get(mon, 0) + 1
            out.append(rec)
            continue
        m = IDREF.search(head)
        if m:
            cid = m.group(1) or m.group(2) or m.group(3)
            mon_m = re.search(rb"mon=(0x[0-9a-f]+)", head)
            if mon_m:
                mons = [mon_m.group(1)]
            else:  # `Line [...]` does not name its monitor: any monitor with that id dropped
                mons = list(generation) or [b""]
            if any((mon, generation.get(mon, 0), cid) in dropped for mon in mons):
                continue
        out.append(rec)
    parts = [out]
    if args.split_after_bytes:
        limit = int(args.split_after_bytes[0])
        size = 0
        outstanding = set()
        for i, rec in enumerate(out):
            head = rec[0]
            m = re.search(rb'QEMU_MONITOR_SEND_MSG: mon=\S+ msg=\{.*"id":"(libvirt-\d+)"', head)
            if m:
                outstanding.add(m.group(1))
            m = re.search(rb'QEMU_MONITOR_RECV_REPLY: mon=\S+ reply=\{.*"id": "(libvirt-\d+)"\}', head)
            if m:
                outstanding.discard(m.group(1))
            if size > limit and not outstanding and b"virConnectOpenAuth:" in head:
                parts = [out[:i], out[i:]]
                break
            size += sum(len(l) for l in rec)
        else:
            raise SystemExit("no quiet point after %d bytes" % limit)
    for path, part in zip([args.output] + ([args.split_after_bytes[1]] if args.split_after_bytes else []), parts):
        with open(path, "wb") as f:
            for rec in part:
                f.writelines(rec)


if __name__ == "__main__":
    main()
