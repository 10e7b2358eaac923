#!/bin/sh
# Builds and runs the Delta log fuzz target (libFuzzer + AddressSanitizer).
# Usage: Fuzz/run-delta.sh [seconds]   (default 60). Corpus: .build-fuzz/delta-corpus (seeded
# from the golden tables' commits when present). Crashes land in .build-fuzz/.
set -eu
cd "$(dirname "$0")/.."
SECS="${1:-60}"
OUT=.build-fuzz
mkdir -p "$OUT/delta-corpus"
for f in ../shared/fixtures/delta-golden/*/_delta_log/*.json /work/shared/fixtures/delta-golden/*/_delta_log/*.json; do
  [ -f "$f" ] && cp "$f" "$OUT/delta-corpus/$(echo "$f" | md5sum | cut -c1-12).json" || true
done
SWIFTC="${SWIFTC:-$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)}"
"$SWIFTC" -O -g -sanitize=fuzzer,address -parse-as-library -module-name GoldTables \
  -I Sources/CCompression $(find Sources/GoldTables -name '*.swift') Fuzz/DeltaLogFuzz.swift \
  -o "$OUT/delta-log-fuzz" 2>&1 | grep -v 'Cannot export local symbol' || true
"$OUT/delta-log-fuzz" -max_total_time="$SECS" -max_len=65536 -rss_limit_mb=2048 -artifact_prefix="$OUT/" "$OUT/delta-corpus"
