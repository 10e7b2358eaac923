# Helpers shared by serve_bench.sh and soak.sh (sourced, not run).
#   free_port                 a free TCP port on 127.0.0.1
#   wait_http URL SECONDS PID  until URL answers 200 (fails early if PID died)
#   stop_group PID            SIGTERM the process group PID leads (started with setsid), then SIGKILL
#   train_churn BIN DIR [SET…] run Experiments/churn.yaml into the store DIR/mltrack.db (extra --set args)
#   mlflow_cli PY             the `mlflow` command of that Python (its bin/mlflow, else PY -m mlflow)

SERVE_LIB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_http() {
  local url=$1 seconds=$2 pid=${3:-} i
  for ((i = 0; i < seconds * 10; i++)); do
    if curl -fsS -o /dev/null --max-time 1 "$url" 2> /dev/null; then return 0; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2> /dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

stop_group() {
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2> /dev/null || return 0
  kill -TERM -- "-$pid" 2> /dev/null || kill -TERM "$pid" 2> /dev/null
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2> /dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2> /dev/null || kill -KILL "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null || true
}

train_churn() {
  local bin=$1 dir=$2
  shift 2
  local sets=() s
  for s in "$@"; do sets+=(--set "$s"); done
  MLTRACK_TRACKING_URI="sqlite:///$dir/mltrack.db" "$bin" run "$SERVE_LIB_ROOT/Experiments/churn.yaml" \
    "${sets[@]}" > "$dir/run.log" 2>&1
}

mlflow_cli() {
  local py=$1
  if [ -x "$(dirname "$py")/mlflow" ]; then echo "$(dirname "$py")/mlflow"; else echo "$py -m mlflow"; fi
}
