"""Hostile requests against a tracking server given as argv[1] (mltrack server or a real `mlflow server`),
sent raw with urllib so nothing client-side cleans them up. For every case it prints the HTTP status,
the error_code of a JSON error body (None when the body is not JSON) and whether the stored run changed.

A "victim" run is created and filled first (a param, a tag, a metric history); every bad request is aimed
at it, and the run is re-read before and after each one: a rejected request may change nothing. Cases that are legitimately
accepted (unknown fields) write to a separate scratch run. The last line printed is a JSON object
{"cases": [{"name", "status", "error_code", "json", "changed"}...]}.
"""
import json
import sys
import urllib.error
import urllib.request
import uuid

BASE = sys.argv[1].rstrip("/")
API = BASE + "/api/2.0/mlflow/"


def raw(method, path, body=None, content_type="application/json"):
    """(status, parsed JSON or None, text)"""
    url = path if path.startswith("http") else (BASE + path if path.startswith("/") else API + path)
    data = body if isinstance(body, (bytes, type(None))) else body.encode("utf-8")
    req = urllib.request.Request(url, data=data, method=method)
    if content_type and data is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            status, text = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    return status, parsed, text


def call(method, path, obj=None):
    status, parsed, text = raw(method, path, None if obj is None else json.dumps(obj))
    if status != 200:
        raise AssertionError(f"setup call {method} {path} answered {status}: {text[:300]!r}")
    return parsed


exp = call("POST", "experiments/create", {"name": "hostile-" + uuid.uuid4().hex})["experiment_id"]


def new_run():
    return call("POST", "runs/create", {"experiment_id": exp, "run_name": "victim", "start_time": 1000})["run"]["info"]["run_id"]


rid = new_run()
scratch = new_run()
call("POST", "runs/log-parameter", {"run_id": rid, "key": "p", "value": "1"})
call("POST", "runs/set-tag", {"run_id": rid, "key": "t", "value": "v"})
call("POST", "runs/log-metric", {"run_id": rid, "key": "m", "value": 1.5, "timestamp": 10, "step": 0})
call("POST", "runs/log-batch", {"run_id": rid, "metrics": [{"key": "m", "value": 2.5, "timestamp": 11, "step": 1}]})


def snapshot():
    run = call("GET", f"runs/get?run_id={rid}")["run"]
    data = run.get("data", {})
    hist = call("GET", f"metrics/get-history?run_id={rid}&metric_key=m").get("metrics", [])
    return (
        sorted((p["key"], p["value"]) for p in data.get("params", [])),
        sorted((t["key"], t["value"]) for t in data.get("tags", [])),
        sorted((m["key"], str(m["value"]), m["timestamp"], m.get("step", 0)) for m in data.get("metrics", [])),
        sorted((str(m["value"]), m["timestamp"], m.get("step", 0)) for m in hist),
        run["info"].get("status"), run["info"].get("lifecycle_stage"), run["info"].get("run_name"),
    )


initial = snapshot()
cases = []


def case(name, method, path, body=None, content_type="application/json"):
    before = snapshot()
    status, parsed, _ = raw(method, path, body, content_type)
    code = parsed.get("error_code") if isinstance(parsed, dict) else None
    changed = snapshot() != before
    cases.append({"name": name, "status": status, "error_code": code, "json": isinstance(parsed, dict), "changed": changed})


def j(obj):
    return json.dumps(obj)


def metric(**kw):
    m = {"run_id": rid, "key": "m", "value": 9.0, "timestamp": 99, "step": 7}
    m.update(kw)
    return {k: v for k, v in m.items() if v is not None}


long_key = "k" * 251
# Malformed bodies ---------------------------------------------------------------------------------
case("malformed: truncated JSON", "POST", "runs/log-metric", '{"run_id": "%s", "key": "m", ' % rid)
case("malformed: JSON array body", "POST", "runs/log-metric", "[1, 2, 3]")
case("malformed: JSON string body", "POST", "runs/log-metric", '"hello"')
case("malformed: binary garbage", "POST", "runs/log-metric", bytes(range(256)))
case("malformed: invalid UTF-8 in a string", "POST", "runs/set-tag",
     b'{"run_id": "' + rid.encode() + b'", "key": "t", "value": "\xff\xfe"}')
case("malformed: raw control character in a string", "POST", "runs/set-tag",
     b'{"run_id": "' + rid.encode() + b'", "key": "t", "value": "a\x11b"}')
case("malformed: invalid escape in a string", "POST", "runs/set-tag", '{"run_id": "%s", "key": "t", "value": "a\\.b"}' % rid)
case("malformed: leading zero in a number", "POST", "runs/log-metric",
     '{"run_id": "%s", "key": "m", "value": 1, "timestamp": 0002040968937}' % rid)
case("malformed: deeply nested JSON", "POST", "runs/log-batch", '{"run_id": "%s", "metrics": %s1%s}' % (rid, "[" * 5000, "]" * 5000))
# Wrong JSON types per field kind --------------------------------------------------------------------
case("type: metric value is a word", "POST", "runs/log-metric", j(metric(value="abc")))
case("type: metric value is an object", "POST", "runs/log-metric", j(metric(value={"x": 1})))
case("type: metric value is a bool", "POST", "runs/log-metric", j(metric(value=True)))
case("type: timestamp is a word", "POST", "runs/log-metric", j(metric(timestamp="soon")))
case("type: timestamp is fractional", "POST", "runs/log-metric", j(metric(timestamp=1.5)))
case("type: step is a list", "POST", "runs/log-metric", j(metric(step=[1])))
case("type: key is a number", "POST", "runs/log-metric", j(metric(key=5)))
case("type: run_id is a number", "POST", "runs/log-metric", j(metric(run_id=5)))
case("type: log-batch metrics is an object", "POST", "runs/log-batch", j({"run_id": rid, "metrics": {"key": "m"}}))
case("type: log-batch metric entry is a number", "POST", "runs/log-batch", j({"run_id": rid, "metrics": [1]}))
case("type: log-batch param key is a number", "POST", "runs/log-batch", j({"run_id": rid, "params": [{"key": 1, "value": "x"}]}))
case("type: experiment name is a number", "POST", "experiments/create", j({"name": 123}))
case("type: search max_results is a word", "POST", "runs/search", j({"experiment_ids": [exp], "max_results": "many"}))
case("type: search run_view_type unknown", "POST", "runs/search", j({"experiment_ids": [exp], "run_view_type": "SOME"}))
case("type: update status unknown", "POST", "runs/update", j({"run_id": rid, "status": "DONE"}))
# Missing required fields ---------------------------------------------------------------------------
case("missing: metric key", "POST", "runs/log-metric", j(metric(key=None)))
case("missing: metric value", "POST", "runs/log-metric", j(metric(value=None)))
case("missing: metric timestamp", "POST", "runs/log-metric", j(metric(timestamp=None)))
case("missing: batch metric timestamp", "POST", "runs/log-batch",
     j({"run_id": rid, "metrics": [{"key": "m", "value": 1.0, "step": 3}]}))
case("missing: set-tag key", "POST", "runs/set-tag", j({"run_id": rid, "value": "x"}))
case("missing: experiment name", "POST", "experiments/create", j({}))
case("missing: run id on get", "GET", "runs/get")
case("missing: empty body on log-batch", "POST", "runs/log-batch", "")
# Oversized batches and values ----------------------------------------------------------------------
case("limit: 1001 metrics", "POST", "runs/log-batch",
     j({"run_id": rid, "metrics": [{"key": f"b{i}", "value": 1.0, "timestamp": 1, "step": 0} for i in range(1001)]}))
case("limit: 101 params", "POST", "runs/log-batch", j({"run_id": rid, "params": [{"key": f"q{i}", "value": "1"} for i in range(101)]}))
case("limit: 101 tags", "POST", "runs/log-batch", j({"run_id": rid, "tags": [{"key": f"u{i}", "value": "1"} for i in range(101)]}))
case("limit: 1001 entities in total", "POST", "runs/log-batch",
     j({"run_id": rid, "metrics": [{"key": f"b{i}", "value": 1.0, "timestamp": 1, "step": 0} for i in range(1000)],
        "params": [{"key": "q", "value": "1"}]}))
case("limit: param value 6001 chars", "POST", "runs/log-parameter", j({"run_id": rid, "key": "long", "value": "v" * 6001}))
case("limit: param key 251 chars", "POST", "runs/log-parameter", j({"run_id": rid, "key": long_key, "value": "1"}))
case("limit: metric key 251 chars", "POST", "runs/log-metric", j(metric(key=long_key)))
case("limit: tag value 8001 chars", "POST", "runs/set-tag", j({"run_id": rid, "key": "big", "value": "v" * 8001}))
case("limit: batch param value 6001 chars", "POST", "runs/log-batch",
     j({"run_id": rid, "params": [{"key": "long", "value": "v" * 6001}]}))
case("limit: log-batch body over 1 MB", "POST", "runs/log-batch",
     j({"run_id": rid, "tags": [{"key": "pad", "value": "x" * 1_100_000}]}))
case("limit: experiment name 501 chars", "POST", "experiments/create", j({"name": "e" * 501}))
# Numbers -------------------------------------------------------------------------------------------
case("number: timestamp beyond int64", "POST", "runs/log-metric", j(metric(timestamp=2**64)))
case("number: step beyond int64", "POST", "runs/log-metric", j(metric(step=2**63)))
case("number: negative timestamp", "POST", "runs/log-metric", j(metric(timestamp=-5)))
case("number: negative step", "POST", "runs/log-metric", j(metric(step=-1, key="neg")))
case("number: value overflows a double", "POST", "runs/log-metric", '{"run_id": "%s", "key": "m", "value": 1e999, "timestamp": 5}' % rid)
case("number: bare NaN token", "POST", "runs/log-metric", '{"run_id": "%s", "key": "m", "value": NaN, "timestamp": 5}' % rid)
case("number: NaN as text", "POST", "runs/log-metric", j(metric(run_id=scratch, value="NaN")))
case("number: -Infinity as text", "POST", "runs/log-metric", j(metric(run_id=scratch, value="-Infinity")))
case("number: max_results negative", "POST", "runs/search", j({"experiment_ids": [exp], "max_results": -1}))
case("number: max_results over the limit", "POST", "runs/search", j({"experiment_ids": [exp], "max_results": 50001}))
# Unknown fields (accepted: protobuf parsing ignores them) — on the scratch run --------------------
case("unknown: extra top-level field", "POST", "runs/set-tag",
     j({"run_id": scratch, "key": "x", "value": "y", "no_such_field": {"deep": [1, 2]}}))
case("unknown: extra field inside a batch metric", "POST", "runs/log-batch",
     j({"run_id": scratch, "metrics": [{"key": "m", "value": 1.0, "timestamp": 1, "step": 0, "colour": "red"}]}))
case("spelling: camelCase field", "POST", "runs/set-tag", j({"runId": scratch, "key": "camel", "value": "1"}))
case("spelling: one field spelled both ways", "POST", "runs/set-tag", j({"run_id": rid, "runId": rid, "key": "t", "value": "w"}))
# Unknown runs, ids and bad filters -----------------------------------------------------------------
case("unknown run on log-metric", "POST", "runs/log-metric", j(metric(run_id="0" * 32)))
case("bad filter", "POST", "runs/search", j({"experiment_ids": [exp], "filter": "metrics.m >>> 1"}))
case("bad page token", "POST", "runs/search", j({"experiment_ids": [exp], "page_token": "%%%not-base64"}))
case("very long query string", "GET", "runs/get?run_id=" + "a" * 60_000)
# Routes and methods ---------------------------------------------------------------------------------
case("route: unknown endpoint", "POST", "runs/no-such-thing", j({"run_id": rid}))
case("route: wrong method (GET on log-metric)", "GET", f"runs/log-metric?run_id={rid}")
case("route: wrong method (DELETE on runs/get)", "DELETE", "runs/get", j({"run_id": rid}))

print(json.dumps({"cases": cases, "final_changed": snapshot() != initial}))
