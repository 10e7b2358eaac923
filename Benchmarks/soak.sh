#!/usr/bin/env bash
# Bounded soak test of `mltrack serve` (what `make soak` runs): steady memory, zero errors, and an
# alias promotion in the middle with zero failed requests.
# Usage: bash Benchmarks/soak.sh BIN
# Env: SOAK_SECONDS (load duration, default 180), SOAK_CONNECTIONS (default 16, wrk threads 2),
#   SOAK_SAMPLE (seconds between RSS samples, default 2), SOAK_RSS_GROWTH (allowed growth of the
#   last quarter's mean RSS over the second quarter's, default 0.10), SOAK_VERSION_HEADER (the
#   response header naming the model version; default: the first response header whose name
#   contains "version"), SOAK_METRIC (the Prometheus counter of requests; default: the samples of
#   the first metric named *requests_total whose labels mention invocations), SOAK_NEW_VERSION (how
#   /version and the header name the promoted version, default churn/2), SOAK_BODY (the request body,
#   default Benchmarks/churn_request.json), SOAK_KEEP=1 (keep the work folder and its logs).
#
# Steps: two runs of Experiments/churn.yaml into a temporary store (l2=1 -> version 1, champion; l2=5
# -> version 2), `mltrack serve models:/churn@champion`, wrk POSTing Benchmarks/churn_request.json
# for SOAK_SECONDS (Benchmarks/post_json.lua with a response hook counting non-200 answers and the
# version header), `mltrack models promote churn --version 2 --alias champion --force` half-way,
# the server's VmRSS sampled from /proc. Fails (exit 1, each failure named) unless: wrk saw no
# socket error, timeout or non-200 answer; /version (or the header) names version 2 after the
# promotion; memory stayed bounded; /metrics counts the requests wrk made (± connections in flight);
# the server drains and exits 0 on SIGTERM.
set -uo pipefail
BIN=${1:?usage: soak.sh BIN}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=serve_lib.sh
. "$HERE/serve_lib.sh"
DURATION=${SOAK_SECONDS:-180}
CONNS=${SOAK_CONNECTIONS:-16}
SAMPLE=${SOAK_SAMPLE:-2}
GROWTH=${SOAK_RSS_GROWTH:-0.10}
BODY=${SOAK_BODY:-$HERE/churn_request.json}
NEW_VERSION=${SOAK_NEW_VERSION:-churn/2}

command -v wrk > /dev/null || { echo "soak: wrk is not installed (make soak installs it)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "soak: no mltrack binary at $BIN (make build)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/soak.XXXXXX")
SPID="" WPID=""
cleanup() {
  [ -n "$WPID" ] && kill "$WPID" 2> /dev/null
  stop_group "$SPID"
  if [ "${SOAK_KEEP:-0}" = 1 ]; then echo "soak: logs kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
FAILURES=()
fail() { FAILURES+=("$1"); echo "FAIL: $1" >&2; }
export MLTRACK_TRACKING_URI="sqlite:///$WORK/mltrack.db"

echo "== training two churn versions into $WORK"
train_churn "$BIN" "$WORK" trainer.params.l2=1.0 || { echo "soak: mltrack run failed:" >&2; tail -n 5 "$WORK/run.log" >&2; exit 1; }
train_churn "$BIN" "$WORK" trainer.params.l2=5.0 || { echo "soak: mltrack run (l2=5) failed:" >&2; tail -n 5 "$WORK/run.log" >&2; exit 1; }
"$BIN" models versions churn | tee "$WORK/versions.txt"
"$BIN" models alias churn champion --version 1 > /dev/null || { echo "soak: cannot point champion at version 1" >&2; exit 1; }

PORT=$(free_port)
URL=http://127.0.0.1:$PORT
echo "== mltrack serve models:/churn@champion on $URL"
setsid "$BIN" serve "models:/churn@champion" --host 127.0.0.1 --port "$PORT" > "$WORK/serve.log" 2>&1 &
SPID=$!
if ! wait_http "$URL/ping" 60 "$SPID"; then
  echo "soak: the server did not answer /ping:" >&2; tail -n 20 "$WORK/serve.log" >&2; exit 1
fi
[ -r "/proc/$SPID/status" ] || { echo "soak: no /proc/$SPID/status to sample" >&2; exit 1; }

# One request by hand: 200, a prediction, and the version header.
code=$(curl -sS -D "$WORK/headers.txt" -o "$WORK/answer.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary "@$BODY" "$URL/invocations")
CURL_REQUESTS=1
echo "first answer ($code): $(head -c 200 "$WORK/answer.json")"
[ "$code" = 200 ] || { echo "soak: POST /invocations answered $code" >&2; exit 1; }
HEADER=${SOAK_VERSION_HEADER:-$(tr -d '\r' < "$WORK/headers.txt" | grep -i '^[^:]*version[^:]*:' | head -n 1 | cut -d: -f1)}
version_now() {  # the version /version names (its body), else the header's value on a fresh request
  local v
  v=$(curl -sS --max-time 2 "$URL/version" 2> /dev/null)
  echo "$v"
}
V_BEFORE=$(version_now)
echo "version header: ${HEADER:-none found}; /version: $V_BEFORE"
[ -n "$HEADER" ] || fail "no response header names the model version (headers: $(tr -d '\r' < "$WORK/headers.txt" | cut -d: -f1 | tr '\n' ' '))"

echo "== wrk -t2 -c$CONNS -d${DURATION}s, promotion of version 2 at $((DURATION / 2)) s"
BODY_FILE=$BODY WRK_COUNT_STATUS=1 WRK_VERSION_HEADER=$HEADER \
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 5s --latency -s "$HERE/post_json.lua" "$URL/invocations" \
  > "$WORK/wrk.txt" 2>&1 &
WPID=$!

start=$(date +%s)
promoted=0 swapped_after=""
: > "$WORK/rss.txt"
while kill -0 "$WPID" 2> /dev/null; do
  now=$(date +%s)
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$SPID/status" 2> /dev/null)
  [ -n "$rss" ] && printf '%s %s\n' "$((now - start))" "$rss" >> "$WORK/rss.txt"
  if [ "$promoted" = 0 ] && [ $((now - start)) -ge $((DURATION / 2)) ]; then
    echo "t=$((now - start))s: mltrack models promote churn --version 2 --alias champion --force"
    "$BIN" models promote churn --version 2 --alias champion --force --policies "$ROOT/Models" > "$WORK/promote.log" 2>&1 \
      || fail "mltrack models promote failed: $(tail -n 3 "$WORK/promote.log" | tr '\n' ' ')"
    promoted=$now
  fi
  if [ "$promoted" != 0 ] && [ -z "$swapped_after" ]; then
    v=$(version_now)
    if [[ " $v " =~ [^A-Za-z0-9/]$NEW_VERSION[^0-9] ]]; then
      swapped_after=$((now - promoted))
      echo "t=$((now - start))s: /version now says $v (about ${swapped_after}s after the promotion)"
    fi
  fi
  sleep "$SAMPLE"
done
wait "$WPID"
wrk_status=$?
WPID=""
[ "$promoted" != 0 ] || fail "the load ended before the promotion (SOAK_SECONDS too short?)"

sed -n '1,/^WRK_JSON/p' "$WORK/wrk.txt" | grep -v '^WRK_JSON'
RESULT=$(sed -n 's/^WRK_JSON //p' "$WORK/wrk.txt" | tail -n 1)
[ "$wrk_status" = 0 ] || fail "wrk exited with status $wrk_status"
[ -n "$RESULT" ] || { fail "wrk printed no result"; RESULT='{}'; }
V_AFTER=$(version_now)

# Metrics after the load, then a graceful stop.
curl -sS --max-time 5 "$URL/metrics" > "$WORK/metrics.txt" 2> /dev/null || fail "GET /metrics failed"
kill -TERM "$SPID"
stopped=""
for _ in $(seq 1 100); do kill -0 "$SPID" 2> /dev/null || { stopped=1; break; }; sleep 0.1; done
if [ -z "$stopped" ]; then
  fail "the server was still running 10 s after SIGTERM"
else
  wait "$SPID"; rc=$?
  [ "$rc" = 0 ] || fail "the server exited with status $rc on SIGTERM"
fi
SPID=""

python3 - "$RESULT" "$WORK/rss.txt" "$WORK/metrics.txt" "$GROWTH" "$V_BEFORE" "$V_AFTER" "$CONNS" "$CURL_REQUESTS" \
  "${SOAK_METRIC:-}" "${swapped_after:-}" "$NEW_VERSION" > "$WORK/checks.txt" <<'EOF'
import json, re, statistics, sys
result, rss_path, metrics_path, growth, v_before, v_after, conns, curl_requests, metric, swapped, new = sys.argv[1:12]
r = json.loads(result)
fails = []
print('requests %d in %.1f s (%.0f req/s), p50 %.3f ms, p99 %.3f ms, max %.1f ms' % (
    r.get('requests', 0), r.get('duration_s', 0), r.get('req_per_s', 0), r.get('p50_ms', 0), r.get('p99_ms', 0),
    r.get('max_ms', 0)))
for k in ('connect_errors', 'read_errors', 'write_errors', 'timeouts', 'status_errors', 'non200'):
    if r.get(k, 0):
        fails.append('wrk counted %d %s%s' % (r[k], k, (' (first: %s)' % r['first_bad']) if k == 'non200' and r.get('first_bad') else ''))
print('versions seen in the response header, in order per thread: %s' % (r.get('versions_seen') or 'none'))
print('/version before the promotion: %r, after: %r%s' % (v_before, v_after,
      ' (seen %s s after the promotion)' % swapped if swapped else ''))
def names_new(text):
    return re.search(r'(^|[^A-Za-z0-9/])%s($|[^0-9])' % re.escape(new), text or '') is not None
if names_new(v_before):
    fails.append('/version already named %s before the promotion (%r)' % (new, v_before))
if not names_new(v_after):
    fails.append('/version does not name %s after the promotion (before %r, after %r)' % (new, v_before, v_after))
last = r.get('last_version', '')
if last and last != new:
    fails.append('the last version header wrk saw is %r, not %s' % (last, new))

samples = [int(line.split()[1]) for line in open(rss_path) if line.strip()]
if len(samples) < 8:
    fails.append('only %d RSS samples' % len(samples))
else:
    q = len(samples) // 4
    second, last_q = statistics.mean(samples[q:2 * q]), statistics.mean(samples[-q:])
    print('RSS (MiB): first %.1f, min %.1f, max %.1f, last %.1f; second-quarter mean %.1f, last-quarter mean %.1f (%+.1f %%)' % (
        samples[0] / 1024, min(samples) / 1024, max(samples) / 1024, samples[-1] / 1024, second / 1024, last_q / 1024,
        100 * (last_q / second - 1)))
    if last_q > second * (1 + float(growth)):
        fails.append('RSS grew: last-quarter mean %.1f MiB > second-quarter mean %.1f MiB + %.0f %%' % (
            last_q / 1024, second / 1024, 100 * float(growth)))

text = open(metrics_path).read()
counted, names = None, sorted({m.group(1) for m in re.finditer(r'^([A-Za-z_:][A-Za-z0-9_:]*)', text, re.M)})
rows = []
for line in text.splitlines():
    m = re.match(r'^([A-Za-z_:][A-Za-z0-9_:]*)(\{[^}]*\})?\s+([0-9.eE+-]+)', line)
    if m:
        rows.append((m.group(1), m.group(2) or '', float(m.group(3))))
if metric:
    chosen = [v for n, l, v in rows if n == metric and 'invocations' in l] or [v for n, l, v in rows if n == metric]
else:
    cands = [n for n in names if n.endswith('requests_total') and any(nn == n and 'invocations' in l for nn, l, _ in rows)]
    metric = cands[0] if cands else ''
    chosen = [v for n, l, v in rows if n == metric and 'invocations' in l]
expected = r.get('requests', 0) + int(curl_requests)
if not chosen:
    fails.append('no request counter for /invocations in /metrics (set SOAK_METRIC; metrics: %s)' % ', '.join(names[:30]))
else:
    counted = int(sum(chosen))
    print('/metrics %s for invocations: %d; wrk completed %d + %s by curl = %d' % (metric, counted, r.get('requests', 0), curl_requests, expected))
    if not (expected <= counted <= expected + int(conns)):
        fails.append('/metrics counts %d requests, wrk + curl made %d (allowed up to +%s in flight)' % (counted, expected, conns))
for f in fails:
    print('FAIL: %s' % f)
sys.exit(1 if fails else 0)
EOF
checks=$?
cat "$WORK/checks.txt"
[ "$checks" = 0 ] || FAILURES+=("see the FAIL lines above")
if [ ${#FAILURES[@]} -gt 0 ]; then
  echo "soak: FAILED (${#FAILURES[@]} problem(s))" >&2
  for f in "${FAILURES[@]}"; do echo "  - $f" >&2; done
  SOAK_KEEP=1
  exit 1
fi
echo "soak: passed (${DURATION}s, zero errors, promotion to version 2 served, memory bounded)"
