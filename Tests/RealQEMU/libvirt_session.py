#!/usr/bin/env python3
"""Run a tiny TCG domain under the real libvirt daemon and record what libvirt writes.

Makes the libvirt 9.0 fixtures of Fixtures/real/libvirt-9.0 (not run in CI: it needs root, the
libvirt-daemon-system and libvirt-clients packages, and it edits /etc/libvirt/qemu.conf).

    libvirt_session.py --out DIR [--rounds N] [--name NAME]

It starts `libvirtd` by hand (no systemd here) with debug logging of the qemu and libvirt
modules to DIR/libvirtd-full.log, defines and starts a domain (type='qemu', TCG, 64 MiB, a qcow2
disk, an IDE CD-ROM, a USB controller), runs three `virsh qemu-monitor-event --loop` listeners
(plain, --timestamp, --pretty) while it drives events with virsh (suspend/resume, reset, USB
attach/detach, CD-ROM eject/insert, BLOCK_IO_ERROR from a blkdebug disk given by
<qemu:commandline>, blockcopy with pivot, disk-only snapshot, blockcommit
--active --pivot, blockpull, an aborted blockcopy, memory dump, save/restore, shutdown and
destroy, qemu-monitor-command), then stops everything and copies the per-domain log.

Every command has a timeout; the daemon and the listeners are ended by their pid at the end.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from xml.sax.saxutils import escape

QEMU_CONF_MARK = "# qmp-lint real-qemu fixtures"
QEMU_CONF = """
%s (container without systemd): plain files, no cgroups/namespaces.
user = "root"
group = "root"
dynamic_ownership = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
remember_owner = 0
""" % QEMU_CONF_MARK

IMAGES = "/var/lib/libvirt/images"


def domain_xml(name, disk):
    return f"""<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>{escape(name)}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <cpu mode='custom' match='exact' check='none'><model fallback='forbid'>qemu64</model></cpu>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='{disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
    <controller type='usb' model='qemu-xhci'/>
    <memballoon model='none'/>
  </devices>
  <qemu:commandline>
    <qemu:arg value='-blockdev'/>
    <qemu:arg value='{FAULTY_DISK}'/>
    <qemu:arg value='-device'/>
    <qemu:arg value='ide-hd,drive=faulty-disk,bus=ide.0,id=faulty0,bootindex=0'/>
  </qemu:commandline>
</domain>
"""


# A disk that libvirt does not manage, whose every read fails: SeaBIOS boots from it first, so
# QEMU reports BLOCK_IO_ERROR (QEMU 7.2's form, without the qom-path that 9.2 added).
FAULTY_DISK = escape(json.dumps({"driver": "raw", "node-name": "faulty-disk",
                                 "file": {"driver": "blkdebug",
                                          "inject-error": [{"event": "read_aio", "errno": 5}],
                                          "image": {"driver": "null-co", "size": 1 << 20}}},
                                separators=(",", ":")), {"'": "&apos;"})

USB_TABLET = "<input type='tablet' bus='usb'><alias name='ua-tablet%d'/></input>\n"


class Runner:
    def __init__(self, out, log):
        self.out = out
        self.log = log

    def virsh(self, *args, timeout=60, check=True):
        argv = ["virsh", "-c", "qemu:///system"] + list(args)
        self.log.write("$ %s\n" % " ".join(argv))
        self.log.flush()
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        self.log.write(r.stdout + r.stderr)
        self.log.flush()
        if check and r.returncode != 0:
            raise RuntimeError("virsh %s failed: %s" % (" ".join(args), r.stderr.strip()))
        return r

    def sh(self, *argv, timeout=60):
        self.log.write("$ %s\n" % " ".join(argv))
        r = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout)
        self.log.write(r.stdout + r.stderr)
        if r.returncode != 0:
            raise RuntimeError("%s failed: %s" % (argv[0], r.stderr.strip()))
        return r


def wait_for(pred, timeout, step=0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return False


def configure():
    with open("/etc/libvirt/qemu.conf") as f:
        text = f.read()
    if QEMU_CONF_MARK not in text:
        with open("/etc/libvirt/qemu.conf", "a") as f:
            f.write(QEMU_CONF)


def stem(name):
    return "qmplint-" + re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


def scenario(run, name, work, rounds):
    disk = os.path.join(IMAGES, stem(name) + ".qcow2")
    run.sh("qemu-img", "create", "-q", "-f", "qcow2", disk, "64M")
    run.sh("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 0 2M", disk)
    xml = os.path.join(work, stem(name) + ".xml")
    with open(xml, "w") as f:
        f.write(domain_xml(name, disk))
    run.virsh("define", xml)
    return disk


def drive(run, name, work, disk, rounds):
    run.virsh("start", name)
    run.virsh("qemu-monitor-command", name, "--pretty", '{"execute": "query-status"}')
    for _ in range(rounds):
        run.virsh("suspend", name)
        run.virsh("resume", name)
    run.virsh("reset", name)
    run.virsh("qemu-monitor-command", name, "--hmp", "info status")

    # USB input device attach and detach (DEVICE_DELETED).
    for i in range(rounds):
        p = os.path.join(work, "tablet%d.xml" % i)
        with open(p, "w") as f:
            f.write(USB_TABLET % i)
        run.virsh("attach-device", name, p, "--live")
        run.virsh("detach-device", name, p, "--live")

    # CD-ROM: eject / insert (DEVICE_TRAY_MOVED).
    iso = os.path.join(IMAGES, stem(name) + "-cd.raw")
    run.sh("qemu-img", "create", "-q", "-f", "raw", iso, "1M")
    run.virsh("change-media", name, "hdc", iso, "--insert", "--live")
    run.virsh("change-media", name, "hdc", "--eject", "--live")

    # Block jobs.
    copy = os.path.join(IMAGES, stem(name) + "-copy.qcow2")
    run.virsh("blockcopy", name, "vda", copy, "--wait", "--pivot", "--transient-job", timeout=120)
    run.virsh("snapshot-create-as", name, "snap1", "--disk-only", "--no-metadata", "--atomic",
              "--diskspec", "vda,file=%s" % os.path.join(IMAGES, stem(name) + "-snap1.qcow2"))
    run.virsh("snapshot-create-as", name, "snap2", "--disk-only", "--no-metadata",
              "--diskspec", "vda,file=%s" % os.path.join(IMAGES, stem(name) + "-snap2.qcow2"))
    run.virsh("domblklist", name)
    run.virsh("blockcommit", name, "vda", "--top", os.path.join(IMAGES, stem(name) + "-snap1.qcow2"),
              "--wait", "--verbose", timeout=120)
    run.virsh("blockcommit", name, "vda", "--active", "--pivot", "--wait", "--verbose", timeout=120)
    run.virsh("snapshot-create-as", name, "snap3", "--disk-only", "--no-metadata",
              "--diskspec", "vda,file=%s" % os.path.join(IMAGES, stem(name) + "-snap3.qcow2"))
    run.virsh("blockpull", name, "vda", "--wait", "--verbose", timeout=120)
    copy2 = os.path.join(IMAGES, stem(name) + "-copy2.qcow2")
    run.virsh("blockcopy", name, "vda", copy2, "--transient-job", "--bandwidth", "1")
    time.sleep(0.5)
    run.virsh("blockjob", name, "vda", "--info", check=False)
    run.virsh("blockjob", name, "vda", "--abort", timeout=60)
    run.virsh("domblkthreshold", name, "vda", "1M", check=False)
    run.virsh("qemu-monitor-command", name, '{"execute": "no-such-command"}', check=False)

    # Memory dump (DUMP_COMPLETED), save and restore (MIGRATION, a new QEMU process).
    run.virsh("dump", name, os.path.join(work, stem(name) + ".dump"), "--memory-only", timeout=120)
    run.virsh("save", name, os.path.join(work, stem(name) + ".save"), timeout=120)
    run.virsh("restore", os.path.join(work, stem(name) + ".save"), timeout=120)
    for _ in range(rounds):
        run.virsh("suspend", name)
        run.virsh("resume", name)
    run.virsh("shutdown", name, "--mode", "acpi", check=False)
    time.sleep(1)
    run.virsh("destroy", name)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder for the recorded files")
    ap.add_argument("--name", default="qmplint-vm", help="domain name")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    work = os.path.join(out, "work")
    os.makedirs(work, exist_ok=True)
    configure()
    conf = os.path.join(work, "libvirtd.conf")
    daemon_log = os.path.join(out, "libvirtd-full.log")
    with open(conf, "w") as f:
        f.write('log_filters="1:qemu 1:libvirt 4:object 4:json 4:event 4:util 4:rpc 4:access"\n')
        f.write('log_outputs="1:file:%s"\n' % daemon_log)
    os.makedirs("/run/libvirt", exist_ok=True)
    domlog = "/var/log/libvirt/qemu/%s.log" % args.name
    if os.path.exists(domlog):
        os.unlink(domlog)

    log = open(os.path.join(out, "session.txt"), "w")
    run = Runner(out, log)
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"}
    daemon = subprocess.Popen(["libvirtd", "-f", conf], stdout=log, stderr=log, env=env,
                              start_new_session=True)
    listeners = []
    rc = 1
    try:
        if not wait_for(lambda: subprocess.run(["virsh", "-c", "qemu:///system", "version"],
                                               capture_output=True).returncode == 0, 60, 0.5):
            raise RuntimeError("libvirtd did not answer within 60 s")
        run.virsh("destroy", args.name, check=False)
        run.virsh("undefine", args.name, check=False)
        disk = scenario(run, args.name, work, args.rounds)
        for suffix, extra in (("", []), ("-timestamp", ["--timestamp"]), ("-pretty", ["--pretty"])):
            f = open(os.path.join(out, "virsh-event%s.log" % suffix), "w")
            p = subprocess.Popen(["virsh", "-c", "qemu:///system", "qemu-monitor-event", "--loop"] + extra,
                                 stdout=f, stderr=subprocess.STDOUT, start_new_session=True)
            listeners.append((p, f))
        time.sleep(1)
        drive(run, args.name, work, disk, args.rounds)
        time.sleep(1)
        rc = 0
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        sys.stderr.write("libvirt_session: %s\n" % e)
    finally:
        for p, f in listeners:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p, f in listeners:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
            f.close()
        try:
            run.virsh("destroy", args.name, check=False, timeout=30)
            run.virsh("undefine", args.name, check=False, timeout=30)
        except subprocess.TimeoutExpired:
            pass
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
        log.close()
        if os.path.exists(domlog):
            shutil.copy(domlog, os.path.join(out, "domain.log"))
        for f in os.listdir(IMAGES):
            if f.startswith(stem(args.name)):
                os.unlink(os.path.join(IMAGES, f))
        shutil.rmtree(work, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
