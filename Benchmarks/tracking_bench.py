"""Tracking-server benchmark helpers (Benchmarks/tracking_bench.sh runs them).

  client URL EXPERIMENT RUNS RECORD   the REAL mlflow client logs RUNS runs into EXPERIMENT, each: start_run,
                                      10 params (log_params: one log-batch), 100 metric points (one
                                      client.log_batch: 4 keys x 25 steps), end of run. Every HTTP request
                                      the client sends is recorded (method, path, JSON body, answer) to
                                      RECORD. Prints {"runs", "requests", "seconds"} (client wall time).
  replay URL EXPERIMENT RECORD CONNECTIONS FACTOR
                                      replays the recorded per-run request sequences FACTOR times (new runs
                                      each time, run and experiment ids substituted) over CONNECTIONS
                                      keep-alive connections (asyncio, pre-serialised requests: client cost
                                      kept small, so this measures the server). Prints {"runs", "requests",
                                      "seconds", "req_per_s", "runs_per_s", "errors"}.
  verify KIND DB EXPERIMENT RUNS      counts in the server's SQLite file (KIND mltrack or mlflow) the runs,
                                      FINISHED runs, params and metric points of EXPERIMENT; prints them as
                                      JSON and exits 1 unless they are RUNS, RUNS, 10*RUNS and 100*RUNS.
"""
import asyncio
import json
import os
import sqlite3
import sys
import time
import urllib.parse
import urllib.request

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
PARAMS_PER_RUN = 10
POINTS_PER_RUN = 100
KEYS = 4


def client_mode(url, experiment, runs, record_path):
    import mlflow
    import mlflow.utils.rest_utils as rest_utils
    from mlflow import MlflowClient
    from mlflow.entities import Metric

    recorded = []
    real = rest_utils.http_request

    def recording(host_creds, endpoint, method, *args, **kwargs):
        response = real(host_creds, endpoint, method, *args, **kwargs)
        body = kwargs.get("json")
        query = kwargs.get("params")
        try:
            answer = response.json()
        except ValueError:
            answer = None
        recorded.append({"method": method, "endpoint": endpoint, "json": body, "params": query,
                         "status": response.status_code, "answer": answer})
        return response

    rest_utils.http_request = recording
    mlflow.set_tracking_uri(url)
    client = MlflowClient()
    start = time.perf_counter()
    mlflow.set_experiment(experiment)
    for i in range(runs):
        with mlflow.start_run(run_name=f"bench-{i}") as run:
            mlflow.log_params({f"p{j}": f"{i}.{j}" for j in range(PARAMS_PER_RUN)})
            ts = int(time.time() * 1000)
            client.log_batch(run.info.run_id,
                             metrics=[Metric(f"m{k % KEYS}", float(i) + k / 128, ts, k // KEYS) for k in range(POINTS_PER_RUN)])
    seconds = time.perf_counter() - start
    rest_utils.http_request = real
    # set_experiment asks for the experiment by name first: its 404 is the expected answer.
    bad = [r for r in recorded if r["status"] != 200 and not r["endpoint"].endswith("/experiments/get-by-name")]
    if bad:
        raise SystemExit(f"{len(bad)} requests failed, first: {bad[0]}")
    with open(record_path, "w") as f:
        json.dump(recorded, f)
    print(json.dumps({"runs": runs, "requests": len(recorded), "seconds": seconds}))


def sessions_of(recorded):
    """Per run, its request templates ({RUN} and {EXP} placeholders); requests before the first
    runs/create (experiment set-up) are left out: the replay makes its own experiment."""
    sessions, current, run_id, exp_id = [], None, None, None
    for r in recorded:
        endpoint = r["endpoint"]
        if endpoint.endswith("/runs/create"):
            run_id = r["answer"]["run"]["info"]["run_id"]
            exp_id = r["json"]["experiment_id"]
            current = []
            sessions.append(current)
        if current is None:
            continue
        path = endpoint
        if r["params"]:
            path += "?" + urllib.parse.urlencode(r["params"], doseq=True)
        body = json.dumps(r["json"]) if r["json"] is not None else ""
        path = path.replace(run_id, "{RUN}")
        body = body.replace(run_id, "{RUN}")
        if endpoint.endswith("/runs/create"):
            body = json.dumps(dict(r["json"], experiment_id="{EXP}"))
        current.append((r["method"], path, body))
    return sessions


async def http(reader, writer, host, method, path, body):
    data = body.encode()
    writer.write((f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: mlflow-python-client/3.17.2\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n").encode() + data)
    status = int((await reader.readline()).split()[1])
    length, chunked = None, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        out = b""
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                break
            out += await reader.readexactly(size)
            await reader.readline()
        return status, out
    return status, await reader.readexactly(length or 0)


def replay_mode(url, experiment, record_path, connections, factor):
    with open(record_path) as f:
        sessions = sessions_of(json.load(f))
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    req = urllib.request.Request(url + "/api/2.0/mlflow/experiments/create", method="POST",
                                 data=json.dumps({"name": experiment}).encode(), headers={"Content-Type": "application/json"})
    exp_id = json.load(urllib.request.urlopen(req))["experiment_id"]
    work = [s for _ in range(factor) for s in sessions]
    queue = asyncio.Queue()
    errors, requests = [], [0]

    async def worker():
        reader, writer = await asyncio.open_connection(host, port)
        while True:
            try:
                session = queue.get_nowait()
            except asyncio.QueueEmpty:
                break
            run = None
            for method, path, body in session:
                if run is None:
                    status, answer = await http(reader, writer, f"{host}:{port}", method, path, body.replace("{EXP}", exp_id))
                    run = json.loads(answer)["run"]["info"]["run_id"] if status == 200 else "none"
                else:
                    status, answer = await http(reader, writer, f"{host}:{port}", method, path.replace("{RUN}", run),
                                                body.replace("{RUN}", run))
                requests[0] += 1
                if status != 200:
                    errors.append(f"{method} {path}: {status} {answer[:200]!r}")
        writer.close()

    async def main():
        for s in work:
            queue.put_nowait(s)
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        return time.perf_counter() - start

    seconds = asyncio.run(main())
    print(json.dumps({"runs": len(work), "requests": requests[0], "seconds": seconds, "connections": connections,
                      "req_per_s": requests[0] / seconds, "runs_per_s": len(work) / seconds, "errors": len(errors),
                      "first_error": errors[0] if errors else None}))


def verify_mode(kind, db, experiment, runs):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    run_col = "run_id" if kind == "mltrack" else "run_uuid"
    runs_of = f"SELECT r.{run_col} FROM runs r JOIN experiments e ON e.experiment_id = r.experiment_id WHERE e.name = ?"
    got = {
        "runs": con.execute(f"SELECT count(*) FROM ({runs_of})", (experiment,)).fetchone()[0],
        "finished": con.execute(f"SELECT count(*) FROM runs WHERE status = 'FINISHED' AND {run_col} IN ({runs_of})",
                                (experiment,)).fetchone()[0],
        "params": con.execute(f"SELECT count(*) FROM params WHERE {run_col} IN ({runs_of})", (experiment,)).fetchone()[0],
        "points": con.execute(f"SELECT count(*) FROM metrics WHERE {run_col} IN ({runs_of})", (experiment,)).fetchone()[0],
    }
    want = {"runs": runs, "finished": runs, "params": PARAMS_PER_RUN * runs, "points": POINTS_PER_RUN * runs}
    print(json.dumps(dict(got, ok=got == want)))
    if got != want:
        sys.exit(f"verify {kind} {experiment}: got {got}, want {want}")


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "client":
        client_mode(args[0], args[1], int(args[2]), args[3])
    elif mode == "replay":
        replay_mode(args[0], args[1], args[2], int(args[3]), int(args[4]))
    elif mode == "verify":
        verify_mode(args[0], args[1], args[2], int(args[3]))
    else:
        sys.exit(__doc__)
