#!/usr/bin/env bash
# Builds the scoring-row JSON parser fuzzer (libFuzzer + AddressSanitizer) from the Features files it
# needs and runs it for FUZZ_SECONDS (default 300). Corpus in Fuzz/corpus-features/, crashes in
# Fuzz/artifacts/ (both git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ART=$ROOT/Fuzz/artifacts
CORPUS=$ROOT/Fuzz/corpus-features
SECONDS_TO_RUN=${FUZZ_SECONDS:-300}
mkdir -p "$ART" "$CORPUS"

swiftc -sanitize=fuzzer,address -parse-as-library -O -g -package-name mltrack -module-name FeaturesFuzz \
    Sources/Features/FeatureError.swift Sources/Features/Pipeline/FeatureValue.swift \
    Sources/Features/Pipeline/FeatureValue+JSON.swift Sources/Features/JSON/JSONValue.swift \
    Sources/Features/JSON/JSONParser.swift Fuzz/FeatureRowFuzz.swift \
    -o "$ART/features-fuzz"

seed() { printf '%s' "$2" > "$CORPUS/seed-$1.json"; }
seed 1 '{"tenure_months": 12, "monthly_charges": 70.35, "contract": "Month-to-month", "partner": true}'
seed 2 '{"a": null, "b": false, "c": -1.5e-7, "d": "2024-12-07T15:11:30.358688Z", "e": "caf\u00e9 \"q\" \\ \n"}'
seed 3 '{}'
seed 4 '{"x": 1, "x": 2}'
seed 5 '{"n": 123456789012345678901234567890, "m": 1E+308, "u": "\ud83d\ude00"}'

echo "corpus: $(ls "$CORPUS" | wc -l) files; fuzzing for ${SECONDS_TO_RUN}s"
"$ART/features-fuzz" "$CORPUS" -artifact_prefix="$ART/" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 ${FUZZ_ARGS:-}
