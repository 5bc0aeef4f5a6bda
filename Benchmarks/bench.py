#!/usr/bin/env python3
"""qmp-lint benchmark: generated corpora and long marker lines, qmp-lint against reference
commands, in alternation.

    python3 Benchmarks/bench.py [--sizes 10,100,1000] [--runs 3] [--line-mb 16] [--shared ../shared]
                                [--exe PATH]

Builds the release binary (its time is printed apart), generates corpora with
../shared/bench/gen_corpus.py into /tmp/qmp-bench (kept between runs), checks qmp-lint's JSON
report against each corpus' answer key (check_report.py), then per size runs every command
--runs times in alternation (page cache warmed before each) and prints the best wall time,
MB/s, peak RSS, and each command's time as a ratio to qmp-lint's (above 1: qmp-lint is that
many times faster): `cat`, `grep -c`, `rg -c`, `pcre2grep -o` with a balanced-object
pattern, and the Python checker a user would write (baseline_naive.py). Then the long-line
rows: one line of repeated stray markers per row (issue 18), each timed against a generated
corpus of the same size; the target is at most 5x its time. Last, the issue-16 targets, met
or not, and how long the benchmark took. Never part of the test suite.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# The generator draws JOB_STATUS_CHANGE statuses at random, so job-transition (a stateful rule
# its answer key predates, a warning) rightly flags about one job event in three: 1 GB then holds
# more findings than the 100,000 listed per input, and the answer key's check of every listed
# error could not hold. The keyed runs leave that one rule out; one row runs every rule.
KEYED = "--disable job-transition"

# One line each, the pattern repeated to the row's size (issue 18, item 2). The first three are
# the issue's; the others once took quadratic time too (found while measuring the first three).
LONG_LINES = [
    ("{x \"event\" ", '{x "event" '),
    ("\"event\" ", '"event" '),
    ("{\"a\":1} \"event\" ", '{"a":1} "event" '),
    ("\"event\": \"STOP\" ", '"event": "STOP" '),
    ("\\\"event\\\": ", '\\"event\\": '),
    ("{\"a\":{\"event\":\"X\"} ", '{"a":{"event":"X"} '),
]
LONG_LINE_FACTOR = 5  # target: a long line costs at most this many times a corpus of its size

# Issue 16's targets, checked on the largest corpus measured.
TARGET_MBS = 1500      # whole-transcript validation, --jobs 2
TARGET_MBS_J1 = 900    # --jobs 1
TARGET_PCRE = 1.5      # x faster than pcre2grep -o balanced objects
TARGET_PYTHON = 5.0    # x faster than baseline_naive.py
TARGET_RSS_MB = 64


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, **kw)


def timed(cmd, timeout=None):
    """(wall seconds, peak RSS KiB, timed out) of a shell command, its output discarded."""
    # Output to a file, not /dev/null: GNU grep stops at the first match when writing to /dev/null.
    # (`cat` writes to /dev/null itself: 1 GB written to a file evicted the corpus from the page cache.)
    if ">" not in cmd:
        cmd += " > /tmp/qmp-bench-out"
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, shell=True, stderr=subprocess.PIPE, start_new_session=True)
    deadline = None if timeout is None else t0 + timeout
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.perf_counter() > deadline:
            os.killpg(p.pid, 9)
            os.wait4(p.pid, 0)
            return timeout, -1, True
        time.sleep(0.005)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace")
    if p.returncode not in (0, 1):
        print("  ! %s exited %d: %s" % (cmd, p.returncode, err[-500:]), file=sys.stderr)
    # Linux: the child's peak RSS, its own children included, in KiB.
    return wall, usage.ru_maxrss, False


def have(tool):
    return shutil.which(tool) is not None


def run_rows(cmds, runs, warm, timeout=None):
    """Best wall time and peak RSS per command, the commands run in alternation `runs` times.
    A command that timed out is not run again."""
    best = {}
    for _ in range(runs):
        for name, cmd in cmds:
            if name in best and best[name][2]:
                continue
            warm(name)
            wall, rss, out = timed(cmd, timeout)
            b = best.get(name)
            if b is None or (not out and wall < b[0]):
                best[name] = (wall, max(rss, b[1] if b else -1), out)
            else:
                best[name] = (b[0], max(rss, b[1]), b[2])
    return best


def corpus(bench, out, mb, seed=7):
    path = os.path.join(out, "qmp-%g.log" % mb)
    if not os.path.exists(path + ".key.json"):
        t0 = time.perf_counter()
        sh("python3 %s/gen_corpus.py --seed %d --size-mb %g --out %s" % (bench, seed, mb, path))
        print("(generated %s in %.1f s)" % (os.path.basename(path), time.perf_counter() - t0))
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,100,1000", help="corpus sizes in MB")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--line-mb", type=float, default=16, help="size of each long-line row (0: none)")
    ap.add_argument("--line-timeout", type=float, default=20, help="seconds before a long-line row is stopped")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"))
    ap.add_argument("--out", default="/tmp/qmp-bench")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--exe", help="benchmark this qmp-lint binary (no build), e.g. to compare two builds")
    a = ap.parse_args()
    bench = os.path.join(a.shared, "bench")
    os.makedirs(a.out, exist_ok=True)
    if not a.no_build and not a.exe:
        t0 = time.perf_counter()
        sh("cd %s && swift build -c release 2>&1 | tail -1" % ROOT)
        print("(release build: %.0f s, not counted below)" % (time.perf_counter() - t0))
    start = time.perf_counter()
    exe = os.path.abspath(a.exe) if a.exe else os.path.join(ROOT, ".build", "release", "qmp-lint")
    print("machine: nproc=%s, %s" % (os.cpu_count(), subprocess.run("uname -srm", shell=True, capture_output=True, text=True).stdout.strip()))
    sizes = [float(s) for s in a.sizes.split(",") if s]
    results = {}
    for mb in sizes:
        path = corpus(bench, a.out, mb)
        size = os.path.getsize(path)
        gz = path + ".gz"
        if mb <= 100 and not os.path.exists(gz):
            sh("gzip -1 -c %s > %s" % (path, gz))
        sh("cat %s > /dev/null" % path)
        report = os.path.join(a.out, "report-%g.json" % mb)
        subprocess.run("%s --format json %s -o %s %s" % (exe, KEYED, report, path), shell=True)
        chk = subprocess.run(["python3", os.path.join(bench, "check_report.py"), path + ".key.json", report],
                             capture_output=True, text=True)
        print("\n== %s (%.1f MB): answer key: %s" % (os.path.basename(path), size / 1e6,
                                                     (chk.stdout.strip() or chk.stderr.strip()[-300:])))
        ql = "qmp-lint --format json (jobs=2)"
        cmds = [
            (ql, "%s --format json %s --jobs 2 %s" % (exe, KEYED, path)),
            ("qmp-lint --format json (jobs=1)", "%s --format json %s --jobs 1 %s" % (exe, KEYED, path)),
            ("qmp-lint all rules (jobs=2)", "%s --format json --jobs 2 %s" % (exe, path)),
            ("cat", "cat %s > /dev/null" % path),
            ("grep -c '\"event\"'", "grep -c '\"event\"' %s" % path),
            ("rg -c -P '\"event\"\\s*:'", "rg -c -P '\"event\"\\s*:' %s" % path),
            ("pcre2grep -o balanced object",
             "pcre2grep -o '\\{(?:[^{}\"]++|\"(?:[^\"\\\\\\\\]|\\\\\\\\.)*+\"|(?R))*\\}' %s" % path),
            ("python baseline_naive.py", "python3 %s/baseline_naive.py %s" % (bench, path)),
        ]
        missing = [n for n, c in cmds if not have(c.split()[0])]
        cmds = [(n, c) for n, c in cmds if n not in missing]
        if os.path.exists(gz):
            cmds += [("gzip -dc (.gz)", "gzip -dc %s" % gz),
                     ("qmp-lint --format json (.gz)", "%s --format json %s %s" % (exe, KEYED, gz))]
        # The slow references run once on large corpora (their time is stable; the budget is not).
        slow = [c for c in cmds if mb > 200 and ("python" in c[0] or "pcre2grep" in c[0])]
        fast = [c for c in cmds if c not in slow]
        warm = lambda name: sh("cat %s > /dev/null" % (gz if "(.gz)" in name else path))
        best = run_rows(fast, a.runs, warm)
        best.update(run_rows(slow, 1, warm))
        qt = best[ql][0]
        # "time / qmp-lint": above 1, qmp-lint (jobs=2) is that many times faster than the command.
        print("%-36s %9s %10s %10s %15s" % ("command", "best s", "MB/s", "max RSS MB", "time / qmp-lint"))
        for name, _ in cmds:
            wall, rss, _ = best[name]
            ratio = "%.2f" % (wall / qt)
            print("%-36s %9.3f %10.0f %10.1f %15s" % (name, wall, size / 1e6 / wall, rss / 1024, ratio))
        for name in missing:
            print("%-36s %9s" % (name, "(not installed)"))
        ratios = ", ".join("%s %.2f" % (n.split(" ")[0] if "python" not in n else "python", best[n][0] / qt)
                           for n, _ in cmds if not n.startswith("qmp-lint") and "(.gz)" not in n)
        print("ratios (reference time / qmp-lint time): " + ratios)
        results[mb] = {n: v for n, v in best.items()}
        results[mb]["_size"] = size
    if len(results) > 1:
        print("\nqmp-lint (jobs=2) by size: " + ", ".join(
            "%g MB: %.0f MB/s, %.1f MB RSS" % (k, v["_size"] / 1e6 / v["qmp-lint --format json (jobs=2)"][0],
                                              v["qmp-lint --format json (jobs=2)"][1] / 1024)
            for k, v in sorted(results.items())))

    # Long lines (issue 18): each row one line of repeated markers, against a corpus of its size.
    lines_ok = None
    if a.line_mb > 0:
        n = int(a.line_mb * 1e6)
        ref = corpus(bench, a.out, a.line_mb, seed=42)
        rows = [("generated corpus", "%s --format json %s" % (exe, ref), ref)]
        for label, pattern in LONG_LINES:
            f = os.path.join(a.out, "line-%d-%g.log" % (LONG_LINES.index((label, pattern)), a.line_mb))
            if not os.path.exists(f):
                with open(f, "w") as out:
                    out.write(pattern * (n // len(pattern)) + "\n")
            rows.append(("line of " + label, "%s --format json %s" % (exe, f), f))
        files = {name: f for name, _, f in rows}
        best = run_rows([(name, cmd) for name, cmd, _ in rows], a.runs,
                        lambda name: sh("cat %s > /dev/null" % files[name]), timeout=a.line_timeout)
        base = best["generated corpus"][0]
        print("\n== long lines, %g MB each (target: at most %dx the generated corpus; stopped after %g s)"
              % (a.line_mb, LONG_LINE_FACTOR, a.line_timeout))
        print("%-36s %9s %10s %10s %8s" % ("input", "best s", "x corpus", "max RSS MB", "target"))
        lines_ok = True
        for name, _, _ in rows:
            wall, rss, out = best[name]
            ok = not out and wall <= LONG_LINE_FACTOR * base
            if name != "generated corpus":
                lines_ok = lines_ok and ok
            print("%-36s %9s %10s %10s %8s" % (
                name, (">%.0f" % wall) if out else "%.3f" % wall, "%.1f" % (wall / base) if not out else "-",
                "%.1f" % (rss / 1024) if rss >= 0 else "-", "" if name == "generated corpus" else ("met" if ok else "NOT MET")))

    # Issue 16's targets, on the largest corpus.
    if results:
        mb = max(results)
        r = results[mb]
        size = r["_size"] / 1e6
        q = r["qmp-lint --format json (jobs=2)"]
        print("\n== targets (issue 16), on the %g MB corpus, nproc=%s" % (mb, os.cpu_count()))
        checks = [
            ("--jobs 2 >= %d MB/s" % TARGET_MBS, size / q[0], size / q[0] >= TARGET_MBS, "%.0f MB/s"),
            ("--jobs 1 >= %d MB/s" % TARGET_MBS_J1, size / r["qmp-lint --format json (jobs=1)"][0],
             size / r["qmp-lint --format json (jobs=1)"][0] >= TARGET_MBS_J1, "%.0f MB/s"),
            ("peak RSS <= %d MB" % TARGET_RSS_MB, q[1] / 1024, q[1] / 1024 <= TARGET_RSS_MB, "%.1f MB"),
        ]
        for name, target in (("pcre2grep -o balanced object", TARGET_PCRE), ("python baseline_naive.py", TARGET_PYTHON)):
            if name in r:
                x = r[name][0] / q[0]
                checks.append(("%.1fx faster than %s" % (target, name.split(" ")[0]), x, x >= target, "%.2fx"))
        if lines_ok is not None:
            checks.append(("long lines within %dx a corpus" % LONG_LINE_FACTOR, 0, lines_ok, ""))
        for name, value, ok, fmt in checks:
            print("%-40s %12s  %s" % (name, (fmt % value) if fmt else "", "met" if ok else "NOT MET"))
    print("\nbenchmark time (corpus generation included, build excluded): %.0f s" % (time.perf_counter() - start))


if __name__ == "__main__":
    main()
