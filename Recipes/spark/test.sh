#!/usr/bin/env bash
# Runs the Spark recipe (local[2], several partitions) over a folder of generated and real logs
# and checks that its merged JSON report is byte-identical to one qmp-lint run over the same
# folder, and that both exit with the same status.
#
#   Recipes/spark/test.sh [QMP_LINT_BINARY]      (default: .build/debug/qmp-lint)
#
# Skips (exit 0, saying why) when pyspark or java is missing; real logs come from
# ../shared/corpus/transcripts when it is there, else only Fixtures/examples.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "$root" && realpath "${1:-.build/debug/qmp-lint}")
[ -x "$bin" ] || { echo "spark recipe test: no qmp-lint binary at $bin (swift build first)"; exit 1; }
command -v java >/dev/null || { echo "spark recipe test: SKIPPED (no java)"; exit 0; }
python3 -c 'import pyspark' 2>/dev/null || { echo "spark recipe test: SKIPPED (no pyspark)"; exit 0; }

work=$(mktemp -d /tmp/qmp-lint-spark.XXXXXX)
trap 'rm -rf "$work"' EXIT
logs="$work/logs"
mkdir -p "$logs/generated" "$logs/real/examples"

# Generated logs: four files of 1 MB from different seeds, one of them gzipped.
shared="$root/../shared"
if [ -f "$shared/bench/gen_corpus.py" ]; then
  for seed in 1 2 3 4; do
    python3 "$shared/bench/gen_corpus.py" --seed "$seed" --size-mb 1 --out "$work/gen-$seed.log" >/dev/null 2>&1
    mv "$work/gen-$seed.log" "$logs/generated/host-$seed.log"
  done
  gzip -n "$logs/generated/host-4.log"
  cp -r "$shared/corpus/transcripts/." "$logs/real/"
else
  echo "spark recipe test: ../shared absent: real logs from Fixtures only"
fi
cp "$root"/Fixtures/examples/* "$logs/real/examples/"
cp -r "$root/Fixtures/streams" "$logs/real/streams"
chmod -R u+w "$logs"   # ../shared is read-only in CI
gzip -nc "$root/Fixtures/examples/host-incident.log" > "$logs/real/examples/host-incident.log.gz"
# An unreadable input: a gzip file cut short (reported with the byte where reading stopped).
head -c 300 "$logs/real/examples/host-incident.log.gz" > "$logs/real/examples/truncated.log.gz"

cd "$work"
files=$(find logs -type f | wc -l)
bytes=$(du -sb logs | cut -f1)
set +e
"$bin" --no-config --no-progress --quiet --format json -o single.json logs 2>/dev/null
single_status=$?
start=$(date +%s%N)
python3 "$root/Recipes/spark/qmp_lint_spark.py" --qmp-lint "$bin" --master 'local[2]' --partitions 4 \
  --parts-dir parts -o spark.json logs -- --no-config 2> spark.err
spark_status=$?
end=$(date +%s%N)
set -e
parts=$(ls parts/part-*.json 2>/dev/null | wc -l)
echo "spark recipe: $files files, $bytes bytes, $parts partial reports, $(( (end - start) / 1000000 )) ms"
if [ "$spark_status" != "$single_status" ]; then
  tail -20 spark.err
  echo "spark recipe test: FAILED: exit status $spark_status, a single run's is $single_status"; exit 1
fi
if ! cmp -s single.json spark.json; then
  diff single.json spark.json | head -40 || true
  tail -20 spark.err
  echo "spark recipe test: FAILED: the merged report differs from a single run's"; exit 1
fi
[ "$parts" -ge 2 ] || { echo "spark recipe test: FAILED: only $parts partial report(s), nothing was merged"; exit 1; }
echo "spark recipe test: merged report identical to a single run's (exit status $single_status)"
