#!/usr/bin/env python3
"""Drive a real QEMU over QMP on stdio and record the whole transcript.

The transcript holds every byte QEMU wrote on its QMP channel and every command this client sent,
in the order they crossed the wire, as a person capturing `-qmp stdio` or a socat session would
have it: QEMU's lines end in CRLF, the client's in LF.

The scripted session makes QEMU 7.2 emit many genuine events: RESUME/STOP, RESET, POWERDOWN,
SHUTDOWN, DEVICE_DELETED (USB), DEVICE_TRAY_MOVED (IDE CD), BLOCK_IO_ERROR (a blkdebug disk read
by SeaBIOS), JOB_STATUS_CHANGE and BLOCK_JOB_* (blockdev-create, mirror, commit, stream, backup,
pause/resume/cancel, an error from a blkdebug target), BLOCK_WRITE_THRESHOLD, MIGRATION and
MIGRATION_PASS (migration to a file through exec:), DUMP_COMPLETED.

Standard library only. Every read has a timeout and the whole run has a deadline; QEMU is killed
at the end whatever happens. Exit status 0 when the session ran to `quit`, 1 otherwise (the
transcript written so far is kept). QEMU's stderr (its warnings) goes to --stderr FILE if given.

    qmp_session.py --out compact-ids.log                # compact, commands carry "id"
    qmp_session.py --out pretty.log --pretty --no-ids  # -mon pretty=on, commands without "id"
"""

import argparse
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time


class SessionError(Exception):
    pass


class ObjectSplitter:
    """Finds the end of each top-level JSON object in a byte stream (compact or pretty)."""

    def __init__(self):
        self.depth = 0
        self.in_string = False
        self.escape = False
        self.pos = 0  # scan position in the caller's buffer

    def scan(self, buf):
        """Returns the offsets just past each object that ends in buf[self.pos:]."""
        ends = []
        i = self.pos
        n = len(buf)
        while i < n:
            c = buf[i]
            if self.depth == 0 and c != 0x7B:
                pass  # text between messages (qemu-io's output goes to the same stdout)
            elif self.in_string:
                if self.escape:
                    self.escape = False
                elif c == 0x5C:  # backslash
                    self.escape = True
                elif c == 0x22:
                    self.in_string = False
            elif c == 0x22:
                self.in_string = True
            elif c in (0x7B, 0x5B):
                self.depth += 1
            elif c in (0x7D, 0x5D):
                self.depth -= 1
                if self.depth == 0:
                    ends.append(i + 1)
            i += 1
        self.pos = n
        return ends


class QMPSession:
    def __init__(self, argv, transcript, stderr_path, deadline, use_ids, trace=False):
        self.transcript = transcript
        self.deadline = deadline
        self.use_ids = use_ids
        self.trace = trace
        self.next_id = 1
        self.stderr_file = open(stderr_path or os.devnull, "wb")
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr_file,
            start_new_session=True)
        self.fd = self.proc.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.buf = b""          # bytes read and not yet written to the transcript
        self.splitter = ObjectSplitter()
        self.messages = []      # every parsed message QEMU sent, in order
        self.events = []        # (index into messages, event)
        self.unclaimed = []     # replies not yet returned to a caller
        self.eof = False

    # -- the wire --------------------------------------------------------------------------------

    def _remaining(self, timeout):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise SessionError("session deadline passed")
        return min(timeout, left)

    def _pump(self, timeout):
        """Reads what QEMU has written (waiting up to timeout); returns True when bytes arrived."""
        if self.eof:
            return False
        r, _, _ = select.select([self.fd], [], [], self._remaining(timeout))
        if not r:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except BlockingIOError:
            return False
        if not chunk:
            self.eof = True
            self._flush_tail()
            return False
        self.buf += chunk
        ends = self.splitter.scan(self.buf)
        if ends:
            last = ends[-1]
            # The object's own line end belongs with it in the transcript.
            while last < len(self.buf) and self.buf[last] in (0x0D, 0x0A):
                last += 1
            start = 0
            for end in ends:
                text = self.buf[start:end]
                msg = json.loads(text[text.index(b"{"):].decode("utf-8"))
                self._received(msg)
                start = end
            self.transcript.write(self.buf[:last])
            self.transcript.flush()
            self.buf = self.buf[last:]
            self.splitter = ObjectSplitter()
            self.splitter.scan(self.buf)
        return True

    def _flush_tail(self):
        if self.buf:
            self.transcript.write(self.buf)
            self.transcript.flush()
            self.buf = b""

    def _received(self, msg):
        self.messages.append(msg)
        if self.trace:
            sys.stderr.write("<- %s\n" % json.dumps(msg)[:200])
        if "event" in msg:
            self.events.append((len(self.messages) - 1, msg))
        elif "return" in msg or "error" in msg:
            self.unclaimed.append(msg)

    def _quiet_boundary(self):
        """Before a command goes out, let a half-written message of QEMU's finish (for at most 2 s)
        so that the command does not land inside it in the transcript."""
        t_end = time.monotonic() + 2.0
        while True:
            self._pump(0)
            if not self.buf.strip() or time.monotonic() > t_end:
                return
            self._pump(0.05)

    def send_raw(self, text):
        self._quiet_boundary()
        data = text.encode("utf-8")
        self.transcript.write(data)
        self.transcript.flush()
        if self.trace:
            sys.stderr.write("-> %s" % text)
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def read_greeting(self, timeout=10.0):
        t_end = time.monotonic() + timeout
        while not self.messages:
            if self.eof or time.monotonic() > t_end:
                raise SessionError("no greeting from QEMU")
            self._pump(0.1)
        greeting = self.messages[0]
        if "QMP" not in greeting:
            raise SessionError("first message is not a greeting: %r" % greeting)
        return greeting

    def command(self, name, arguments=None, timeout=10.0, oob=False, expect_error=False):
        cmd = {"exec-oob" if oob else "execute": name}
        if arguments is not None:
            cmd["arguments"] = arguments
        cid = None
        if self.use_ids or oob:
            cid = "c%d" % self.next_id if self.use_ids else self.next_id
            self.next_id += 1
            cmd["id"] = cid
        self.send_raw(json.dumps(cmd, separators=(", ", ": ")) + "\n")
        return self.wait_reply(cid, timeout, name, expect_error)

    def wait_reply(self, cid, timeout, name, expect_error=False):
        t_end = time.monotonic() + timeout
        while True:
            for i, r in enumerate(self.unclaimed):
                if cid is None or r.get("id") == cid:
                    del self.unclaimed[i]
                    if "error" in r and expect_error is False:
                        raise SessionError("%s failed: %s" % (name, r["error"]))
                    if "error" not in r and expect_error is True:
                        raise SessionError("%s was expected to fail" % name)
                    return r
            if self.eof:
                raise SessionError("QEMU closed the channel while %s was pending" % name)
            if time.monotonic() > t_end:
                raise SessionError("no reply to %s within %.0f s" % (name, timeout))
            self._pump(0.1)

    def mark(self):
        return len(self.messages)

    def wait_event(self, name, since, timeout=10.0, match=None, required=True):
        t_end = time.monotonic() + timeout
        while True:
            for idx, ev in self.events:
                if idx >= since and ev["event"] == name and (match is None or match(ev.get("data", {}))):
                    return ev
            if self.eof or time.monotonic() > t_end:
                if required:
                    raise SessionError("no %s event within %.0f s" % (name, timeout))
                return None
            self._pump(0.1)

    def wait_job(self, job_id, status, since, timeout=10.0):
        return self.wait_event("JOB_STATUS_CHANGE", since, timeout,
                               lambda d: d.get("id") == job_id and d.get("status") == status)

    def settle(self, seconds):
        t_end = time.monotonic() + seconds
        while time.monotonic() < t_end and not self.eof:
            self._pump(t_end - time.monotonic())

    def close(self):
        try:
            if self.proc.poll() is None:
                try:
                    self.proc.stdin.close()
                except OSError:
                    pass
                try:
                    self.proc.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    pass
            # Drain what is left (the SHUTDOWN event and the quit reply may still be in the pipe).
            while not self.eof:
                r, _, _ = select.select([self.fd], [], [], 0.2)
                if not r:
                    break
                try:
                    chunk = os.read(self.fd, 65536)
                except BlockingIOError:
                    break
                if not chunk:
                    break
                self.buf += chunk
            self._flush_tail()
        finally:
            if self.proc.poll() is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
            self.stderr_file.close()


# -- the scripted session --------------------------------------------------------------------------

def create_qcow2(s, work, name, size, backing=None):
    """blockdev-create of a file and of a qcow2 image on it (two jobs), then blockdev-add of both."""
    path = os.path.join(work, name + ".qcow2")
    m = s.mark()
    s.command("blockdev-create", {"job-id": "create-%s-file" % name,
                                  "options": {"driver": "file", "filename": path, "size": 0}})
    s.wait_job("create-%s-file" % name, "concluded", m)
    s.command("job-dismiss", {"id": "create-%s-file" % name})
    s.command("blockdev-add", {"driver": "file", "node-name": name + "-file", "filename": path})
    opts = {"driver": "qcow2", "file": name + "-file", "size": size}
    if backing:
        opts["backing-file"] = os.path.join(work, backing + ".qcow2")
        opts["backing-fmt"] = "qcow2"
    m = s.mark()
    s.command("blockdev-create", {"job-id": "create-%s" % name, "options": opts})
    s.wait_job("create-%s" % name, "concluded", m)
    s.command("job-dismiss", {"id": "create-%s" % name})
    node = {"driver": "qcow2", "node-name": name, "file": name + "-file"}
    if backing:
        node["backing"] = backing
    s.command("blockdev-add", node)
    return path


def hmp(s, line):
    return s.command("human-monitor-command", {"command-line": line})


def run_session(s, work, errors, rounds):
    MiB = 1024 * 1024
    s.read_greeting()
    s.command("qmp_capabilities", {"enable": ["oob"]} if s.use_ids else None)
    s.command("query-status")
    s.command("query-version")
    s.command("query-name")
    s.command("query-kvm")
    s.command("query-cpus-fast")
    s.command("query-block")
    s.command("query-chardev")
    s.command("query-mice")
    s.command("query-hotpluggable-cpus")
    s.command("query-migrate-capabilities")
    s.command("qom-list", {"path": "/machine/peripheral"})

    if errors:
        s.command("no-such-command", expect_error=True)
        s.command("query-status", {"verbose": True}, expect_error=True)
        s.command("device_del", {"id": "no-such-device"}, expect_error=True)
        s.command("blockdev-add", {"driver": "null-co", "node-name": "bad", "size": "big"},
                  expect_error=True)
        if s.use_ids:
            # Out of band: QEMU answers at once, by id (only allowed during postcopy).
            s.command("migrate-pause", oob=True, expect_error=True)

    # Run state: the VM starts paused (-S); SeaBIOS reads the blkdebug disk and fails.
    m = s.mark()
    s.command("cont")
    s.wait_event("RESUME", m)
    s.wait_event("BLOCK_IO_ERROR", m, timeout=8, required=False)
    for _ in range(rounds):
        m = s.mark()
        s.command("stop")
        s.wait_event("STOP", m)
        s.command("query-status")
        m = s.mark()
        s.command("cont")
        s.wait_event("RESUME", m)
    m = s.mark()
    s.command("system_reset")
    s.wait_event("RESET", m)

    # USB hot-plug and unplug: QEMU confirms each unplug with DEVICE_DELETED.
    for i in range(rounds):
        for model in ("usb-tablet", "usb-kbd", "usb-mouse"):
            dev = "%s-%d" % (model.split("-")[1], i)
            s.command("device_add", {"driver": model, "id": dev, "bus": "xhci.0"})
            m = s.mark()
            s.command("device_del", {"id": dev})
            s.wait_event("DEVICE_DELETED", m, match=lambda d, dev=dev: d.get("device") == dev)
    s.command("query-pci")

    # An empty IDE CD drive: tray out, medium in, tray back.
    s.command("blockdev-add", {"driver": "null-co", "node-name": "cd-media", "size": 4 * MiB,
                               "read-only": True})
    m = s.mark()
    s.command("blockdev-open-tray", {"id": "cd0"})
    s.wait_event("DEVICE_TRAY_MOVED", m)
    s.command("blockdev-insert-medium", {"id": "cd0", "node-name": "cd-media"})
    m = s.mark()
    s.command("blockdev-close-tray", {"id": "cd0"})
    s.wait_event("DEVICE_TRAY_MOVED", m)
    s.command("query-block")

    # Block jobs on null-co nodes.
    for name in ("src", "dst", "dst2"):
        s.command("blockdev-add", {"driver": "null-co", "node-name": name, "size": 16 * MiB,
                                   "read-zeroes": True})
    m = s.mark()
    s.command("blockdev-mirror", {"job-id": "mirror0", "device": "src", "target": "dst",
                                  "sync": "full", "auto-dismiss": False})
    s.wait_event("BLOCK_JOB_READY", m)
    s.command("query-block-jobs")
    s.command("query-jobs")
    s.command("job-complete", {"id": "mirror0"})
    s.wait_job("mirror0", "concluded", m)
    m = s.mark()
    s.command("job-dismiss", {"id": "mirror0"})
    s.wait_job("mirror0", "null", m)

    # A mirror that is cancelled after it is ready completes (BLOCK_JOB_COMPLETED).
    m = s.mark()
    s.command("blockdev-mirror", {"job-id": "mirror1", "device": "src", "target": "dst",
                                  "sync": "full"})
    s.wait_event("BLOCK_JOB_READY", m)
    s.command("block-job-cancel", {"device": "mirror1"})
    s.wait_job("mirror1", "null", m)

    # A slow backup: paused, resumed, cancelled.
    m = s.mark()
    s.command("blockdev-backup", {"job-id": "backup1", "device": "src", "target": "dst2",
                                  "sync": "full", "speed": 64 * 1024})
    s.wait_job("backup1", "running", m)
    m = s.mark()
    s.command("block-job-pause", {"device": "backup1"})
    s.wait_job("backup1", "paused", m)
    s.command("query-block-jobs")
    m = s.mark()
    s.command("block-job-resume", {"device": "backup1"})
    s.wait_job("backup1", "running", m)
    s.command("block-job-set-speed", {"device": "backup1", "speed": 128 * 1024})
    m = s.mark()
    s.command("block-job-cancel", {"device": "backup1"})
    s.wait_event("BLOCK_JOB_CANCELLED", m)
    s.wait_job("backup1", "null", m)

    # A full backup that completes.
    m = s.mark()
    s.command("blockdev-backup", {"job-id": "backup0", "device": "src", "target": "dst2",
                                  "sync": "full"})
    s.wait_event("BLOCK_JOB_COMPLETED", m)
    s.wait_job("backup0", "null", m)

    # qcow2 images made by blockdev-create (jobs too): base <- mid <- top, and sbase <- stop.
    create_qcow2(s, work, "base", 8 * MiB)
    create_qcow2(s, work, "mid", 8 * MiB, backing="base")
    hmp(s, 'qemu-io mid "write -P 0x11 0 1M"')
    create_qcow2(s, work, "top", 8 * MiB, backing="mid")
    hmp(s, 'qemu-io top "write -P 0x22 1M 1M"')
    s.command("query-named-block-nodes", {"flat": True})
    s.command("block-set-write-threshold", {"node-name": "base", "write-threshold": 512 * 1024})

    m = s.mark()
    s.command("block-commit", {"job-id": "commit0", "device": "top", "top-node": "mid",
                               "base-node": "base"})
    s.wait_event("BLOCK_JOB_COMPLETED", m)
    s.wait_event("BLOCK_WRITE_THRESHOLD", m, timeout=2, required=False)
    s.wait_job("commit0", "null", m)

    # Active commit: top into base, ready, then completed by job-complete.
    m = s.mark()
    s.command("block-commit", {"job-id": "commit1", "device": "top"})
    s.wait_event("BLOCK_JOB_READY", m)
    s.command("job-complete", {"id": "commit1"})
    s.wait_event("BLOCK_JOB_COMPLETED", m)
    s.wait_job("commit1", "null", m)

    create_qcow2(s, work, "sbase", 8 * MiB)
    hmp(s, 'qemu-io sbase "write -P 0x33 0 512k"')
    create_qcow2(s, work, "stop", 8 * MiB, backing="sbase")
    m = s.mark()
    s.command("block-stream", {"job-id": "stream0", "device": "stop"})
    s.wait_event("BLOCK_JOB_COMPLETED", m)
    s.wait_job("stream0", "null", m)

    # A job that waits for job-finalize.
    m = s.mark()
    s.command("blockdev-backup", {"job-id": "backup2", "device": "src", "target": "dst2",
                                  "sync": "full", "auto-finalize": False, "auto-dismiss": False})
    s.wait_job("backup2", "pending", m)
    s.command("job-finalize", {"id": "backup2"})
    s.wait_job("backup2", "concluded", m)
    s.command("job-dismiss", {"id": "backup2"})
    s.wait_job("backup2", "null", m)

    # A job that fails: a mirror of data into a target whose every write fails (raw over
    # blkdebug; the rules hold "event" members that are not QMP events).
    s.command("blockdev-add", {"driver": "raw", "node-name": "failing",
                               "file": {"driver": "blkdebug", "node-name": "failing-rules",
                                        "inject-error": [{"event": "write_aio", "errno": 5}],
                                        "image": {"driver": "null-co", "node-name": "dst3",
                                                  "size": 8 * MiB}}})
    m = s.mark()
    s.command("blockdev-mirror", {"job-id": "mirror-err", "device": "sbase", "target": "failing",
                                  "sync": "full", "on-target-error": "report"})
    s.wait_event("BLOCK_JOB_COMPLETED", m, timeout=10)
    s.wait_job("mirror-err", "null", m)

    for name in ("stop", "sbase"):
        s.command("blockdev-del", {"node-name": name})

    # A memory dump in the background (stops and resumes the running VM).
    m = s.mark()
    s.command("dump-guest-memory", {"paging": False, "protocol": "file:" + os.path.join(work, "vm.dump"),
                                    "detach": True})
    s.wait_event("DUMP_COMPLETED", m, timeout=15)
    s.command("query-dump")

    # Migration to a file through a pipe (QEMU 7.2 has no file: URI).
    s.command("migrate-set-capabilities", {"capabilities": [{"capability": "events", "state": True}]})
    # The dump's migration blocker goes a moment after DUMP_COMPLETED: retry while it is there.
    for _ in range(50):
        m = s.mark()
        r = s.command("migrate", {"uri": "exec:cat > " + os.path.join(work, "vm.migration")},
                      expect_error=None)
        if "error" not in r:
            break
        if "dump-guest-memory" not in r["error"].get("desc", ""):
            raise SessionError("migrate failed: %s" % r["error"])
        s.settle(0.1)
    s.wait_event("MIGRATION", m, timeout=20, match=lambda d: d.get("status") in ("completed", "failed"))
    s.command("query-migrate")
    # The run state passes finish-migrate before postmigrate, where `cont` is allowed.
    for _ in range(50):
        if s.command("query-status")["return"]["status"] != "finish-migrate":
            break
        s.settle(0.1)
    m = s.mark()
    s.command("cont")
    s.wait_event("RESUME", m)

    m = s.mark()
    s.command("system_powerdown")
    s.wait_event("POWERDOWN", m)
    s.settle(0.2)
    m = s.mark()
    s.command("quit")
    s.wait_event("SHUTDOWN", m, timeout=5, required=False)


def qemu_argv(qemu, pretty):
    argv = [qemu, "-M", "pc", "-accel", "tcg", "-nodefaults", "-display", "none", "-S", "-m", "64"]
    if pretty:
        argv += ["-chardev", "stdio,id=m", "-mon", "chardev=m,mode=control,pretty=on"]
    else:
        argv += ["-qmp", "stdio"]
    argv += [
        "-device", "qemu-xhci,id=xhci",
        # A disk whose every read fails: SeaBIOS's boot read gives BLOCK_IO_ERROR.
        # (blkdebug rules fire on the events of the format driver above it: raw's read_aio.)
        "-blockdev", json.dumps({"driver": "raw", "node-name": "disk0",
                                 "file": {"driver": "blkdebug",
                                          "inject-error": [{"event": "read_aio", "errno": 5}],
                                          "image": {"driver": "null-co", "size": 1 << 20}}}),
        "-device", "ide-hd,drive=disk0,bus=ide.0,id=ide-disk0",
        "-device", "ide-cd,bus=ide.1,id=cd0",
    ]
    return argv


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="transcript file to write")
    ap.add_argument("--pretty", action="store_true", help="-mon pretty=on instead of -qmp stdio")
    ap.add_argument("--no-ids", dest="ids", action="store_false", help="commands without \"id\"")
    ap.add_argument("--errors", action="store_true", help="also send commands QEMU rejects")
    ap.add_argument("--rounds", type=int, default=2, help="stop/cont and USB plug rounds (default 2)")
    ap.add_argument("--qemu", default=shutil.which("qemu-system-x86_64") or "qemu-system-x86_64")
    ap.add_argument("--deadline", type=float, default=50.0, help="seconds for the whole session")
    ap.add_argument("--trace", action="store_true", help="print the traffic on stderr")
    ap.add_argument("--stderr", help="file for QEMU's own stderr (default: discarded)")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="qmp-session-")
    ok = False
    try:
        with open(args.out, "wb") as transcript:
            s = QMPSession(qemu_argv(args.qemu, args.pretty), transcript, args.stderr,
                           time.monotonic() + args.deadline, args.ids, args.trace)
            try:
                run_session(s, work, args.errors, max(1, args.rounds))
                ok = True
            except SessionError as e:
                sys.stderr.write("qmp_session: %s\n" % e)
            finally:
                s.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
