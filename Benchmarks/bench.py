#!/usr/bin/env python3
"""qmp-lint benchmark: generated corpora, qmp-lint against reference commands, in alternation.

    python3 Benchmarks/bench.py [--sizes 10,100,1000] [--runs 3] [--shared ../shared]

Builds the release binary, generates corpora with ../shared/bench/gen_corpus.py into
/tmp/qmp-bench (kept between runs), warms the page cache, then runs every command --runs
times in alternation and prints, per command, the best wall time, MB/s, the ratio to
qmp-lint, and the peak RSS (from /usr/bin/time). qmp-lint's JSON report is checked against
the corpus' answer key with check_report.py. Never part of the test suite.
"""
import argparse, os, shutil, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# The generator draws JOB_STATUS_CHANGE statuses at random, so job-transition (a stateful rule
# its answer key predates, a warning) rightly flags about one job event in three: 1 GB then holds
# more findings than the 100,000 listed per input, and the answer key's check of every listed
# error could not hold. The keyed runs leave that one rule out; one row runs every rule.
KEYED = "--disable job-transition"


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, **kw)


def timed(cmd):
    """(wall seconds, max RSS KiB) of a shell command, output discarded."""
    t0 = time.perf_counter()
    # Output to a file, not /dev/null: GNU grep stops at the first match when writing to /dev/null.
    # (`cat` writes to /dev/null itself: 1 GB written to a file evicted the corpus from the page cache.)
    if ">" not in cmd:
        cmd += " > /tmp/qmp-bench-out"
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "bash", "-c", cmd],
                       stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    lines = [l for l in p.stderr.strip().splitlines() if l.strip()]
    rss = int(lines[-1]) if lines and lines[-1].isdigit() else -1
    if p.returncode not in (0, 1):
        print("  ! %s exited %d: %s" % (cmd, p.returncode, p.stderr[-500:]), file=sys.stderr)
    return wall, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,100,1000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"))
    ap.add_argument("--out", default="/tmp/qmp-bench")
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()
    bench = os.path.join(a.shared, "bench")
    os.makedirs(a.out, exist_ok=True)
    if not a.no_build:
        sh("cd %s && swift build -c release 2>&1 | tail -1" % ROOT)
    exe = os.path.join(ROOT, ".build", "release", "qmp-lint")
    print("machine: nproc=%s, %s" % (os.cpu_count(), subprocess.run("uname -srm", shell=True, capture_output=True, text=True).stdout.strip()))
    sizes = [float(s) for s in a.sizes.split(",")]
    results = {}
    for mb in sizes:
        corpus = os.path.join(a.out, "qmp-%g.log" % mb)
        if not os.path.exists(corpus + ".key.json"):
            sh("python3 %s/gen_corpus.py --seed 7 --size-mb %g --out %s" % (bench, mb, corpus))
        size = os.path.getsize(corpus)
        gz = corpus + ".gz"
        if mb <= 100 and not os.path.exists(gz):
            sh("gzip -1 -c %s > %s" % (corpus, gz))
        sh("cat %s > /dev/null" % corpus)
        report = os.path.join(a.out, "report-%g.json" % mb)
        subprocess.run("%s --format json %s -o %s %s" % (exe, KEYED, report, corpus), shell=True)
        chk = subprocess.run(["python3", os.path.join(bench, "check_report.py"), corpus + ".key.json", report],
                             capture_output=True, text=True)
        print("\n== %s (%.1f MB): answer key: %s" % (os.path.basename(corpus), size / 1e6, chk.stdout.strip()))
        cmds = [
            ("qmp-lint --format json (jobs=2)", "%s --format json %s --jobs 2 %s" % (exe, KEYED, corpus)),
            ("qmp-lint --format json (jobs=1)", "%s --format json %s --jobs 1 %s" % (exe, KEYED, corpus)),
            ("qmp-lint all rules (jobs=2)", "%s --format json --jobs 2 %s" % (exe, corpus)),
            ("cat", "cat %s > /dev/null" % corpus),
            ("grep -c '\"event\"'", "grep -c '\"event\"' %s" % corpus),
            ("pcre2grep -o balanced object", "pcre2grep -o '\\{(?:[^{}\"]++|\"(?:[^\"\\\\\\\\]|\\\\\\\\.)*+\"|(?R))*\\}' %s" % corpus),
            ("python baseline_naive.py", "python3 %s/baseline_naive.py %s" % (bench, corpus)),
        ]
        if os.path.exists(gz):
            cmds += [("gzip -dc (.gz)", "gzip -dc %s" % gz),
                     ("qmp-lint --format json (.gz)", "%s --format json %s %s" % (exe, KEYED, gz))]
        if mb > 200:
            cmds = [c for c in cmds if "python" not in c[0] and "pcre2grep" not in c[0]] + \
                   [c for c in cmds if "python" in c[0]][:1]
        best = {}
        for r in range(a.runs):
            for name, cmd in cmds:
                # Re-warm the page cache before each timed command (untimed).
                sh("cat %s > /dev/null" % (gz if "(.gz)" in name else corpus))
                wall, rss = timed(cmd)
                b = best.get(name)
                if b is None or wall < b[0]:
                    best[name] = (wall, max(rss, b[1] if b else 0))
                else:
                    best[name] = (b[0], max(rss, b[1]))
        ql = best[cmds[0][0]][0]
        print("%-36s %9s %10s %9s %10s" % ("command", "best s", "MB/s", "vs qmp", "max RSS MB"))
        for name, _ in cmds:
            wall, rss = best[name]
            print("%-36s %9.3f %10.0f %8.2fx %10.1f" % (name, wall, size / 1e6 / wall, wall / ql, rss / 1024))
        results[mb] = (size / 1e6 / ql, best[cmds[0][0]][1] / 1024)
    if len(results) > 1:
        print("\nqmp-lint (jobs=2) by size: " + ", ".join("%g MB: %.0f MB/s, %.1f MB RSS" % (k, v[0], v[1]) for k, v in sorted(results.items())))


if __name__ == "__main__":
    main()
