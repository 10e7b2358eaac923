#!/usr/bin/env bash
# Tracking server: `mltrack server` against `mlflow server --backend-store-uri sqlite:///…`, both on
# 127.0.0.1 over a fresh SQLite file, in the same run.
# Usage: bash Benchmarks/tracking_bench.sh BIN PY    (run.sh calls it for the group `tracking`)
#   BIN  the mltrack binary    PY  a Python with mlflow (requirements.txt)
# Env: TRACKING_RUNS (runs per client pass, default 200), TRACKING_CONNECTIONS (replay connections,
#   default 8), TRACKING_REPLAY_FACTOR (the recorded runs replayed this many times, default 5),
#   BENCH_ROUNDS (rounds alternating the two servers, default 3), MLFLOW_WORKERS (uvicorn workers of
#   the peer, default 2 = the cores).
# Two measures per server and round (Benchmarks/tracking_bench.py):
#   client  the REAL mlflow client logging TRACKING_RUNS runs x (10 params, 100 metric points via
#           log_batch): client wall time, every HTTP request recorded;
#   replay  that recorded request sequence replayed over TRACKING_CONNECTIONS keep-alive connections
#           by a small asyncio client (new runs, ids substituted): server-side throughput, the mlflow
#           client's own cost removed.
# After each pass the server's SQLite file is checked: every run FINISHED, 10 params and 100 metric
# points per run. Prints "tracking:client|tracking:replay<TAB>TOOL<TAB>JSON|ERROR msg" lines for
# report.py on stdout; progress on stderr.
set -uo pipefail
BIN=${1:?usage: tracking_bench.sh BIN PY}
PY=${2:?usage: tracking_bench.sh BIN PY}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=serve_lib.sh
. "$HERE/serve_lib.sh"
RUNS=${TRACKING_RUNS:-200}
CONNECTIONS=${TRACKING_CONNECTIONS:-8}
FACTOR=${TRACKING_REPLAY_FACTOR:-5}
ROUNDS=${BENCH_ROUNDS:-3}
WORKERS=${MLFLOW_WORKERS:-2}
export MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false
PEER_PATH="$(dirname "$PY"):$PATH"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tracking_bench.XXXXXX")
MPID="" FPID=""
cleanup() { stop_group "$MPID"; stop_group "$FPID"; rm -rf "$WORK"; }
trap cleanup EXIT

fail_all() {  # TOOL MSG: every measure of TOOL gets the error
  printf 'tracking:client\t%s\tERROR %s\n' "$1" "$2"
  printf 'tracking:replay\t%s\tERROR %s\n' "$1" "$2"
}
tail_of() { tail -n 3 "$1" 2> /dev/null | tr '\n\t' '  ' | cut -c1-200; }

mltrack_ok=1
if [ ! -x "$BIN" ]; then
  fail_all mltrack "binary $BIN not found (run make build)"; mltrack_ok=0
else
  MPORT=$(free_port)
  echo "starting mltrack server on 127.0.0.1:$MPORT" >&2
  setsid "$BIN" server --host 127.0.0.1 --port "$MPORT" --backend-store-uri "sqlite:///$WORK/mltrack.db" \
    --artifacts-destination "$WORK/mltrack-artifacts" --quiet > "$WORK/mltrack-server.log" 2>&1 &
  MPID=$!
  if ! wait_http "http://127.0.0.1:$MPORT/health" 60 "$MPID"; then
    fail_all mltrack "mltrack server did not answer /health: $(tail_of "$WORK/mltrack-server.log")"; mltrack_ok=0
  fi
fi

mlflow_ok=1
FPORT=$(free_port)
echo "starting mlflow server ($WORKERS workers) on 127.0.0.1:$FPORT" >&2
# shellcheck disable=SC2046
PATH=$PEER_PATH setsid $(mlflow_cli "$PY") server --host 127.0.0.1 --port "$FPORT" --backend-store-uri "sqlite:///$WORK/mlflow.db" \
  --artifacts-destination "$WORK/mlflow-artifacts" --workers "$WORKERS" > "$WORK/mlflow-server.log" 2>&1 &
FPID=$!
if ! wait_http "http://127.0.0.1:$FPORT/health" 180 "$FPID"; then
  fail_all mlflow "mlflow server did not answer /health: $(tail_of "$WORK/mlflow-server.log")"; mlflow_ok=0
fi

# pass MEASURE TOOL PORT DB ROUND: one client or replay pass, verified, as one result line
pass() {
  local measure=$1 tool=$2 port=$3 db=$4 round=$5 out check runs exp
  exp="bench-$measure-$round"
  if [ "$measure" = client ]; then
    runs=$RUNS
    echo "tracking: mlflow client, $RUNS runs against $tool (round $round/$ROUNDS)..." >&2
    out=$("$PY" "$HERE/tracking_bench.py" client "http://127.0.0.1:$port" "$exp" "$RUNS" "$WORK/$tool.record.json" \
      2> "$WORK/err" | tail -n 1)
  else
    runs=$((RUNS * FACTOR))
    echo "tracking: replaying $runs runs over $CONNECTIONS connections against $tool (round $round/$ROUNDS)..." >&2
    out=$("$PY" "$HERE/tracking_bench.py" replay "http://127.0.0.1:$port" "$exp" "$WORK/$tool.record.json" "$CONNECTIONS" \
      "$FACTOR" 2> "$WORK/err" | tail -n 1)
  fi
  if [ -z "$out" ] || [ "${out:0:1}" != "{" ]; then
    printf 'tracking:%s\t%s\tERROR %s\n' "$measure" "$tool" "$(tail_of "$WORK/err")"
    return 1
  fi
  if ! check=$("$PY" "$HERE/tracking_bench.py" verify "$tool" "$db" "$exp" "$runs" 2>&1 | tail -n 1); then
    printf 'tracking:%s\t%s\tERROR data check failed: %s\n' "$measure" "$tool" "$check"
    return 1
  fi
  printf 'tracking:%s\t%s\t%s\n' "$measure" "$tool" "${out%\}},\"verified\":$check}"
}

for round in $(seq 1 "$ROUNDS"); do
  [ "$mltrack_ok" = 1 ] && pass client mltrack "$MPORT" "$WORK/mltrack.db" "$round"
  [ "$mlflow_ok" = 1 ] && pass client mlflow "$FPORT" "$WORK/mlflow.db" "$round"
  [ "$mltrack_ok" = 1 ] && [ -f "$WORK/mltrack.record.json" ] && pass replay mltrack "$MPORT" "$WORK/mltrack.db" "$round"
  [ "$mlflow_ok" = 1 ] && [ -f "$WORK/mlflow.record.json" ] && pass replay mlflow "$FPORT" "$WORK/mlflow.db" "$round"
done
exit 0
