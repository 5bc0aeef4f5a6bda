#!/usr/bin/env bash
# Runs one libFuzzer target for a while:
#   Fuzz/run.sh <target> <seconds> [extra libFuzzer flags...]
# Seeds come from Fixtures/ and ../shared/corpus (when present); inputs the fuzzer finds go to
# Fuzz/.corpus/<target> (not committed). A crash, leak, timeout or out-of-memory input is
# copied to Fixtures/hostile/crashes/<target>/ (commit it: the Hostile tests replay it) and the
# script exits non-zero. Earlier crash inputs are replayed first.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target="${1:?usage: Fuzz/run.sh <target> <seconds> [libFuzzer flags]}"
seconds="${2:?usage: Fuzz/run.sh <target> <seconds> [libFuzzer flags]}"
shift 2
[ -f "Fuzz/Targets/$target.swift" ] || { echo "no such target: $target (see Fuzz/build.sh --list)" >&2; exit 64; }
bin="Fuzz/.out/qmp-lint-fuzz"
if [ ! -x "$bin" ] || [ -n "$(find Sources/QMPLint Fuzz/Targets -name '*.swift' -newer "$bin" -print -quit)" ]; then
  Fuzz/build.sh >/dev/null 2>/tmp/fuzz-build.log || { tail -30 /tmp/fuzz-build.log; exit 3; }
fi
export QMPLINT_FUZZ_TARGET="$target"
# The Swift runtime's backtracer does not survive ASan: let the sanitizer report instead.
export SWIFT_BACKTRACE=enable=no
# Swift keeps pointers in enum payloads with tag bits set, out of LeakSanitizer's sight: its
# reports are false positives here.
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
shared="$root/../shared/corpus"
seeds=()
add() { [ -d "$1" ] && seeds+=("$1"); }
maxlen=65536
# Log-shape targets get the dictionary of QMP and log-record tokens (Fuzz/qmp.dict).
dict=()
case "$target" in
  json)
    add "$shared/json-test-suite/test_parsing"; add Fixtures/json; maxlen=16384 ;;
  extract)
    add "$shared/transcripts"; add Fixtures/examples; add Fixtures/cli; add Fixtures/hostile/seeds
    dict=(-dict=Fuzz/qmp.dict) ;;
  qapi)
    add "$shared/qapi"; add "$shared/schemas" ;;
  textdoc)
    add "$shared/docs" ;;
  gzip)
    add Fixtures/examples; add Fixtures/cli; add Fixtures/hostile/seeds
    dict=(-dict=Fuzz/qmp.dict) ;;
esac
# libFuzzer reads seed directories one level deep: flatten nested corpora into one folder.
flat="Fuzz/.corpus/$target-seeds"
rm -rf "$flat"; mkdir -p "$flat"
for d in "${seeds[@]}"; do
  find "$d" -type f -size -"$((maxlen / 1024 + 1))"k | while read -r f; do
    cp "$f" "$flat/$(printf '%s' "$f" | md5sum | cut -c1-16)"
  done
done
corpus="Fuzz/.corpus/$target"
crashes="Fixtures/hostile/crashes/$target"
art="$(mktemp -d)"
mkdir -p "$corpus"
# Replay earlier crash inputs: each must now pass.
if [ -d "$crashes" ] && [ -n "$(ls -A "$crashes")" ]; then
  "$bin" -runs=0 "$crashes"/* >/dev/null 2>"$art/replay.log" || { cat "$art/replay.log" | tail -40; echo "a recorded crash input still fails"; exit 1; }
fi
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$maxlen" \
  -print_final_stats=1 -artifact_prefix="$art/" "${dict[@]}" "$@" "$corpus" "$flat" 2>"$art/fuzz.log"
rc=$?
grep -E '^(stat::|Done|#[0-9]+ *DONE)' "$art/fuzz.log" | tail -8
found=0
for f in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-* "$art"/slow-unit-*; do
  [ -e "$f" ] || continue
  case "$(basename "$f")" in slow-unit-*) continue ;; esac
  mkdir -p "$crashes"; cp "$f" "$crashes/"; found=1
  echo "kept $crashes/$(basename "$f")"
done
if [ $rc -ne 0 ] || [ $found = 1 ]; then
  grep -v '^#' "$art/fuzz.log" | tail -60
  echo "fuzz target $target failed (status $rc)"
  exit 1
fi
rm -rf "$art"
echo "fuzz target $target: no crash in ${seconds}s"
