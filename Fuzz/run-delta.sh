#!/usr/bin/env bash
# Builds the Delta log fuzzer (libFuzzer + AddressSanitizer) from the GoldTables sources and runs it
# for FUZZ_SECONDS (default 300). Each input is tried as commit lines, a deletion-vector bitmap,
# schema/partition/Z85 text, and as commit 1 of a real table (snapshot + history). Seeds: the Delta
# golden commits beside the checkout. The binary and crash-*/leak-*/timeout-* inputs land in
# Fuzz/artifacts/, the corpus in Fuzz/corpus-delta/ (both git-ignored, like run.sh's).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ART=$ROOT/Fuzz/artifacts
CORPUS=$ROOT/Fuzz/corpus-delta
SECONDS_TO_RUN=${FUZZ_SECONDS:-300}
mkdir -p "$ART" "$CORPUS"

SOURCES=$(find Sources/GoldTables -name '*.swift' | sort)
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -package-name mltrack -module-name GoldTablesFuzz \
    -I Sources/CCompression \
    $SOURCES Fuzz/DeltaLogFuzz.swift \
    -lsnappy -lzstd -lz -llz4 -lbrotlidec -lbrotlienc \
    -o "$ART/delta-log-fuzz" 2>&1 | grep -v 'Cannot export local symbol' || true

for d in "$ROOT/../shared/fixtures/delta-golden" /work/shared/fixtures/delta-golden; do
    [ -d "$d" ] || continue
    for f in "$d"/*/_delta_log/*.json; do
        [ -f "$f" ] && cp "$f" "$CORPUS/$(basename "$(dirname "$(dirname "$f")")")-$(basename "$f")" 2>/dev/null || true
    done
done

echo "corpus: $(ls "$CORPUS" | wc -l) files; fuzzing for ${SECONDS_TO_RUN}s"
"$ART/delta-log-fuzz" "$CORPUS" -artifact_prefix="$ART/" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 ${FUZZ_ARGS:-}
