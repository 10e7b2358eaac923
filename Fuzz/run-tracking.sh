#!/usr/bin/env bash
# Builds the tracking server's request parser fuzzer (libFuzzer + AddressSanitizer) from the parser
# sources alone (WireValue, APIParameters, with a stand-in MLflowAPIError) and runs it for
# FUZZ_SECONDS (default 300). Corpus in Fuzz/corpus-tracking/, crashes in Fuzz/artifacts/ (both
# git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ART=$ROOT/Fuzz/artifacts
CORPUS=$ROOT/Fuzz/corpus-tracking
SECONDS_TO_RUN=${FUZZ_SECONDS:-300}
mkdir -p "$ART" "$CORPUS"
# libFuzzer reports crashes itself; the Swift runtime's backtracer would only slow that down.
export SWIFT_BACKTRACE=enable=no

swiftc -sanitize=fuzzer,address -parse-as-library -O -g -package-name mltrack -module-name TrackingFuzz \
    Sources/TrackingServer/API/WireValue.swift Sources/TrackingServer/API/APIParameters.swift \
    Fuzz/TrackingRequestFuzzSupport.swift Fuzz/TrackingRequestFuzz.swift \
    -o "$ART/tracking-request-fuzz"

seed() { printf '%s' "$2" > "$CORPUS/seed-$1.json"; }
R=0123456789abcdef0123456789abcdef
seed 1 "{\"run_id\": \"$R\", \"run_uuid\": \"$R\", \"key\": \"loss\", \"value\": 0.5, \"timestamp\": 1700000000000, \"step\": 3}"
seed 2 "{\"run_id\": \"$R\", \"metrics\": [{\"key\": \"m\", \"value\": \"NaN\", \"timestamp\": \"17\", \"step\": -1}], \"params\": [{\"key\": \"lr\", \"value\": \"0.01\"}], \"tags\": [{\"key\": \"t\", \"value\": \"caf\\u00e9 \\ud83d\\ude00\"}]}"
seed 3 '{"experiment_ids": ["1", "2"], "filter": "metrics.m > 0.5", "max_results": 10, "order_by": ["metrics.m DESC"], "run_view_type": 3}'
seed 4 "{\"run_id\": \"$R\", \"datasets\": [{\"tags\": [{\"key\": \"mlflow.data.context\", \"value\": \"training\"}], \"dataset\": {\"name\": \"d\", \"digest\": \"abc\", \"source_type\": \"local\", \"source\": \"{}\"}}]}"
seed 5 '{"name": "exp", "tags": [{"key": "team", "value": "ml"}], "n": 18446744073709551616, "x": 1e308, "y": -9223372036854775808, "z": [true, false, null]}'
seed 6 '{"run_id": "a", "runId": "b"}'

echo "corpus: $(ls "$CORPUS" | wc -l) files; fuzzing for ${SECONDS_TO_RUN}s"
"$ART/tracking-request-fuzz" "$CORPUS" -artifact_prefix="$ART/" -max_total_time="$SECONDS_TO_RUN" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 ${FUZZ_ARGS:-}
