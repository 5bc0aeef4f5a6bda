#!/usr/bin/env bash
# Builds one libFuzzer target: the QMPLint library sources plus Fuzz/Targets/<name>.swift,
# compiled as one module with -sanitize=fuzzer,address.
#   Fuzz/build.sh <target>          -> Fuzz/.out/<target>
#   Fuzz/build.sh --list            -> the target names
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ "${1:-}" = "--list" ]; then
  for f in Fuzz/Targets/[!_]*.swift; do basename "$f" .swift; done
  exit 0
fi
target="${1:?usage: Fuzz/build.sh <target> | --list}"
src="Fuzz/Targets/$target.swift"
[ -f "$src" ] || { echo "no such target: $src" >&2; exit 64; }
out="Fuzz/.out"
mkdir -p "$out"
mapfile -t lib < <(find Sources/QMPLint -name '*.swift' | LC_ALL=C sort)
# -O keeps the fuzzer fast; -g keeps crash stacks readable. ASan needs the fuzzer runtime's
# own main, so the target file defines only LLVMFuzzerTestOneInput.
swiftc -sanitize=fuzzer,address -parse-as-library -swift-version 6 -O -g \
  -module-name QMPLintFuzz \
  -I Sources/CPCRE2 -I Sources/CZlib \
  -Xcc -DPCRE2_CODE_UNIT_WIDTH=8 \
  "${lib[@]}" Fuzz/Targets/_Support.swift "$src" \
  -lpcre2-8 -lz \
  -o "$out/$target"
echo "$out/$target"
