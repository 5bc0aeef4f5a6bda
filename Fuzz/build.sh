#!/usr/bin/env bash
# Builds the libFuzzer binary holding every target: the QMPLint library sources plus
# Fuzz/Targets/*.swift, compiled as one module with -sanitize=fuzzer,address
# (QMPLINT_FUZZ_TARGET=<name> selects the target when it runs; Fuzz/run.sh sets it).
#   Fuzz/build.sh                   -> Fuzz/.out/qmp-lint-fuzz
#   Fuzz/build.sh --list            -> the target names
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ "${1:-}" = "--list" ]; then
  for f in Fuzz/Targets/[!_]*.swift; do basename "$f" .swift; done
  exit 0
fi
out="Fuzz/.out"
mkdir -p "$out"
# Reading configuration files needs Yams (a package, not on swiftc's path here) and no fuzzing.
mapfile -t lib < <(find Sources/QMPLint -name '*.swift' -not -name ConfigurationLoader.swift \
  -not -name ConfigurationResolution.swift | LC_ALL=C sort)
# -O keeps the fuzzer fast; -g keeps crash stacks readable. ASan needs the fuzzer runtime's
# own main, so the target file defines only LLVMFuzzerTestOneInput.
swiftc -sanitize=fuzzer,address -parse-as-library -swift-version 6 -O -g \
  -module-name QMPLintFuzz \
  -I Sources/CPCRE2 -I Sources/CZlib \
  -Xcc -DPCRE2_CODE_UNIT_WIDTH=8 \
  "${lib[@]}" Fuzz/Targets/*.swift \
  -lpcre2-8 -lz \
  -o "$out/qmp-lint-fuzz"
echo "$out/qmp-lint-fuzz"
