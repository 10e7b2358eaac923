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
