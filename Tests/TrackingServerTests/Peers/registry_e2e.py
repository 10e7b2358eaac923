"""The model-registry half of the MLflow compatibility proof, run with the REAL mlflow client
(MlflowClient) against a tracking server given as argv[1]: mltrack server, or a real `mlflow server`
to prove the script itself right. Every answer is checked; the last line printed is a JSON summary.
"""
import os
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
import json
import sys
import warnings

import requests
import mlflow
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

warnings.filterwarnings("ignore")   # stages and get_latest_versions are deprecated: still used
base = sys.argv[1]
mlflow.set_tracking_uri(base)
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


def rest(method, path, **kw):
    r = requests.request(method, f"{base}/api/2.0/mlflow/{path}", timeout=30, **kw)
    return r.status_code, r.json()


# Registered models ------------------------------------------------------------------------------
M = "e2e-reg"
m = client.create_registered_model(M, tags={"team": "ml"}, description="first")
check("create model", m.name == M and m.description == "first" and m.tags == {"team": "ml"}
      and m.latest_versions == [] and m.aliases == {} and m.creation_timestamp > 0, m)
expect_error("duplicate model", "RESOURCE_ALREADY_EXISTS", lambda: client.create_registered_model(M))
expect_error("unknown model", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_registered_model("e2e-no-such"))
got = client.get_registered_model(M)
check("get model", got.name == M and got.description == "first" and got.tags == {"team": "ml"}
      and got.creation_timestamp == m.creation_timestamp, got)
client.create_registered_model("e2e-reg-b")
client.create_registered_model("zz-other")
status, body = rest("POST", "registered-models/create",
                    json={"name": "e2e-prompt", "tags": [{"key": "mlflow.prompt.is_prompt", "value": "true"}]})
check("create prompt-tagged model (REST)", status == 200 and body["registered_model"]["name"] == "e2e-prompt", body)

names = [r.name for r in client.search_registered_models(filter_string="name LIKE 'e2e-%'")]
check("search models by name, prompts left out", names == [M, "e2e-reg-b"], names)
names = [r.name for r in client.search_registered_models()]
check("search all models", names == [M, "e2e-reg-b", "zz-other"], names)
check("search by tag", [r.name for r in client.search_registered_models(filter_string="tags.team = 'ml'")] == [M])
names = [r.name for r in client.search_registered_models(filter_string="tags.team != 'other'")]
check("!= on a tag skips models without it", names == [M], names)
page1 = client.search_registered_models(filter_string="name LIKE 'e2e-%'", max_results=1)
page2 = client.search_registered_models(filter_string="name LIKE 'e2e-%'", max_results=1, page_token=page1.token)
check("search models paging", [r.name for r in page1] == [M] and page1.token and [r.name for r in page2] == ["e2e-reg-b"]
      and not page2.token, ([r.name for r in page1], page1.token, [r.name for r in page2], page2.token))
names = [r.name for r in client.search_registered_models(order_by=["name DESC"], max_results=2)]
check("search models order_by", names == ["zz-other", "e2e-reg-b"], names)
expect_error("search OR is rejected", "INVALID_PARAMETER_VALUE",
             lambda: client.search_registered_models(filter_string="name = 'a' OR name = 'b'"))
status, body = rest("GET", "registered-models/search", params={"max_results": 5000})
check("search max_results over 1000", status == 400 and body["error_code"] == "INVALID_PARAMETER_VALUE", body)

updated = client.update_registered_model(M, description="second")
check("update model", updated.description == "second" and client.get_registered_model(M).description == "second")
client.rename_registered_model("e2e-reg-b", "e2e-reg-c")
check("rename model", client.get_registered_model("e2e-reg-c").name == "e2e-reg-c")
expect_error("renamed model's old name is gone", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_registered_model("e2e-reg-b"))
expect_error("rename onto an existing name", "RESOURCE_ALREADY_EXISTS", lambda: client.rename_registered_model("e2e-reg-c", M))
client.set_registered_model_tag(M, "stage", "dev")
check("set model tag", client.get_registered_model(M).tags == {"team": "ml", "stage": "dev"})
client.delete_registered_model_tag(M, "stage")
check("delete model tag", client.get_registered_model(M).tags == {"team": "ml"})
client.delete_registered_model_tag(M, "never-set")
check("delete a tag that is not set", client.get_registered_model(M).tags == {"team": "ml"})

# Versions ---------------------------------------------------------------------------------------
exp_id = client.create_experiment("e2e-registry")
run = client.create_run(exp_id)
run_id = run.info.run_id
source = run.info.artifact_uri + "/model"
v1 = client.create_model_version(M, source, run_id)
check("create version", v1.name == M and v1.version == "1" and v1.status == "READY" and v1.current_stage == "None"
      and v1.source == source and v1.run_id == run_id and v1.description == "" and v1.aliases == [], v1)
v2 = client.create_model_version(M, source, run_id, tags={"k": "v"}, run_link="http://ci/run/2", description="two")
check("create version with tags, run_link, description", v2.version == "2" and v2.tags == {"k": "v"}
      and v2.run_link == "http://ci/run/2" and v2.description == "two", v2)
v3 = client.create_model_version(M, source, run_id)
check("versions count up", v3.version == "3", v3)
expect_error("version of an unknown model", "RESOURCE_DOES_NOT_EXIST", lambda: client.create_model_version("e2e-no-such", source, run_id))
got = client.get_model_version(M, "2")
check("get version", got.version == "2" and got.tags == {"k": "v"} and got.run_link == "http://ci/run/2"
      and got.creation_timestamp == v2.creation_timestamp and got.run_id == run_id, got)
expect_error("unknown version", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_model_version(M, "9"))
status, body = rest("GET", "model-versions/get", params={"name": M, "version": "abc"})
check("non-numeric version", status == 400 and body["error_code"] == "INVALID_PARAMETER_VALUE", body)

# Stages -----------------------------------------------------------------------------------------
s1 = client.transition_model_version_stage(M, "1", "staging")
check("transition (lower-case stage)", s1.current_stage == "Staging", s1)
s2 = client.transition_model_version_stage(M, "2", "Staging", archive_existing_versions=True)
check("transition archiving others", s2.current_stage == "Staging"
      and client.get_model_version(M, "1").current_stage == "Archived", s2)
client.transition_model_version_stage(M, "3", "Production")
expect_error("bad stage", "INVALID_PARAMETER_VALUE", lambda: client.transition_model_version_stage(M, "3", "bogus"))
latest = sorted((v.current_stage, v.version) for v in client.get_latest_versions(M))
check("latest versions per stage", latest == [("Archived", "1"), ("Production", "3"), ("Staging", "2")], latest)
check("latest versions of a stage", [v.version for v in client.get_latest_versions(M, stages=["staging"])] == ["2"])
status, body = rest("GET", "registered-models/get-latest-versions", params={"name": M, "stages": ["Production"]})
check("get-latest-versions on GET", status == 200 and [v["version"] for v in body["model_versions"]] == ["3"], body)
expect_error("latest versions of an unknown model", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_latest_versions("e2e-no-such"))
latest = sorted((v.current_stage, v.version) for v in client.get_registered_model(M).latest_versions)
check("model's latest_versions", latest == [("Archived", "1"), ("Production", "3"), ("Staging", "2")], latest)

# Aliases ----------------------------------------------------------------------------------------
client.set_registered_model_alias(M, "champion", "3")
by_alias = client.get_model_version_by_alias(M, "champion")
check("get version by alias", by_alias.version == "3" and by_alias.aliases == ["champion"], by_alias)
check("model aliases", client.get_registered_model(M).aliases == {"champion": "3"})
client.set_registered_model_alias(M, "champion", "2")
check("setting an alias moves it", client.get_model_version_by_alias(M, "champion").version == "2"
      and client.get_model_version(M, "3").aliases == [])
client.set_registered_model_alias(M, "shadow", "2")
check("version lists its aliases", sorted(client.get_model_version(M, "2").aliases) == ["champion", "shadow"])
client.delete_registered_model_alias(M, "shadow")
check("delete alias", client.get_registered_model(M).aliases == {"champion": "2"})
expect_error("unknown alias", "INVALID_PARAMETER_VALUE", lambda: client.get_model_version_by_alias(M, "nope"))
expect_error("reserved alias latest", "INVALID_PARAMETER_VALUE", lambda: client.set_registered_model_alias(M, "latest", "1"))
expect_error("reserved alias v<n>", "INVALID_PARAMETER_VALUE", lambda: client.set_registered_model_alias(M, "v1", "1"))
expect_error("alias to an unknown version", "RESOURCE_DOES_NOT_EXIST", lambda: client.set_registered_model_alias(M, "x", "9"))

# Version search, update, tags, download URI -----------------------------------------------------
found = sorted(v.version for v in client.search_model_versions(f"name = '{M}'"))
check("search versions by name", found == ["1", "2", "3"], found)
found = sorted((v.name, v.version) for v in client.search_model_versions(f"run_id = '{run_id}'"))
check("search versions by run_id", found == [(M, "1"), (M, "2"), (M, "3")], found)
found = sorted(v.version for v in client.search_model_versions(f"name = '{M}' AND version_number > 1"))
check("search versions by version_number", found == ["2", "3"], found)
found = sorted(v.version for v in client.search_model_versions(f"source_path = '{source}' AND run_id NOT IN ('zz')"))
check("search versions by source_path and NOT IN", found == ["1", "2", "3"], found)
page1 = client.search_model_versions(f"name = '{M}'", max_results=2, order_by=["version_number ASC"])
page2 = client.search_model_versions(f"name = '{M}'", max_results=2, order_by=["version_number ASC"], page_token=page1.token)
check("search versions paging", [v.version for v in page1] == ["1", "2"] and [v.version for v in page2] == ["3"]
      and page1.token and not page2.token, ([v.version for v in page1], [v.version for v in page2]))
check("search versions with no match", list(client.search_model_versions("name = 'e2e-no-such'")) == [])
upd = client.update_model_version(M, "1", description="first version")
check("update version", upd.description == "first version" and client.get_model_version(M, "1").description == "first version")
client.set_model_version_tag(M, "1", "quality", "good")
check("set version tag", client.get_model_version(M, "1").tags == {"quality": "good"})
client.delete_model_version_tag(M, "1", "quality")
check("delete version tag", client.get_model_version(M, "1").tags == {})
check("download uri", client.get_model_version_download_uri(M, "3") == source)

# Deletes ----------------------------------------------------------------------------------------
client.delete_model_version(M, "2")
expect_error("deleted version is gone", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_model_version(M, "2"))
after = client.get_registered_model(M)
check("deleting a version drops its aliases", after.aliases == {}, after.aliases)
check("latest versions after delete", sorted((v.current_stage, v.version) for v in after.latest_versions)
      == [("Archived", "1"), ("Production", "3")])
check("version numbers are not reused", client.create_model_version(M, source, run_id).version == "4")
client.delete_registered_model(M)
expect_error("deleted model is gone", "RESOURCE_DOES_NOT_EXIST", lambda: client.get_registered_model(M))
check("deleted model's versions are gone", list(client.search_model_versions(f"name = '{M}'")) == [])
expect_error("delete an unknown model", "RESOURCE_DOES_NOT_EXIST", lambda: client.delete_registered_model(M))

print(json.dumps({"ok": True, "checks": len(checks)}))
