#!/usr/bin/env bash
# mltrack demo: synthesise the two sample Gold tables (or use Experiments/gold/ when present) and
# show what `mltrack gold` reports about them.
#
#   tools/demo.sh [BIN]        BIN defaults to .build/release/mltrack, then .build/debug/mltrack
#
# Environment: DEMO_DIR (where to write the tables; default: a fresh temporary folder, removed at
# the end), DEMO_ROWS (churn rows, default 20000), DEMO_SEED (default 42).
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

rows="${DEMO_ROWS:-20000}"
seed="${DEMO_SEED:-42}"
cleanup=""
if [[ -d "$root/Experiments/gold/churn/_delta_log" && -d "$root/Experiments/gold/interactions/_delta_log" ]]; then
  dir="$root/Experiments/gold"
  echo "== using the tables in $dir"
else
  if [[ -n "${DEMO_DIR:-}" ]]; then
    dir="$DEMO_DIR"
    mkdir -p "$dir"
  else
    dir="$(mktemp -d "${TMPDIR:-/tmp}/mltrack-demo.XXXXXX")"
    cleanup="$dir"
  fi
  trap '[[ -n "$cleanup" ]] && rm -rf "$cleanup"' EXIT
  echo "== synthesising the sample tables in $dir (seed $seed)"
  "$bin" gold synth churn --rows "$rows" --seed "$seed" --out "$dir/churn" --overwrite
  "$bin" gold synth interactions --rows "$((rows * 5))" --seed "$seed" --out "$dir/interactions" --overwrite
fi

for table in churn interactions; do
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
echo "-- mltrack gold cat $dir/churn --columns customer_id,contract,churned --format jsonl (first 3 lines)"
"$bin" gold cat "$dir/churn" --columns customer_id,contract,churned --format jsonl | head -n 3 || true
echo
echo "== demo done"
