#!/usr/bin/env bash
# Batch scoring Gold -> Gold: `mltrack score` against pandas + scikit-learn, end to end, same table.
# Usage: bash Benchmarks/score_bench.sh BIN PY    (run.sh calls it for the group `score`)
# Env: SCORE_ROWS (default 1000000), BENCH_DATA (where the input table is kept, default
#   Benchmarks/data), SCORE_RUNS (timed runs per tool and round after a warm-up, default 3),
#   BENCH_ROUNDS (rounds alternating the tools, default 3).
# Prints "score:customers_NAME<TAB>TOOL<TAB>JSON|ERROR msg" lines for report.py; progress on stderr.
#
# Input: `mltrack gold synth churn --rows SCORE_ROWS --seed 11` (the sample table's schema and
# generator, scaled up), made once into BENCH_DATA. mltrack: Experiments/churn.yaml run into a
# temporary store, then `mltrack score models:/churn@champion --input T --output OUT --mode overwrite
# --id-columns customer_id` (it also writes model name, version and scored-at columns),
# timed as a whole process (start-up, model resolution, read, features, predict, Delta commit).
# Peer: Benchmarks/churn_sklearn.py score (deltalake read -> pandas -> the sklearn pipeline's
# predict_proba -> write_deltalake overwrite), timed from the read to the committed write, i.e.
# WITHOUT its interpreter start-up, imports and model load (those are reported as process_*).
# Both outputs are checked to hold SCORE_ROWS rows after every run.
set -uo pipefail
BIN=${1:?usage: score_bench.sh BIN PY}
PY=${2:?usage: score_bench.sh BIN PY}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=serve_lib.sh
. "$HERE/serve_lib.sh"
ROWS=${SCORE_ROWS:-1000000}
DATA=${BENCH_DATA:-$HERE/data}
RUNS=${SCORE_RUNS:-3}
ROUNDS=${BENCH_ROUNDS:-3}
export MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true
case $ROWS in
  *000000) NAME="customers_$((ROWS / 1000000))m" ;;
  *000) NAME="customers_$((ROWS / 1000))k" ;;
  *) NAME="customers_$ROWS" ;;
esac
DS="score:$NAME"
TABLE=$DATA/$NAME

WORK=$(mktemp -d "${TMPDIR:-/tmp}/score_bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
one() { printf '%s\t%s\t%s\n' "$DS" "$1" "$2"; }

if [ ! -x "$BIN" ]; then
  one mltrack "ERROR binary $BIN not found (run make build)"; exit 0
fi
if [ ! -d "$TABLE/_delta_log" ]; then
  echo "generating $TABLE ($ROWS rows, mltrack gold synth churn)..." >&2
  mkdir -p "$DATA"
  if ! "$BIN" gold synth churn --rows "$ROWS" --seed 11 --out "$TABLE" > "$WORK/synth.log" 2>&1; then
    one mltrack "ERROR generating the input failed: $(tail -n 3 "$WORK/synth.log" | tr '\n\t' '  ' | cut -c1-200)"
    rm -rf "$TABLE"; exit 0
  fi
fi

mltrack_ok=1 peer_ok=1
train_churn "$BIN" "$WORK" || { one mltrack "ERROR mltrack run Experiments/churn.yaml failed: $(tail -n 3 "$WORK/run.log" | tr '\n\t' '  ' | cut -c1-200)"; mltrack_ok=0; }
"$PY" "$HERE/churn_sklearn.py" train "$ROOT/Experiments/gold/customers" "$WORK/skmodel" > "$WORK/sk-train.log" 2>&1 \
  || { one scikit-learn "ERROR training the sklearn peer failed: $(tail -n 3 "$WORK/sk-train.log" | tr '\n\t' '  ' | cut -c1-200)"; peer_ok=0; }

for round in $(seq 1 "$ROUNDS"); do
  echo "benchmarking batch scoring of $NAME, round $round/$ROUNDS ($RUNS runs each)..." >&2
  if [ "$mltrack_ok" = 1 ]; then
    if out=$("$PY" "$HERE/time_cmd.py" --runs "$RUNS" --rows "$ROWS" --check-table "$WORK/out_mltrack" -- \
        env MLTRACK_TRACKING_URI="sqlite:///$WORK/mltrack.db" "$BIN" score "models:/churn@champion" \
        --input "$TABLE" --output "$WORK/out_mltrack" --mode overwrite --id-columns customer_id 2> "$WORK/err"); then
      one mltrack "$(printf '%s' "$out" | tail -n 1)"
    else
      one mltrack "ERROR $(tr '\n\t' '  ' < "$WORK/err" | cut -c1-300)"
    fi
  fi
  if [ "$peer_ok" = 1 ]; then
    if out=$("$PY" "$HERE/time_cmd.py" --runs "$RUNS" --rows "$ROWS" --check-table "$WORK/out_peer" -- \
        "$PY" "$HERE/churn_sklearn.py" score "$WORK/skmodel" "$TABLE" "$WORK/out_peer" 2> "$WORK/err"); then
      one scikit-learn "$(printf '%s' "$out" | tail -n 1)"
    else
      one scikit-learn "ERROR $(tr '\n\t' '  ' < "$WORK/err" | cut -c1-300)"
    fi
  fi
done
exit 0
