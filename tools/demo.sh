#!/usr/bin/env bash
# mltrack demo (what `make demo` runs): synthesise the two sample Gold tables exactly as the shipped
# ones under Experiments/gold/ were made, show what `mltrack gold` reports about them, and check the
# fresh tables hold the same rows as the shipped ones; then train the churn logistic model and the ALS
# recommender on the shipped tables into $DEMO_DIR/models/, score a few rows and recommend for one user;
# finally run Experiments/churn.yaml and Experiments/recommendations.yaml with `mltrack run`.
#
#   tools/demo.sh [BIN]        BIN defaults to .build/release/mltrack, then .build/debug/mltrack
#
# Environment: DEMO_DIR (where to write the tables; default .tmp/demo under the checkout).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-}"
if [[ -z "$bin" ]]; then
  for candidate in "$root/.build/release/mltrack" "$root/.build/debug/mltrack"; do
    if [[ -x "$candidate" ]]; then bin="$candidate"; break; fi
  done
fi
if [[ -z "$bin" || ! -x "$bin" ]]; then
  echo "demo: no mltrack binary (build it with 'make build' or pass its path)" >&2
  exit 2
fi

dir="${DEMO_DIR:-$root/.tmp/demo}"
mkdir -p "$dir"
shipped="$root/Experiments/gold"

# The same parameters as `make sample` (which made Experiments/gold/).
echo "== synthesising the sample Gold tables in $dir"
"$bin" gold synth churn --rows 5000 --seed 7 --batch-rows 2500 --out "$dir/customers" --overwrite
"$bin" gold synth interactions --rows 50000 --seed 7 --out "$dir/interactions" --overwrite

for table in customers interactions; do
  path="$dir/$table"
  echo
  echo "================ $table ================"
  echo "-- mltrack gold schema $path"
  "$bin" gold schema "$path"
  echo
  echo "-- mltrack gold history $path"
  "$bin" gold history "$path"
  echo
  echo "-- mltrack gold head $path -n 5"
  "$bin" gold head "$path" -n 5
  echo
  echo "-- mltrack gold stats $path"
  "$bin" gold stats "$path"
done

echo
echo "-- mltrack gold cat $dir/customers --columns customer_id,contract,tenure_months,churned --format jsonl (first 3 lines)"
"$bin" gold cat "$dir/customers" --columns customer_id,contract,tenure_months,churned --format jsonl | head -n 3 || true

echo
for table in customers interactions; do
  if [[ -d "$shipped/$table/_delta_log" ]]; then
    fresh=$("$bin" gold cat "$dir/$table" --format jsonl | sha256sum | cut -d' ' -f1)
    ship=$("$bin" gold cat "$shipped/$table" --format jsonl | sha256sum | cut -d' ' -f1)
    if [[ "$fresh" == "$ship" ]]; then
      echo "== $table: the fresh table holds exactly the rows of Experiments/gold/$table (sha256 of its JSON lines $fresh)"
    else
      echo "demo: $table differs from the shipped Experiments/gold/$table (run 'make sample' if the generator changed on purpose)" >&2
      exit 1
    fi
  fi
done

# Train the churn model and the recommender on the shipped sample tables, score and recommend.
models="$dir/models"
mkdir -p "$models"
echo
echo "================ models ================"
echo "-- mltrack train logistic Experiments/gold/customers --features Experiments/features/churn.yaml --label churned --out $models/churn"
"$bin" train logistic "$shipped/customers" --features "$root/Experiments/features/churn.yaml" --label churned \
  --out "$models/churn" --overwrite
echo
echo "-- mltrack predict $models/churn Experiments/gold/customers --id customer_id --limit 3"
"$bin" predict "$models/churn" "$shipped/customers" --id customer_id --limit 3
echo
echo "-- mltrack train als Experiments/gold/interactions --user user_id --item item_id --weight count --out $models/recommender"
"$bin" train als "$shipped/interactions" --user user_id --item item_id --weight count \
  --factors 16 --iterations 10 --alpha 5 --regularization 0.05 --seed 7 --out "$models/recommender" --overwrite
echo
echo "-- mltrack recommend $models/recommender --user u00042 --k 5"
"$bin" recommend "$models/recommender" --user u00042 --k 5

# Run both experiment specs end to end into a fresh tracking store: train, evaluate, record the
# runs, register the models and promote them under Models/*.yaml.
store="$dir/mltrack/mltrack.db"
rm -rf "$dir/mltrack"
for spec in churn recommendations; do
  echo
  echo "-- mltrack run Experiments/$spec.yaml --tracking-uri $store"
  "$bin" run "$root/Experiments/$spec.yaml" --tracking-uri "$store" --quiet
done

# Score the customers in batch into a Delta table with the champion, then serve the champion and
# the recommender over HTTP and ask each for one answer.
echo
echo "================ scoring ================"
scores="$dir/gold/churn_scores"
echo "-- mltrack score models:/churn@champion --input Experiments/gold/customers --output $scores --id-columns customer_id --mode overwrite"
"$bin" score models:/churn@champion --tracking-uri "$store" --policies "$root/Models" --input "$shipped/customers" \
  --output "$scores" --id-columns customer_id --mode overwrite --quiet
"$bin" gold head "$scores" -n 3

echo
echo "-- mltrack serve models:/churn@champion --model recommender=models:/recommender@champion --port 0"
log="$dir/serve.log"
"$bin" serve models:/churn@champion --model recommender=models:/recommender@champion --port 0 \
  --tracking-uri "$store" --policies "$root/Models" > "$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null' EXIT
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log" | head -n 1)
  [[ -n "$port" ]] && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; echo "demo: mltrack serve exited" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { cat "$log" >&2; echo "demo: mltrack serve did not start" >&2; exit 1; }
body='{"dataframe_records": [{"tenure_months": 3, "monthly_charges": 80.5, "total_charges": 241.5, "support_calls": 4, "partner": false, "senior": true, "contract": "month-to-month", "payment_method": "electronic check", "region": "north", "signup_date": "2024-10-01", "last_active": "2024-12-01T10:00:00Z"}]}'
echo "POST /invocations $body"
curl -sS --fail-with-body -D - "http://127.0.0.1:$port/invocations" -H 'Content-Type: application/json' -d "$body" \
  | grep -iE '^x-mltrack-model-version|predictions'
echo
echo 'POST /models/recommender/recommend {"user_id": "u00042", "k": 3}'
curl -sS --fail-with-body "http://127.0.0.1:$port/models/recommender/recommend" -H 'Content-Type: application/json' \
  -d '{"user_id": "u00042", "k": 3}'
echo
kill -TERM "$server"
wait "$server" || { cat "$log" >&2; echo "demo: mltrack serve did not shut down cleanly" >&2; exit 1; }
trap - EXIT
echo "server stopped (SIGTERM: drained and exited 0)"
