#!/usr/bin/env bash
# Builds the Parquet reader fuzzer (libFuzzer + AddressSanitizer) from the GoldTables sources and
# runs it for FUZZ_SECONDS (default 300). Seeds: small Parquet files from Tests/Fixtures, the
# Delta golden fixtures beside the checkout, and (when MLTRACK_PYTHON is set) files pyarrow writes.
# The binary and any crash-*/leak-*/timeout-* inputs land in Fuzz/artifacts/, the growing corpus in
# Fuzz/corpus-parquet/ (both git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ART=$ROOT/Fuzz/artifacts
CORPUS=$ROOT/Fuzz/corpus-parquet
SECONDS_TO_RUN=${FUZZ_SECONDS:-300}
mkdir -p "$ART" "$CORPUS"

SOURCES=$(find Sources/GoldTables -name '*.swift' | sort)
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -package-name mltrack -module-name GoldTablesFuzz \
    -I Sources/CCompression \
    $SOURCES Fuzz/ParquetFuzz.swift \
    -lsnappy -lzstd -lz -llz4 -lbrotlidec -lbrotlienc \
    -o "$ART/parquet-fuzz"

# Seed corpus: small Parquet files only.
add_seeds() {
    [ -d "$1" ] || return 0
    find "$1" -name '*.parquet' -size -64k -print0 | while IFS= read -r -d '' f; do
        cp "$f" "$CORPUS/$(basename "$(dirname "$f")")-$(basename "$f")" 2>/dev/null || true
    done
}
add_seeds Tests/Fixtures
add_seeds "$ROOT/../shared/fixtures/delta-golden"
add_seeds /work/shared/fixtures/delta-golden
if [ -n "${MLTRACK_PYTHON:-}" ] && [ ! -e "$CORPUS/.pyarrow" ]; then
    "$MLTRACK_PYTHON" - "$CORPUS" <<'PY'
import sys, datetime, decimal
import pyarrow as pa, pyarrow.parquet as pq
out = sys.argv[1]
t = pa.table({
    'i': pa.array([1, None, 3, 4] * 8, pa.int64()), 's': pa.array(['a', 'bb', None, 'a'] * 8),
    'b': pa.array([True, False, None, True] * 8), 'f': pa.array([1.5, None, -2.0, 0.0] * 8, pa.float32()),
    'd': pa.array([datetime.date(2020, 1, 1), None, datetime.date(1969, 12, 31), datetime.date(2000, 2, 29)] * 8),
    'dec': pa.array([decimal.Decimal('1.25'), None, decimal.Decimal('-3.50'), decimal.Decimal('0')] * 8, pa.decimal128(5, 2)),
    'l': pa.array([[1, 2], None, [], [None]] * 8, pa.list_(pa.int32())),
    'm': pa.array([[('k', 1)], None, [], [('a', None)]] * 8, pa.map_(pa.string(), pa.int64())),
    'st': pa.array([{'x': 1, 'y': 'q'}, None, {'x': None, 'y': None}, {'x': 2, 'y': ''}] * 8,
                   pa.struct([('x', pa.int32()), ('y', pa.string())])),
})
for c in ['none', 'snappy', 'zstd', 'gzip', 'lz4', 'brotli']:
    pq.write_table(t, f'{out}/py-{c}.parquet', compression=c, row_group_size=16)
pq.write_table(t, f'{out}/py-v2.parquet', data_page_version='2.0', row_group_size=16)
pq.write_table(t.select(['i', 's', 'b', 'f']), f'{out}/py-enc.parquet', use_dictionary=False,
               column_encoding={'i': 'DELTA_BINARY_PACKED', 's': 'DELTA_BYTE_ARRAY', 'b': 'RLE', 'f': 'BYTE_STREAM_SPLIT'})
pq.write_table(t.select(['s']), f'{out}/py-dlba.parquet', use_dictionary=False, column_encoding={'s': 'DELTA_LENGTH_BYTE_ARRAY'})
pq.write_table(t.select(['i']), f'{out}/py-int96.parquet', use_deprecated_int96_timestamps=True)
open(f'{out}/.pyarrow', 'w').close()
PY
fi

echo "corpus: $(ls "$CORPUS" | wc -l) files; fuzzing for ${SECONDS_TO_RUN}s"
"$ART/parquet-fuzz" "$CORPUS" -artifact_prefix="$ART/" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 ${FUZZ_ARGS:-}
