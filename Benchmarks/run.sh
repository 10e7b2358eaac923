#!/usr/bin/env bash
# Throughput of mltrack's readers and writers against the peers, on the same files in the same run.
# Usage: bash Benchmarks/run.sh BIN PY    (what `make bench` runs; builds nothing itself)
#   BIN  the mltrack binary (.build/release/mltrack)   PY  a Python with pyarrow + deltalake
# Env: BENCH_RUNS (timed runs per tool and round, default 7), BENCH_ROUNDS (rounds alternating the
# two tools, default 3, so a change in machine load hits both alike), BENCH_DATA (input folder),
# BENCH_OUT (where the write benchmarks make their scratch folder, default BENCH_DATA; removed after),
# BENCH_TRAIN_RUNS (timed fits per trainer and round, default 3), BENCH_ONLY (comma-separated groups
# to run: scan, write, logistic, als, serve, score, tracking; default all).
# tracking: `mltrack server` against `mlflow server` (sqlite), the real mlflow client and a replay of its
# requests (Benchmarks/tracking_bench.sh: TRACKING_RUNS, TRACKING_CONNECTIONS, TRACKING_REPLAY_FACTOR).
# serve: `mltrack serve` against `mlflow models serve` under wrk (Benchmarks/serve_bench.sh: SERVE_SECONDS,
# SERVE_WARMUP, SERVE_CONCURRENCY, MLFLOW_WORKERS); score: `mltrack score` against pandas + scikit-learn on
# a 1M-row table (Benchmarks/score_bench.sh: SCORE_ROWS, SCORE_RUNS). PY needs mlflow for both.
# Prints a Markdown table for docs/BENCHMARKS.md. A tool that fails shows as "n/a" with its error below.
set -uo pipefail
BIN=${1:?usage: run.sh BIN PY}
PY=${2:?usage: run.sh BIN PY}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${BENCH_DATA:-$HERE/data}
RUNS=${BENCH_RUNS:-7}
ROUNDS=${BENCH_ROUNDS:-3}

TRAIN_RUNS=${BENCH_TRAIN_RUNS:-3}
ONLY=${BENCH_ONLY:-scan,write,logistic,als,serve,score,tracking}
want() { [[ ",$ONLY," == *",$1,"* ]]; }

if want scan || want write; then
  "$PY" "$HERE/gen_data.py" "$DATA" || { echo "run.sh: generating benchmark data failed" >&2; exit 1; }
fi
if want logistic; then
  "$PY" "$HERE/gen_train_data.py" "$DATA" || { echo "run.sh: generating the logistic training data failed" >&2; exit 1; }
fi
if want als; then
  "$PY" "$HERE/gen_als_data.py" "$DATA" || { echo "run.sh: generating the ALS benchmark data failed" >&2; exit 1; }
fi

RESULTS=$(mktemp)
ERR=$(mktemp)
mkdir -p "${BENCH_OUT:-$DATA}" 2> /dev/null
OUT=$(mktemp -d "${BENCH_OUT:-$DATA}/write_out.XXXXXX") || { echo "run.sh: cannot create a scratch folder" >&2; exit 1; }
trap 'rm -f "$RESULTS" "$ERR"; rm -rf "$OUT"' EXIT

# record DATASET TOOL JSON-or-error (DATASET is "write:NAME" for the write benchmarks)
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$RESULTS"; }

want scan && for spec in "parquet scan_10m.parquet" "delta delta_2m"; do
  read -r kind name <<< "$spec"
  path="$DATA/$name"
  for round in $(seq 1 "$ROUNDS"); do
    echo "benchmarking $name, round $round/$ROUNDS ($RUNS runs each)..." >&2
    if [ -x "$BIN" ] && out=$("$BIN" gold bench-scan "$path" --runs "$RUNS" 2> "$ERR"); then
      record "$name" mltrack "$(printf '%s' "$out" | tail -n 1)"
    else
      msg=$(tr '\n\t' '  ' < "$ERR" | cut -c1-200)
      [ -x "$BIN" ] || msg="binary $BIN not found (run make build)"
      record "$name" mltrack "ERROR ${msg:-exit status non-zero}"
    fi
    if out=$("$PY" "$HERE/pyarrow_scan.py" "$kind" "$path" --runs "$RUNS" 2> "$ERR"); then
      record "$name" pyarrow "$(printf '%s' "$out" | tail -n 1)"
    else
      record "$name" pyarrow "ERROR $(tr '\n\t' '  ' < "$ERR" | cut -c1-200)"
    fi
  done
done

# Writes: each input read once into memory, then written N times to a fresh path (Parquet file, SNAPPY,
# or a new Delta table); the peer's timings include an fsync of what it wrote (mltrack's writers fsync).
want write && for spec in "parquet scan_10m.parquet" "delta delta_2m"; do
  read -r kind name <<< "$spec"
  path="$DATA/$name"
  for round in $(seq 1 "$ROUNDS"); do
    echo "benchmarking writes of $name as $kind, round $round/$ROUNDS ($RUNS runs each)..." >&2
    if [ -x "$BIN" ] && out=$("$BIN" gold bench-write "$path" --out "$OUT" --format "$kind" --codec snappy \
        --runs "$RUNS" 2> "$ERR"); then
      record "write:$name" mltrack "$(printf '%s' "$out" | tail -n 1)"
    else
      msg=$(tr '\n\t' '  ' < "$ERR" | cut -c1-200)
      [ -x "$BIN" ] || msg="binary $BIN not found (run make build)"
      record "write:$name" mltrack "ERROR ${msg:-exit status non-zero}"
    fi
    if out=$("$PY" "$HERE/pyarrow_write.py" "$kind" "$path" --out "$OUT" --codec snappy --runs "$RUNS" 2> "$ERR"); then
      record "write:$name" pyarrow "$(printf '%s' "$out" | tail -n 1)"
    else
      record "write:$name" pyarrow "ERROR $(tr '\n\t' '  ' < "$ERR" | cut -c1-200)"
    fi
  done
done

# Training: the table loaded into memory once per process (not timed), then fit to convergence N times
# after a warm-up fit, both tools on 2 threads (dataset "train:NAME", peer recorded as tool "peer").
name=logistic_1m.parquet
want logistic && for round in $(seq 1 "$ROUNDS"); do
  echo "benchmarking logistic regression on $name, round $round/$ROUNDS ($TRAIN_RUNS fits each)..." >&2
  if [ -x "$BIN" ] && out=$("$BIN" bench-train logistic "$DATA/$name" --label y --c 1.0 --runs "$TRAIN_RUNS" \
      --threads 2 2> "$ERR"); then
    record "train:$name" mltrack "$(printf '%s' "$out" | tail -n 1)"
  else
    msg=$(tr '\n\t' '  ' < "$ERR" | cut -c1-200)
    [ -x "$BIN" ] || msg="binary $BIN not found (run make build)"
    record "train:$name" mltrack "ERROR ${msg:-exit status non-zero}"
  fi
  if out=$("$PY" "$HERE/sklearn_logistic.py" "$DATA/$name" --label y --c 1.0 --runs "$TRAIN_RUNS" --threads 2 2> "$ERR"); then
    record "train:$name" scikit-learn "$(printf '%s' "$out" | tail -n 1)"
  else
    record "train:$name" scikit-learn "ERROR $(tr '\n\t' '  ' < "$ERR" | cut -c1-200)"
  fi
done

# Training: implicit-feedback ALS (50k users x 10k items x 2M non-zeros, 64 factors, 15 iterations,
# 2 threads each) against implicit's CPU ALS (conjugate gradient, BLAS limited to one thread); only
# fit is timed; precision@10 / NDCG@10 on the file's held-out pairs, same definitions.
ALS_ARGS=(--factors 64 --iterations 15 --regularization 0.05 --alpha 10 --threads 2 --runs "$TRAIN_RUNS" --seed 1)
if want als; then
  path="$DATA/als_50k.parquet"
  for round in $(seq 1 "$ROUNDS"); do
    echo "benchmarking ALS training, round $round/$ROUNDS ($TRAIN_RUNS fits each)..." >&2
    if [ -x "$BIN" ] && out=$("$BIN" bench-train als "$path" "${ALS_ARGS[@]}" 2> "$ERR"); then
      record "train:als_50k" mltrack "$(printf '%s' "$out" | tail -n 1)"
    else
      msg=$(tr '\n\t' '  ' < "$ERR" | cut -c1-200)
      [ -x "$BIN" ] || msg="binary $BIN not found (run make build)"
      record "train:als_50k" mltrack "ERROR ${msg:-exit status non-zero}"
    fi
    if out=$("$PY" "$HERE/implicit_als.py" "$path" "${ALS_ARGS[@]}" 2> "$ERR"); then
      record "train:als_50k" implicit "$(printf '%s' "$out" | tail -n 1)"
    else
      record "train:als_50k" implicit "ERROR $(tr '\n\t' '  ' < "$ERR" | cut -c1-200)"
    fi
  done
fi

# Real-time scoring against mlflow models serve (wrk at concurrency 1 and 16), then batch scoring.
if want serve; then
  bash "$HERE/serve_bench.sh" "$BIN" "$PY" >> "$RESULTS"
fi
if want score; then
  bash "$HERE/score_bench.sh" "$BIN" "$PY" >> "$RESULTS"
fi
if want tracking; then
  bash "$HERE/tracking_bench.sh" "$BIN" "$PY" >> "$RESULTS"
fi

"$PY" "$HERE/report.py" "$RESULTS" "$RUNS" "$ROUNDS"
