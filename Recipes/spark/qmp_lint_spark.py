#!/usr/bin/env python3
"""Check a fleet's logs with qmp-lint on Apache Spark: qmp-lint is the map step, `qmp-lint merge`
the reduce.

Spark lists and reads the inputs (local paths or any Hadoop file system URI: s3a://, hdfs://,
...), each partition runs qmp-lint on its files (each file's bytes on standard input, reported
under its own name with --stdin-filename) and merges them into one JSON report; the driver
collects one report per partition, writes them to --parts-dir and runs `qmp-lint merge` over
them. The merged JSON report is byte-identical to `qmp-lint --format json INPUT...` run on one
machine over the same files (Recipes/spark/test.sh checks this).

    python3 Recipes/spark/qmp_lint_spark.py -o merged.json logs/
    python3 Recipes/spark/qmp_lint_spark.py --master local[4] --format sarif -o fleet.sarif \\
        s3a://bucket/logs/ -- --qemu-version 8.2

Arguments after `--` are passed to every qmp-lint run (e.g. --qemu-version, --disable,
--config FILE). Exit status: that of `qmp-lint merge` (0, 1 for error-level findings, 2 when an
input could not be read), 64 for a usage error, 3 when a map task failed.

Differences from a walk by qmp-lint itself: Hadoop's input listing skips files and folders whose
names start with `.` or `_`, and a path holding a comma cannot be named (Hadoop splits the input
list on commas). Each file is held in memory by the task that checks it. An input that does not
exist stops the run (exit status 2) instead of being reported as unreadable.
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

# qmp-lint's own exit statuses that still come with a complete report.
REPORT_STATUSES = (0, 1, 2)


def display_name(arg):
    """The name qmp-lint would show for a path named on its command line."""
    if "://" in arg or arg.startswith(("file:", "hdfs:", "s3a:", "gs:", "abfs:", "wasb:")):
        return arg
    if arg.startswith("/"):
        cwd = os.getcwd().rstrip("/") + "/"
        return arg[len(cwd):] if arg.startswith(cwd) else arg
    return arg[2:] if arg.startswith("./") else arg


def resolve_inputs(sc, inputs):
    """(qualified URI, display prefix, is a directory) for each input, as Hadoop names its files."""
    jvm = sc._jvm
    conf = sc._jsc.hadoopConfiguration()
    roots = []
    for arg in inputs:
        if "," in arg:
            sys.exit(f"qmp_lint_spark: {arg}: a path holding a comma cannot be given to Spark")
        path = jvm.org.apache.hadoop.fs.Path(arg)
        fs = path.getFileSystem(conf)
        if not fs.exists(path):
            print(f"qmp_lint_spark: {arg}: no such file or folder", file=sys.stderr)
            sys.exit(2)
        qualified = fs.makeQualified(path).toString().rstrip("/")
        is_dir = fs.getFileStatus(path).isDirectory()
        shown = display_name(arg)
        if is_dir and not shown.endswith("/"):
            shown += "/"
        roots.append((qualified, shown, is_dir))
    return roots


def shown_as(uri, roots):
    """The display name of a file Spark read, from the input it was found under."""
    for qualified, shown, is_dir in roots:
        if is_dir and uri.startswith(qualified + "/"):
            return shown + uri[len(qualified) + 1:]
        if not is_dir and uri == qualified:
            return shown
    return uri


def check_partition(qmp_lint, flags, roots):
    """The map step: lints each file of a partition, merges their reports into one."""

    def run(records):
        with tempfile.TemporaryDirectory(prefix="qmp-lint-part-") as tmp:
            reports = []
            for i, (uri, data) in enumerate(records):
                name = shown_as(uri, roots)
                out = os.path.join(tmp, f"{i:06d}.json")
                p = subprocess.run(
                    [qmp_lint, "--format", "json", "--no-progress", "--quiet", "-o", out,
                     "--stdin-filename", name, *flags, "-"],
                    input=bytes(data), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                if p.returncode not in REPORT_STATUSES or not os.path.exists(out):
                    raise RuntimeError(f"qmp-lint failed on {name} (status {p.returncode}): "
                                       + p.stderr.decode(errors="replace"))
                reports.append(out)
            if not reports:
                return
            p = subprocess.run([qmp_lint, "merge", "--format", "json", *reports],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if p.returncode not in REPORT_STATUSES:
                raise RuntimeError("qmp-lint merge failed: " + p.stderr.decode(errors="replace"))
            yield p.stdout.decode()

    return run


def main(argv):
    flags = []
    if "--" in argv:
        i = argv.index("--")
        argv, flags = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description="Run qmp-lint over a fleet's logs on Spark and merge the reports.")
    ap.add_argument("inputs", nargs="+", help="files or folders: local paths or Hadoop URIs (s3a://bucket/logs/)")
    ap.add_argument("--qmp-lint", default=shutil.which("qmp-lint"),
                    help="the qmp-lint binary, on every worker at this path (default: qmp-lint on PATH)")
    ap.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    ap.add_argument("--partitions", type=int, default=None,
                    help="deal the files out over this many partitions, i.e. map tasks (default: as Spark packs them)")
    ap.add_argument("--parts-dir", default=None, help="keep the partial JSON reports here (default: a temporary folder)")
    ap.add_argument("-f", "--format", default="json", help="format of the merged report (default json)")
    ap.add_argument("-o", "--output", default=None, help="write the merged report here (default: standard output)")
    ap.add_argument("--strict", action="store_true", help="warnings fail the run too (exit status 1)")
    args = ap.parse_args(argv)
    if not args.qmp_lint:
        ap.error("qmp-lint not found on PATH: give --qmp-lint")
    qmp_lint = os.path.abspath(args.qmp_lint)

    from pyspark import SparkConf, SparkContext

    conf = SparkConf().setMaster(args.master).setAppName("qmp-lint")
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    try:
        # Folders are listed recursively, as qmp-lint walks them.
        sc._jsc.hadoopConfiguration().set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
        roots = resolve_inputs(sc, args.inputs)
        files = sc.binaryFiles(",".join(r[0] for r in roots), minPartitions=args.partitions)
        if args.partitions:
            # Spark packs small files into few partitions: deal them out over exactly that many
            # (this moves their bytes through a shuffle).
            n = args.partitions
            files = (files.mapPartitionsWithIndex(lambda p, recs: (((p + i) % n, r) for i, r in enumerate(recs)))
                     .partitionBy(n, lambda k: k).values())
        try:
            parts = files.mapPartitions(check_partition(qmp_lint, flags, roots)).collect()
        except Exception as e:  # a map task failed for good (after Spark's retries)
            print(f"qmp_lint_spark: {str(e).splitlines()[0] if str(e) else e}", file=sys.stderr)
            return 3
    finally:
        sc.stop()

    parts_dir = args.parts_dir or tempfile.mkdtemp(prefix="qmp-lint-parts-")
    os.makedirs(parts_dir, exist_ok=True)
    for old in glob.glob(os.path.join(parts_dir, "part-*.json")):
        os.remove(old)
    paths = []
    for i, text in enumerate(parts):
        path = os.path.join(parts_dir, f"part-{i:05d}.json")
        with open(path, "w") as f:
            f.write(text)
        paths.append(path)
    if paths:
        cmd = [qmp_lint, "merge", "--format", args.format, *paths]
    else:  # no files at all: the report of a run over an empty folder
        os.makedirs(os.path.join(parts_dir, "empty"), exist_ok=True)
        cmd = [qmp_lint, "--format", args.format, "--no-progress", *flags, os.path.join(parts_dir, "empty")]
    if args.output:
        cmd += ["-o", args.output]
    if args.strict:
        cmd.append("--strict")
    status = subprocess.run(cmd).returncode
    if not args.parts_dir:
        shutil.rmtree(parts_dir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
