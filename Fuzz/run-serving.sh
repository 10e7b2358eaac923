#!/usr/bin/env bash
# Builds the scoring server's request JSON parser fuzzer (libFuzzer + AddressSanitizer) from the
# Serving files it needs and runs it for FUZZ_SECONDS (default 300). Corpus in Fuzz/corpus-serving/,
# crashes in Fuzz/artifacts/ (both git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ART=$ROOT/Fuzz/artifacts
CORPUS=$ROOT/Fuzz/corpus-serving
SECONDS_TO_RUN=${FUZZ_SECONDS:-300}
mkdir -p "$ART" "$CORPUS"

swiftc -sanitize=fuzzer,address -parse-as-library -O -g -package-name mltrack -module-name ServingFuzz \
    Sources/Features/JSON/JSONValue.swift \
    Sources/Features/JSON/JSONParser.swift Fuzz/ServingJSONFuzz.swift \
    -o "$ART/serving-json-fuzz"

seed() { printf '%s' "$2" > "$CORPUS/seed-$1.json"; }
seed 1 '{"dataframe_split": {"columns": ["tenure_months", "contract"], "data": [[12, "one-year"], [3.0, null]]}}'
seed 2 '{"dataframe_records": [{"a": -1.5e-7, "b": true, "c": "caf\u00e9 \"q\" \\ \n"}], "params": {"k": 3}}'
seed 3 '{"inputs": {"x": [1, 2, 3]}, "instances": [[1, [2, [3]]]]}'
seed 4 '{"id": "r1", "inputs": [{"name": "x", "shape": [2, 1], "datatype": "FP64", "data": [[1.0], [2.0]]}]}'
seed 5 '{"n": 123456789012345678901234567890, "m": 1E+308, "u": "\ud83d\ude00", "i": -9223372036854775808}'
seed 6 '{"user_ids": ["u1", 42], "k": 10, "exclude_seen": false}'

echo "corpus: $(ls "$CORPUS" | wc -l) files; fuzzing for ${SECONDS_TO_RUN}s"
"$ART/serving-json-fuzz" "$CORPUS" -artifact_prefix="$ART/" -max_total_time="$SECONDS_TO_RUN" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 ${FUZZ_ARGS:-}
