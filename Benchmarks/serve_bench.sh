#!/usr/bin/env bash
# Real-time scoring: `mltrack serve` against `mlflow models serve`, the same 1-row JSON request.
# Usage: bash Benchmarks/serve_bench.sh BIN PY    (run.sh calls it for the group `serve`)
#   BIN  the mltrack binary    PY  a Python with mlflow, scikit-learn and deltalake (requirements.txt)
# Env: SERVE_SECONDS (timed wrk run per tool, concurrency and round, default 10), SERVE_WARMUP (s, 3),
#   SERVE_CONCURRENCY (default "1 16"; threads: 1 at c=1, else 2), BENCH_ROUNDS (rounds alternating
#   the two servers, default 3), MLFLOW_WORKERS (uvicorn workers of the peer, default 2 = the cores),
#   WRK_TIMEOUT (default 30s, so slow answers count in the latencies instead of as timeouts),
#   SERVE_BODY (the request body file, default Benchmarks/churn_request.json), SERVE_PIN=1 (servers on
#   CPU 1, wrk on CPU 0 with taskset, so load generator and server do not preempt each other),
#   SERVE_ARGS (extra `mltrack serve` options, e.g. --quiet: no per-request log line).
# Prints result lines "serve:cN<TAB>TOOL<TAB>JSON|ERROR msg" for report.py on stdout; progress on stderr.
#
# mltrack side: Experiments/churn.yaml run into a temporary store, served as models:/churn@champion.
# MLflow side: Benchmarks/churn_sklearn.py fits an sklearn pipeline of the same shape on the same table
# and saves it with mlflow.sklearn.save_model (signature, predict_proba), served with
# `mlflow models serve -m DIR --env-manager local`. Both must first answer the request with 200 and
# a prediction. Load: wrk with Benchmarks/post_json.lua (POST body + Content-Type), --latency.
set -uo pipefail
BIN=${1:?usage: serve_bench.sh BIN PY}
PY=${2:?usage: serve_bench.sh BIN PY}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=serve_lib.sh
. "$HERE/serve_lib.sh"
SECONDS_EACH=${SERVE_SECONDS:-10}
WARMUP=${SERVE_WARMUP:-3}
CONCURRENCY=${SERVE_CONCURRENCY:-1 16}
ROUNDS=${BENCH_ROUNDS:-3}
WORKERS=${MLFLOW_WORKERS:-2}
# wrk's default 2 s timeout would drop the peer's slowest answers from its latency histogram.
TIMEOUT=${WRK_TIMEOUT:-30s}
BODY=${SERVE_BODY:-$HERE/churn_request.json}
# The peer's model is skops-serialized; MLflow 3.17 loads such models only with this set. Its server
# starts `uvicorn` by name: the Python's bin folder goes first on PATH.
export MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true MLFLOW_ALLOW_PICKLE_DESERIALIZATION=true
PEER_PATH="$(dirname "$PY"):$PATH"
SERVER_CPU="" WRK_CPU=""
if [ "${SERVE_PIN:-0}" = 1 ] && command -v taskset > /dev/null; then
  SERVER_CPU="taskset -c 1" WRK_CPU="taskset -c 0"
fi

fail_all() {  # every (concurrency, tool) gets the error, so the report shows why
  local tool=$1 msg=$2 c
  for c in $CONCURRENCY; do printf 'serve:c%s\t%s\tERROR %s\n' "$c" "$tool" "$msg"; done
}

command -v wrk > /dev/null || { fail_all mltrack "wrk not installed (make bench installs it)"; fail_all mlflow "wrk not installed"; exit 0; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/serve_bench.XXXXXX")
MPID="" FPID=""
cleanup() { stop_group "$MPID"; stop_group "$FPID"; rm -rf "$WORK"; }
trap cleanup EXIT

# --- mltrack: train + register churn, serve the champion
mltrack_ok=1
if [ ! -x "$BIN" ]; then
  fail_all mltrack "binary $BIN not found (run make build)"; mltrack_ok=0
elif ! train_churn "$BIN" "$WORK"; then
  fail_all mltrack "mltrack run Experiments/churn.yaml failed: $(tail -n 3 "$WORK/run.log" | tr '\n\t' '  ' | cut -c1-200)"; mltrack_ok=0
else
  MPORT=$(free_port)
  echo "starting mltrack serve models:/churn@champion on 127.0.0.1:$MPORT" >&2
  # shellcheck disable=SC2086
  MLTRACK_TRACKING_URI="sqlite:///$WORK/mltrack.db" setsid $SERVER_CPU "$BIN" serve "models:/churn@champion" \
    --host 127.0.0.1 --port "$MPORT" ${SERVE_ARGS:-} > "$WORK/mltrack-serve.log" 2>&1 &
  MPID=$!
  if ! wait_http "http://127.0.0.1:$MPORT/ping" 60 "$MPID"; then
    fail_all mltrack "mltrack serve did not answer /ping: $(tail -n 3 "$WORK/mltrack-serve.log" | tr '\n\t' '  ' | cut -c1-200)"; mltrack_ok=0
  fi
fi

# --- MLflow: fit + save the sklearn pipeline, serve it
mlflow_ok=1
if ! "$PY" "$HERE/churn_sklearn.py" train "$ROOT/Experiments/gold/customers" "$WORK/skmodel" > "$WORK/sk-train.log" 2>&1; then
  fail_all mlflow "training the sklearn peer failed: $(tail -n 3 "$WORK/sk-train.log" | tr '\n\t' '  ' | cut -c1-200)"; mlflow_ok=0
else
  FPORT=$(free_port)
  echo "starting mlflow models serve ($WORKERS workers) on 127.0.0.1:$FPORT" >&2
  # shellcheck disable=SC2046
  PATH=$PEER_PATH setsid $SERVER_CPU $(mlflow_cli "$PY") models serve -m "$WORK/skmodel" --env-manager local -h 127.0.0.1 -p "$FPORT" \
    -w "$WORKERS" > "$WORK/mlflow-serve.log" 2>&1 &
  FPID=$!
  if ! wait_http "http://127.0.0.1:$FPORT/ping" 120 "$FPID"; then
    fail_all mlflow "mlflow models serve did not answer /ping: $(tail -n 3 "$WORK/mlflow-serve.log" | tr '\n\t' '  ' | cut -c1-200)"; mlflow_ok=0
  fi
fi

# --- the same request must answer 200 with a prediction on both
check() {  # TOOL PORT -> 0 when 200 and {"predictions": …}
  local tool=$1 port=$2 code
  code=$(curl -sS -o "$WORK/$tool.answer" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "@$BODY" "http://127.0.0.1:$port/invocations" 2> "$WORK/$tool.curlerr")
  if [ "$code" != 200 ] || ! grep -q '"predictions"' "$WORK/$tool.answer"; then
    fail_all "$tool" "POST /invocations answered $code: $(head -c 200 "$WORK/$tool.answer" "$WORK/$tool.curlerr" | tr '\n\t' '  ')"
    return 1
  fi
  echo "$tool answers: $(head -c 300 "$WORK/$tool.answer")" >&2
}
[ "$mltrack_ok" = 1 ] && { check mltrack "$MPORT" || mltrack_ok=0; }
[ "$mlflow_ok" = 1 ] && { check mlflow "$FPORT" || mlflow_ok=0; }

# bench TOOL PORT C  -> one result line (warm-up run discarded)
bench() {
  local tool=$1 port=$2 c=$3 threads=2 out
  [ "$c" -lt 2 ] && threads=1
  # shellcheck disable=SC2086
  BODY_FILE=$BODY $WRK_CPU wrk -t"$threads" -c"$c" -d"${WARMUP}s" --timeout "$TIMEOUT" -s "$HERE/post_json.lua" \
    "http://127.0.0.1:$port/invocations" > /dev/null 2>&1
  # shellcheck disable=SC2086
  out=$(BODY_FILE=$BODY $WRK_CPU wrk -t"$threads" -c"$c" -d"${SECONDS_EACH}s" --timeout "$TIMEOUT" --latency -s "$HERE/post_json.lua" \
    "http://127.0.0.1:$port/invocations" 2> "$WORK/wrk.err")
  local line
  line=$(printf '%s\n' "$out" | sed -n 's/^WRK_JSON //p' | tail -n 1)
  if [ -z "$line" ]; then
    printf 'serve:c%s\t%s\tERROR wrk printed no result: %s\n' "$c" "$tool" "$(tr '\n\t' '  ' < "$WORK/wrk.err" | cut -c1-200)"
  else
    printf 'serve:c%s\t%s\t%s\n' "$c" "$tool" "${line%\}},\"threads\":$threads,\"connections\":$c}"
  fi
}

for round in $(seq 1 "$ROUNDS"); do
  for c in $CONCURRENCY; do
    echo "benchmarking /invocations at concurrency $c, round $round/$ROUNDS (${SECONDS_EACH}s each)..." >&2
    [ "$mltrack_ok" = 1 ] && bench mltrack "$MPORT" "$c"
    [ "$mlflow_ok" = 1 ] && bench mlflow "$FPORT" "$c"
  done
done
exit 0
