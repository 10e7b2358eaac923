"""The MLflow compatibility proof of issue 6 section 3 (reference section 8), run with the REAL mlflow
client against a fresh tracking server given as argv[1]: mltrack server, or a real `mlflow server` to
prove the script itself right. Every answer is checked; the last line printed is a JSON summary
{"ok", "checks", "parts": {part: checks}, "names"}.

Parts (argv[2], comma-separated, default all): `tracking` (experiments, nested runs, params, metrics
with steps and batches, tags, dataset inputs, searches, error cases), `artifacts` (upload, list and
download through the artifact proxy) and `registry` (registered models and versions without pyfunc:
a version from a run artifact source, aliases, tags, stages, searches, downloads by alias, errors).
Without `artifacts`, `registry` makes its second version with create_model_version instead of
register_model("runs:/…") and skips the download by alias (one check fewer).
"""
import os
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
import json
import math
import sys
import time

import mlflow
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.exceptions import MlflowException

mlflow.set_tracking_uri(sys.argv[1])
PARTS = (sys.argv[2] if len(sys.argv) > 2 else "tracking,artifacts,registry").split(",")
assert set(PARTS) <= {"tracking", "artifacts", "registry"} and "tracking" in PARTS, PARTS
client = MlflowClient()
checks = []
part_checks = {}
part = "tracking"


def check(name, cond, detail=None):
    if not cond:
        raise AssertionError(f"check failed: {name}: {detail!r}")
    checks.append(name)
    part_checks[part] = part_checks.get(part, 0) + 1


def expect_error(name, code, fn):
    try:
        fn()
    except MlflowException as e:
        check(name, e.error_code == code, (e.error_code, str(e)))
        return
    raise AssertionError(f"check failed: {name}: no error raised")


# Experiments ------------------------------------------------------------------------------------
default = client.get_experiment("0")
check("default experiment", default.name == "Default" and default.lifecycle_stage == "active", default)
exp_id = client.create_experiment("e2e-tracking", tags={"team": "ml"})
check("create experiment id", exp_id.isdigit() and exp_id != "0", exp_id)
exp = client.get_experiment(exp_id)
check("experiment fields", exp.name == "e2e-tracking" and exp.tags == {"team": "ml"} and exp.lifecycle_stage == "active"
      and exp.artifact_location == f"mlflow-artifacts:/{exp_id}", exp)
other_id = client.create_experiment("e2e-other")
check("get by name", client.get_experiment_by_name("e2e-other").experiment_id == other_id)
check("get by unknown name is None", client.get_experiment_by_name("e2e-no-such") is None)
found = client.search_experiments(filter_string="name LIKE 'e2e-%'", order_by=["name ASC"])
check("search experiments filter+order", [e.name for e in found] == ["e2e-other", "e2e-tracking"], [e.name for e in found])
found = client.search_experiments(filter_string="tags.team = 'ml'")
check("search experiments by tag", [e.experiment_id for e in found] == [exp_id], found)
page1 = client.search_experiments(max_results=2, order_by=["name ASC"])
page2 = client.search_experiments(max_results=2, order_by=["name ASC"], page_token=page1.token)
check("search experiments paging", [e.name for e in page1] == ["Default", "e2e-other"] and [e.name for e in page2] == ["e2e-tracking"]
      and page1.token and not page2.token, ([e.name for e in page1], [e.name for e in page2], page2.token))
client.set_experiment_tag(other_id, "note", "x")
check("set experiment tag", client.get_experiment(other_id).tags == {"note": "x"})
client.delete_experiment_tag(other_id, "note")
check("delete experiment tag", client.get_experiment(other_id).tags == {})
client.rename_experiment(other_id, "e2e-renamed")
check("rename experiment", client.get_experiment(other_id).name == "e2e-renamed")
client.delete_experiment(other_id)
check("delete experiment", client.get_experiment(other_id).lifecycle_stage == "deleted")
check("deleted experiment search", [e.experiment_id for e in client.search_experiments(view_type=ViewType.DELETED_ONLY)] == [other_id])
client.restore_experiment(other_id)
check("restore experiment", client.get_experiment(other_id).lifecycle_stage == "active")

# Runs -------------------------------------------------------------------------------------------
set_exp = mlflow.set_experiment("e2e-tracking")
check("set_experiment existing", set_exp.experiment_id == exp_id)
created = mlflow.set_experiment("e2e-made-by-set")
check("set_experiment creates", created.name == "e2e-made-by-set" and created.experiment_id not in ("0", exp_id))
mlflow.set_experiment("e2e-tracking")
df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0, 1, 1]})
dataset = mlflow.data.from_pandas(df, name="train-df", targets="y")
children = []
with mlflow.start_run(run_name="parent") as parent:
    pid = parent.info.run_id
    check("run started", parent.info.status == "RUNNING" and parent.info.experiment_id == exp_id
          and parent.info.artifact_uri == f"mlflow-artifacts:/{exp_id}/{pid}/artifacts", parent.info)
    mlflow.log_param("lr", 0.01)
    mlflow.log_params({"epochs": 3, "optimizer": "sgd"})
    mlflow.log_metric("loss", 0.5, step=0)
    mlflow.log_metrics({"loss": 0.3, "acc": 0.9}, step=1)
    client.log_batch(pid, metrics=[Metric("val_loss", 0.4, int(time.time() * 1000), 1)],
                     params=[Param("batch_size", "32")], tags=[RunTag("stage", "dev")])
    mlflow.log_metric("weird", float("nan"))
    mlflow.set_tag("owner", "swift")
    mlflow.set_tag("temp", "x")
    client.delete_tag(pid, "temp")
    mlflow.log_input(dataset, context="training")
    for i, l2 in enumerate([0.1, 1.0]):
        with mlflow.start_run(run_name=f"child-{i}", nested=True) as child:
            mlflow.log_param("l2", l2)
            mlflow.log_metric("acc", 0.5 + 0.1 * i)
            children.append(child.info.run_id)

run = client.get_run(pid)
check("run finished", run.info.status == "FINISHED" and run.info.end_time is not None and run.info.run_name == "parent", run.info)
check("params", run.data.params == {"lr": "0.01", "epochs": "3", "optimizer": "sgd", "batch_size": "32"}, run.data.params)
m = dict(run.data.metrics)
m.pop("weird", None)
check("metrics latest", m == {"loss": 0.3, "acc": 0.9, "val_loss": 0.4}, run.data.metrics)
check("NaN metric round-trips", math.isnan(run.data.metrics["weird"]), run.data.metrics)
tags = run.data.tags
check("tags", tags.get("owner") == "swift" and tags.get("stage") == "dev" and "temp" not in tags
      and tags.get("mlflow.runName") == "parent" and "mlflow.user" in tags, tags)
inputs = run.inputs.dataset_inputs
check("dataset input", len(inputs) == 1 and inputs[0].dataset.name == "train-df" and inputs[0].dataset.digest == dataset.digest
      and [(t.key, t.value) for t in inputs[0].tags] == [("mlflow.data.context", "training")]
      and "x" in inputs[0].dataset.schema and json.loads(inputs[0].dataset.profile)["num_rows"] == 3, inputs)
for cid in children:
    c = client.get_run(cid)
    check("nested run parent tag", c.data.tags.get("mlflow.parentRunId") == pid and c.info.status == "FINISHED", c.data.tags)

hits = mlflow.search_runs([exp_id], filter_string="metrics.acc > 0.5 and params.optimizer = 'sgd'",
                          order_by=["metrics.acc DESC"], output_format="list")
check("search runs filter", [r.info.run_id for r in hits] == [pid], [r.info.run_id for r in hits])
kids = client.search_runs([exp_id], filter_string=f"tags.mlflow.parentRunId = '{pid}'", order_by=["metrics.acc DESC"])
check("search runs order", [r.info.run_id for r in kids] == [children[1], children[0]], [r.info.run_id for r in kids])
first = client.search_runs([exp_id], max_results=2, order_by=["attributes.run_name ASC"])
rest = client.search_runs([exp_id], max_results=2, order_by=["attributes.run_name ASC"], page_token=first.token)
check("search runs paging", [r.info.run_name for r in first] == ["child-0", "child-1"] and [r.info.run_name for r in rest] == ["parent"]
      and not rest.token, ([r.info.run_name for r in first], [r.info.run_name for r in rest]))
hist = client.get_metric_history(pid, "loss")
check("metric history", [(h.value, h.step) for h in hist] == [(0.5, 0), (0.3, 1)], hist)

client.update_run(children[0], name="child-zero")
check("rename run", client.get_run(children[0]).data.tags["mlflow.runName"] == "child-zero")
client.delete_run(children[0])
check("delete run", client.get_run(children[0]).info.lifecycle_stage == "deleted")
check("deleted run hidden", [r.info.run_id for r in client.search_runs([exp_id], run_view_type=ViewType.DELETED_ONLY)] == [children[0]])
client.restore_run(children[0])
check("restore run", client.get_run(children[0]).info.lifecycle_stage == "active")
plain = client.create_run(exp_id, run_name="plain", tags={"k": "v"})
check("client create_run", plain.info.run_name == "plain" and plain.data.tags.get("k") == "v" and plain.info.user_id == "unknown", plain.info)
client.set_terminated(plain.info.run_id, "KILLED")
check("set_terminated", client.get_run(plain.info.run_id).info.status == "KILLED")

# Errors -----------------------------------------------------------------------------------------
expect_error("duplicate experiment", "RESOURCE_ALREADY_EXISTS", lambda: client.create_experiment("e2e-tracking"))
expect_error("unknown run", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_run("0" * 32))
expect_error("unknown experiment", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_experiment("987654"))
expect_error("bad filter", "INVALID_PARAMETER_VALUE", lambda: client.search_runs([exp_id], filter_string="metrics.acc >>> 1"))
expect_error("OR filter", "INVALID_PARAMETER_VALUE", lambda: client.search_runs([exp_id], filter_string="params.a = '1' OR params.b = '2'"))
expect_error("bad order_by", "INVALID_PARAMETER_VALUE", lambda: client.search_runs([exp_id], order_by=["metrics.acc SIDEWAYS"]))
expect_error("param change", "INVALID_PARAMETER_VALUE", lambda: client.log_param(pid, "lr", "0.02"))
expect_error("log to unknown run", "RESOURCE_DOES_NOT_EXIST", lambda: client.log_metric("f" * 32, "m", 1.0))
expect_error("oversized batch", "INVALID_PARAMETER_VALUE",
             lambda: client._tracking_client.store.log_batch(pid, metrics=[Metric(f"m{i}", 1.0, 0, 0) for i in range(1001)], params=[], tags=[]))

# Artifacts (through the server's artifact proxy, mlflow-artifacts:/ URIs) -----------------------
if "artifacts" in PARTS:
    part = "artifacts"
    import tempfile
    tmp = tempfile.mkdtemp()
    with open(os.path.join(tmp, "notes.txt"), "w") as f:
        f.write("hello from mltrack\n")
    mdir = os.path.join(tmp, "model")
    os.makedirs(os.path.join(mdir, "data"))
    with open(os.path.join(mdir, "MLmodel"), "w") as f:  # a hand-written model folder: no pyfunc involved
        f.write(f"artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\nrun_id: {pid}\n")
    payload = bytes(range(256)) * 64
    with open(os.path.join(mdir, "data", "weights.bin"), "wb") as f:
        f.write(payload)
    client.log_artifact(pid, os.path.join(tmp, "notes.txt"))
    client.log_artifacts(pid, mdir, artifact_path="model")
    client.log_text(pid, "a,b\n1,2\n", "tables/small.csv")
    client.log_dict(pid, {"lr": 0.01, "layers": [3, 2]}, "config.json")
    top = client.list_artifacts(pid)
    check("list run root", sorted((f.path, f.is_dir) for f in top)
          == [("config.json", False), ("model", True), ("notes.txt", False), ("tables", True)], top)
    sizes = {f.path: f.file_size for f in top if not f.is_dir}
    check("file sizes", sizes["notes.txt"] == len("hello from mltrack\n"), sizes)
    sub = client.list_artifacts(pid, "model")
    check("list sub folder", sorted((f.path, f.is_dir) for f in sub) == [("model/MLmodel", False), ("model/data", True)], sub)
    check("list a file is empty", client.list_artifacts(pid, "notes.txt") == [])
    check("list a missing folder is empty", client.list_artifacts(pid, "no/such/dir") == [])
    got = client.download_artifacts(pid, "notes.txt", tempfile.mkdtemp())
    check("download one file", open(got).read() == "hello from mltrack\n", got)
    local = mlflow.artifacts.download_artifacts(f"runs:/{pid}/model", dst_path=tempfile.mkdtemp())
    check("download a folder", sorted(os.listdir(local)) == ["MLmodel", "data"], os.listdir(local))
    check("binary round trip", open(os.path.join(local, "data", "weights.bin"), "rb").read() == payload)
    check("load_text", mlflow.artifacts.load_text(f"runs:/{pid}/tables/small.csv") == "a,b\n1,2\n")
    check("load_dict", mlflow.artifacts.load_dict(f"{client.get_run(pid).info.artifact_uri}/config.json") == {"lr": 0.01, "layers": [3, 2]})
    with mlflow.start_run(experiment_id=exp_id, run_name="fluent-artifacts") as arun:
        mlflow.log_artifact(os.path.join(tmp, "notes.txt"), artifact_path="docs")
    check("fluent log_artifact", [f.path for f in client.list_artifacts(arun.info.run_id, "docs")] == ["docs/notes.txt"])
    expect_error("download a missing artifact", "RESOURCE_DOES_NOT_EXIST",
                 lambda: client.download_artifacts(pid, "no-such-file.txt", tempfile.mkdtemp()))

# Model registry without pyfunc ----------------------------------------------------------------------
if "registry" in PARTS:
    part = "registry"
    source = f"{client.get_run(pid).info.artifact_uri}/model"
    rm = client.create_registered_model("e2e-model", tags={"team": "ml"}, description="first model")
    check("create registered model", rm.name == "e2e-model" and rm.tags == {"team": "ml"} and rm.description == "first model", rm)
    expect_error("duplicate registered model", "RESOURCE_ALREADY_EXISTS", lambda: client.create_registered_model("e2e-model"))
    mv1 = client.create_model_version("e2e-model", source, run_id=pid, tags={"k": "v"}, description="v1")
    check("create version from a run artifact source", mv1.version == "1" and mv1.source == source and mv1.run_id == pid
          and mv1.status == "READY" and mv1.tags == {"k": "v"} and mv1.description == "v1", mv1)
    if "artifacts" in PARTS:
        mv2 = mlflow.register_model(f"runs:/{pid}/model", "e2e-model")
    else:
        mv2 = client.create_model_version("e2e-model", source, run_id=pid)
    check("second version (register_model from runs:/ with artifacts)", mv2.version == "2" and mv2.run_id == pid, mv2)
    client.set_registered_model_alias("e2e-model", "champion", "1")
    by_alias = client.get_model_version_by_alias("e2e-model", "champion")
    check("alias lookup", by_alias.version == "1" and "champion" in by_alias.aliases, by_alias)
    check("registered model aliases", client.get_registered_model("e2e-model").aliases == {"champion": "1"})
    client.set_registered_model_alias("e2e-model", "champion", "2")
    check("alias moves", client.get_model_version_by_alias("e2e-model", "champion").version == "2")
    client.set_model_version_tag("e2e-model", "1", "validated", "yes")
    check("version tag", client.get_model_version("e2e-model", "1").tags == {"k": "v", "validated": "yes"})
    client.delete_model_version_tag("e2e-model", "1", "k")
    check("delete version tag", client.get_model_version("e2e-model", "1").tags == {"validated": "yes"})
    client.set_registered_model_tag("e2e-model", "owner", "swift")
    client.delete_registered_model_tag("e2e-model", "team")
    check("model tags", client.get_registered_model("e2e-model").tags == {"owner": "swift"})
    client.update_registered_model("e2e-model", description="better")
    client.update_model_version("e2e-model", "2", description="v2")
    check("updates", client.get_registered_model("e2e-model").description == "better"
          and client.get_model_version("e2e-model", "2").description == "v2")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        staged = client.transition_model_version_stage("e2e-model", "1", "Staging")
    check("stage transition", staged.current_stage == "Staging", staged)
    client.create_registered_model("e2e-other-model")
    found = client.search_registered_models(filter_string="name LIKE 'e2e-%'", order_by=["name ASC"])
    check("search registered models", [m.name for m in found] == ["e2e-model", "e2e-other-model"], [m.name for m in found])
    versions = client.search_model_versions("name = 'e2e-model'")
    check("search model versions", sorted(v.version for v in versions) == ["1", "2"], versions)
    by_run = client.search_model_versions(f"run_id = '{pid}'")
    check("search versions by run", sorted(v.version for v in by_run) == ["1", "2"], by_run)
    check("download uri", client.get_model_version_download_uri("e2e-model", "1") == source)
    if "artifacts" in PARTS:
        local = mlflow.artifacts.download_artifacts("models:/e2e-model@champion", dst_path=tempfile.mkdtemp())
        check("download by alias", "MLmodel" in os.listdir(local), os.listdir(local))
    client.delete_registered_model_alias("e2e-model", "champion")
    expect_error("deleted alias", "INVALID_PARAMETER_VALUE", lambda: client.get_model_version_by_alias("e2e-model", "champion"))
    client.delete_model_version("e2e-model", "1")
    check("delete version", [v.version for v in client.search_model_versions("name = 'e2e-model'")] == ["2"])
    expect_error("unknown registered model", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_registered_model("e2e-no-such-model"))
    expect_error("unknown version", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_model_version("e2e-model", "99"))
    expect_error("bad registry filter", "INVALID_PARAMETER_VALUE",
                 lambda: client.search_registered_models(filter_string="name >>> 'x'"))
    client.delete_registered_model("e2e-other-model")
    expect_error("deleted registered model", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_registered_model("e2e-other-model"))

print(json.dumps({"ok": True, "checks": len(checks), "parts": part_checks, "names": checks}))
