"""MLflow 3 logged models driven by the REAL mlflow client against a tracking server (argv[1]):
mltrack server, or a real `mlflow server` to prove the script right. argv[2] is the mode:

  api   the logged-model REST calls only (create, get, finalize, tags, params, search, delete,
        runs/outputs, model inputs, metrics attached to a model): no artifact upload, so it runs
        against a server without the artifact proxy;
  full  api, then `mlflow.sklearn.log_model(...)` inside `mlflow.start_run()` (reference 1.5: the
        files go through the artifact proxy) and loading the model back from `models:/m-<id>`;
  local full, in an experiment whose artifact_location is a local `file://` directory, so the
        client writes and reads the model files itself: the whole log_model call sequence
        without the artifact proxy.

Every answer is checked; the last line printed is a JSON summary {"ok", "checks", "mode"}.
"""
import os
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
import json
import sys
import uuid

import mlflow
from mlflow import MlflowClient
from mlflow.entities import LoggedModelInput, LoggedModelOutput, LoggedModelStatus
from mlflow.exceptions import MlflowException

mlflow.set_tracking_uri(sys.argv[1])
mode = sys.argv[2] if len(sys.argv) > 2 else "api"
client = MlflowClient()
checks = []


def check(name, cond, detail=None):
    if not cond:
        raise AssertionError(f"check failed: {name}: {detail!r}")
    checks.append(name)


def expect_error(name, code, fn):
    try:
        fn()
    except MlflowException as e:
        check(name, e.error_code == code, (e.error_code, str(e)))
        return
    raise AssertionError(f"check failed: {name}: no error raised")


# The logged-model API ----------------------------------------------------------------------------
if mode == "local":
    import tempfile
    from pathlib import Path
    location = Path(tempfile.mkdtemp(prefix="lm-e2e-")).as_uri()
    exp_id = client.create_experiment(f"lm-e2e-{uuid.uuid4().hex[:8]}", artifact_location=location)
else:
    exp_id = client.create_experiment(f"lm-e2e-{uuid.uuid4().hex[:8]}")
    location = f"mlflow-artifacts:/{exp_id}"
mlflow.set_experiment(experiment_id=exp_id)
with mlflow.start_run(run_name="train") as run:
    run_id = run.info.run_id
    m = client.create_logged_model(exp_id, name="model", source_run_id=run_id, params={"C": "1.0"},
                                   tags={"team": "ml"}, model_type="sklearn")
    mid = m.model_id
    check("model id", mid.startswith("m-") and len(mid) == 34, mid)
    check("created pending", m.status == LoggedModelStatus.PENDING, m.status)
    check("artifact location", m.artifact_location == f"{location}/models/{mid}/artifacts", m.artifact_location)
    check("created fields", (m.name, m.experiment_id, m.source_run_id, m.model_type) == ("model", exp_id, run_id, "sklearn"), m)
    check("created params and tags", m.params == {"C": "1.0"} and m.tags == {"team": "ml"}, (m.params, m.tags))
    client.log_outputs(run_id, [LoggedModelOutput(mid, 0)])
    # A metric logged with a model id is attached to that model too (runs/log-metric model_id).
    mlflow.log_metric("acc", 0.9, model_id=mid)
    client.log_inputs(run_id, models=[LoggedModelInput(mid)])
    r = client.get_run(run_id)
    check("run outputs", [(o.model_id, o.step) for o in r.outputs.model_outputs] == [(mid, 0)], r.outputs)
    check("run model inputs", [i.model_id for i in r.inputs.model_inputs] == [mid], r.inputs)
    check("run metric kept", r.data.metrics == {"acc": 0.9}, r.data.metrics)

ready = client.finalize_logged_model(mid, LoggedModelStatus.READY)
check("finalized ready", ready.status == LoggedModelStatus.READY, ready.status)
check("finalize moves last_updated", ready.last_updated_timestamp >= m.last_updated_timestamp, ready)
client.set_logged_model_tags(mid, {"stage": "dev", "owner": "swift"})
client.delete_logged_model_tag(mid, "owner")
expect_error("delete unknown tag", "RESOURCE_DOES_NOT_EXIST", lambda: client.delete_logged_model_tag(mid, "owner"))
client.log_model_params(mid, {"max_iter": "100"})
got = client.get_logged_model(mid)
check("tags after set/delete", got.tags == {"team": "ml", "stage": "dev"}, got.tags)
check("params after log", got.params == {"C": "1.0", "max_iter": "100"}, got.params)
check("model metrics", [(x.key, x.value, x.step, x.run_id, x.model_id) for x in got.metrics] == [("acc", 0.9, 0, run_id, mid)], got.metrics)
check("get keeps status", got.status == LoggedModelStatus.READY, got.status)

other = client.create_logged_model(exp_id, name="other", params={"C": "0.1"})
check("generated-free name kept", other.name == "other" and other.source_run_id in (None, ""), other)

found = client.search_logged_models([exp_id], filter_string="name = 'model'")
check("search by name", [x.model_id for x in found] == [mid], found)
found = client.search_logged_models([exp_id])
check("search default order", [x.model_id for x in found] == [other.model_id, mid], [x.name for x in found])
found = client.search_logged_models([exp_id], filter_string="metrics.acc > 0.5 AND tags.team = 'ml'")
check("search metrics and tags", [x.model_id for x in found] == [mid], found)
found = client.search_logged_models([exp_id], filter_string="params.C = '0.1'")
check("search params", [x.model_id for x in found] == [other.model_id], found)
found = client.search_logged_models([exp_id], filter_string="name IN ('model', 'other') AND name LIKE 'm%'")
check("search IN and LIKE", [x.model_id for x in found] == [mid], found)
found = client.search_logged_models([exp_id], order_by=[{"field_name": "metrics.acc", "ascending": False}])
check("order by metric, missing last", [x.model_id for x in found] == [mid, other.model_id], found)
found = client.search_logged_models([exp_id], order_by=[{"field_name": "name", "ascending": True}])
check("order by name", [x.name for x in found] == ["model", "other"], found)
page = client.search_logged_models([exp_id], max_results=1)
check("first page", len(page) == 1 and page.token, page.token)
page2 = client.search_logged_models([exp_id], max_results=1, page_token=page.token)
check("second page", [x.model_id for x in page2] == [mid] and not page2.token, (page2, page2.token))
fluent = mlflow.search_logged_models(experiment_ids=[exp_id], filter_string="name = 'other'", output_format="list")
check("fluent search", [x.model_id for x in fluent] == [other.model_id], fluent)
expect_error("bad filter", "INVALID_PARAMETER_VALUE",
             lambda: client.search_logged_models([exp_id], filter_string="name = 'a' OR name = 'b'"))
expect_error("unknown model", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_logged_model("m-" + "0" * 32))

client.delete_logged_model(other.model_id)
expect_error("deleted model is gone", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_logged_model(other.model_id))
found = client.search_logged_models([exp_id])
check("search skips deleted", [x.model_id for x in found] == [mid], found)

# mlflow.<flavor>.log_model: the files go through the artifact proxy -------------------------------
if mode in ("full", "local"):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 0, 1, 1])
    est = LogisticRegression().fit(X, y)
    with mlflow.start_run(run_name="sklearn") as run:
        info = mlflow.sklearn.log_model(est, name="skmodel", input_example=X[:2])
        mlflow.log_metric("score", 0.75)
        sk_run = run.info.run_id
    skid = info.model_id
    check("log_model returns a model id", skid and skid.startswith("m-"), info)
    sk = client.get_logged_model(skid)
    check("log_model finalized ready", sk.status == LoggedModelStatus.READY, sk.status)
    check("log_model fields", (sk.name, sk.source_run_id, sk.experiment_id) == ("skmodel", sk_run, exp_id), sk)
    check("log_model tags", {"mlflow.user", "mlflow.source.name", "mlflow.source.type"} <= set(sk.tags), sk.tags)
    check("log_model metric attached", [(x.key, x.value) for x in sk.metrics] == [("score", 0.75)], sk.metrics)
    r = client.get_run(sk_run)
    check("log_model run outputs", [(o.model_id, o.step) for o in r.outputs.model_outputs] == [(skid, 0)], r.outputs)
    found = client.search_logged_models([exp_id], filter_string="name = 'skmodel'")
    check("search finds log_model", [x.model_id for x in found] == [skid], found)
    names = sorted(a.path for a in client.list_logged_model_artifacts(skid)) if hasattr(client, "list_logged_model_artifacts") else []
    check("model files uploaded", "MLmodel" in names and any(n.startswith("model.") for n in names), names)
    loaded = mlflow.sklearn.load_model(f"models:/{skid}")
    check("load back by models:/m-id", list(loaded.predict(X)) == list(est.predict(X)), loaded)

print(json.dumps({"ok": True, "checks": len(checks), "mode": mode}))
