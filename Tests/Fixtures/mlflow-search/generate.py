"""Record what MLflow's own search code says about a set of run filter and order_by strings.

Run with a throwaway venv holding mlflow-skinny (not a project requirement):

    python3 -m venv /tmp/mlflow-search-venv
    /tmp/mlflow-search-venv/bin/pip install mlflow-skinny==3.17.2
    cd /tmp && /tmp/mlflow-search-venv/bin/python <repo>/Tests/Fixtures/mlflow-search/generate.py \
        > <repo>/Tests/Fixtures/mlflow-search/cases.json

(Run it from outside the mlflow package folder: mlflow/types shadows the stdlib `types`.)

For every filter: MLflow's parse (`SearchUtils.parse_search_filter`) plus the comparator checks
MLflow's SQL store applies before querying (`SearchUtils.is_*`), normalised (comparator upper-case,
aliases translated, metric values as floats); if valid, the names of the fixture runs that
`SearchUtils.filter` keeps. For every order_by list: the run ids in `SearchUtils.sort` order, or
the error (including the SQL store's duplicate-field check). Python-only semantics that differ
from the SQL store are avoided in the fixture runs (e.g. no dataset input without a context tag).
"""
import json
import math
import sys

import mlflow
from mlflow.entities import (Dataset, DatasetInput, InputTag, Metric, Param, Run, RunData, RunInfo,
                             RunInputs, RunTag)
from mlflow.utils.search_utils import SearchUtils as S

RUNS = [
    # id, name, status, user, start, end, metrics, params, tags, datasets (name, digest, context)
    ("r1", "alpha", "FINISHED", "alice", 1000, 2000, {"auc": 0.91, "loss": 0.2},
     {"l2": "1.0", "lr": "0.1"}, {"team": "growth", "mlflow.source.type": "LOCAL"},
     [("customers", "d1", "training")]),
    ("r2", "beta", "FAILED", "bob", 2000, 2500, {"auc": 0.75, "loss": "NaN"},
     {"l2": "0.5", "lr": "0.01"}, {"team": "Growth"}, [("customers", "d2", "eval")]),
    ("r3", "gamma", "RUNNING", "alice", 3000, None, {"auc": 0.85},
     {"l2": "1.0"}, {"team": "core", "my key": "v 1"}, []),
    ("r4", "delta", "FINISHED", "carol", 1500, 1600, {"auc": 0.6, "loss": "Infinity"},
     {"l2": "10"}, {"team": "growth-eu"}, [("interactions", "d3", "training")]),
    ("r5", "\u00e9psilon", "KILLED", "Bob", 2000, 2100, {"auc": 0.85, "loss": -0.5},
     {"l2": "1.0", "percent": "50%"}, {"team": "GROWTH", "note": "a_b"}, []),
    ("r6", "zeta", "SCHEDULED", "alice", 500, None, {},
     {}, {"note": "a%b"}, []),
    ("r7", "alpha", "FINISHED", "dave", 4000, 5000, {"auc": 0.95, "acc": 1000.0},
     {"l2": "1.00"}, {"team": "growth"}, [("customers", "d1", "training"), ("holdout", "d4", "testing")]),
    ("r8", "theta_1", "FINISHED", "alice", 4000, 4500, {"auc": 0.5, "loss": 0.3},
     {"lr": "0.1"}, {"team": "growth", "path": "a\\b"}, []),
]


def make_run(r):
    rid, name, status, user, start, end, metrics, params, tags, datasets = r
    info = RunInfo(run_id=rid, experiment_id="1", user_id=user, status=status, start_time=start,
                   end_time=end, lifecycle_stage="active",
                   artifact_uri=f"mlflow-artifacts:/1/{rid}/artifacts", run_name=name)
    data = RunData(metrics=[Metric(k, float(v), 0, 0) for k, v in metrics.items()],
                   params=[Param(k, v) for k, v in params.items()],
                   tags=[RunTag(k, v) for k, v in tags.items()])
    inputs = RunInputs(dataset_inputs=[
        DatasetInput(Dataset(n, d, "local", "file:///x"), tags=[InputTag("mlflow.data.context", c)])
        for n, d, c in datasets])
    return Run(info, data, inputs)


FILTERS = [
    "",
    "metrics.auc > 0.8",
    "metrics.auc >= 0.85",
    "metrics.auc < 0.8",
    "metrics.auc <= 0.85",
    "metrics.auc = 0.85",
    "metrics.auc != 0.85",
    "metric.auc > .5",
    "metrics.acc > 1e3",
    "metrics.acc >= 1E3",
    "metrics.loss > -0.5",
    "metrics.loss >= -0.5",
    "metrics.loss != 0.2",
    "metrics.loss = 0.2",
    "metrics.loss > 1e308",
    "metrics.auc > 5.",
    "metrics.auc>0.9",
    "metrics.`auc` > 0.9",
    'metrics."auc" > 0.9',
    "metrics.nosuch > 0",
    "metrics.nosuch != 0",
    "metrics.auc > 0.8 and params.l2 = '1.0'",
    "metrics.auc > 0.8 AND params.l2 = '1.0' AND tags.team = 'growth' AND attributes.status = 'FINISHED'",
    "metrics.auc > 0.8 And tags.team = 'growth'",
    "params.l2 = '1.0'",
    'params.l2 = "1.0"',
    "param.l2 != '1.0'",
    "parameter.l2 = '10'",
    "parameters.lr = '0.1'",
    "params.l2 LIKE '1.%'",
    "params.l2 like '1._'",
    "params.percent LIKE '%\\%'",
    "params.percent LIKE '50%'",
    "params.nosuch != 'x'",
    "params.nosuch IS NULL",
    "params.lr IS NULL",
    "params.lr IS NOT NULL",
    "params.lr is not null",
    "tags.team = 'growth'",
    "tag.team != 'growth'",
    "tags.team LIKE 'growth%'",
    "tags.team ILIKE 'growth%'",
    "tags.team ilike 'GROWTH'",
    "tags.team LIKE 'Gr%'",
    "tags.team LIKE '%o%'",
    "tags.team LIKE '_rowth'",
    "tags.note LIKE 'a_b'",
    "tags.note LIKE 'a\\_b'",
    "tags.note = 'a%b'",
    "tags.path = 'a\\b'",
    "tags.path LIKE 'a\\%'",
    "tags.mlflow.source.type = 'LOCAL'",
    "tags.`mlflow.source.type` = 'LOCAL'",
    "tags.\"mlflow.source.type\" = 'LOCAL'",
    "tags.'mlflow.source.type' = 'LOCAL'",
    "tags.`my key` = 'v 1'",
    "tags.\"my key\" LIKE 'v%'",
    "tags.team IS NULL",
    "tags.nosuch != 'y'",
    "attributes.status = 'FINISHED'",
    "status = 'FINISHED'",
    "attr.status != 'FINISHED'",
    "run.status LIKE 'F%'",
    "attribute.status ILIKE 'f%'",
    "attributes.run_name = 'alpha'",
    "run_name = 'alpha'",
    "attributes.`run name` = 'alpha'",
    "attributes.`Run name` LIKE 'a%'",
    "attributes.run_name LIKE '\u00e9%'",
    "attributes.run_name ILIKE '\u00c9%'",
    "attributes.run_name LIKE 'theta_1'",
    "attributes.run_id = 'r3'",
    "attributes.run_id IN ('r1', 'r2', 'r9')",
    "attributes.run_id in ('r1')",
    "attributes.run_id NOT IN ('r1', 'r2')",
    "attributes.run_id not in ('r1','r2',)",
    "attributes.run_id IN (\"r4\", 'r5')",
    "attributes.user_id = 'alice'",
    "attributes.user_id ILIKE 'BOB'",
    "attributes.artifact_uri LIKE '%/r2/%'",
    "attributes.start_time > 1500",
    "attributes.start_time >= 1500",
    "attributes.created < 1500",
    "attributes.Created = 2000",
    "attributes.end_time < 2200",
    "attributes.end_time != 0",
    "attributes.end_time > 1999.5",
    "datasets.name = 'customers'",
    "dataset.name != 'customers'",
    "datasets.digest IN ('d3', 'd4')",
    "datasets.digest NOT IN ('d1')",
    "datasets.context = 'training'",
    "datasets.context LIKE 'test%'",
    "datasets.name = 'customers' AND datasets.context = 'testing'",
    # invalid
    "metrics.auc > 0.8 OR params.l2 = '1.0'",
    "(metrics.auc > 0.8)",
    "metrics.auc > '0.8'",
    "metrics.auc > +0.8",
    "metrics.auc LIKE 1",
    "metrics.auc IS NULL",
    "metrics.auc == 1",
    "metrics.auc <> 1",
    "metrics.auc IN (1, 2)",
    "metrics.train-loss < 1",
    "params.l2 = 1.0",
    "params.l2 > '1.0'",
    "params.l2 IN ('1.0')",
    "params.l2 = `1.0`",
    "params.l2 = abc",
    "tags.team = 'growth",
    "attributes.status IN ('FINISHED')",
    "attributes.status IS NULL",
    "attributes.status > 'A'",
    "attributes.lifecycle_stage = 'active'",
    "attributes.experiment_id = '1'",
    "attributes.start_time = '1000'",
    "attributes.start_time LIKE 1",
    "attributes.run_id IN ()",
    "attributes.run_id IN (1, 2)",
    "attributes.run_id IN 'r1'",
    "datasets.foo = 'x'",
    "datasets.name > 'a'",
    "foo.bar = 'x'",
    "METRICS.auc > 1",
    "metrics.auc > 0.8 params.l2 = '1.0'",
    "metrics.auc > 0.8; params.l2 = '1.0'",
    "metrics.auc > 0.8 AND",
    "AND metrics.auc > 0.8",
    "metrics.auc",
    "metrics.auc >",
    "params.l2 IS",
    "params.l2 IS NOT",
    "params.l2 NOT LIKE 'x'",
]

ORDERS = [
    [],
    ["metrics.auc DESC"],
    ["metrics.auc"],
    ["metrics.auc ASC"],
    ["metrics.loss"],
    ["metrics.loss DESC"],
    ["params.l2"],
    ["params.l2 DESC"],
    ["tags.team asc"],
    ["tags.`my key` DESC"],
    ["attributes.start_time"],
    ["attributes.start_time ASC"],
    ["start_time DESC"],
    ["attributes.created"],
    ["attributes.end_time"],
    ["attributes.end_time DESC"],
    ["attributes.run_name"],
    ["run_name DESC"],
    ["attributes.status", "metrics.auc DESC"],
    ["metrics.auc DESC", "params.l2 ASC"],
    ["attributes.user_id", "attributes.run_id DESC"],
    ["metrics.`auc` desc"],
    # invalid
    ["metrics.auc DOWN"],
    ["metrics.auc DESC ASC"],
    ["foo.auc"],
    ["attributes.nosuch"],
    ["datasets.name"],
    ["metrics.auc", "metrics.auc DESC"],
]


GRAMMAR_FILTERS = {
    "experiments": [
        "name = 'churn'",
        "attribute.name LIKE 'ch%'",
        "experiment_id IN ('1', '2')",
        "experiment_id NOT IN ('1')",
        "creation_time > 1000",
        "last_update_time <= 5",
        "tags.team = 'growth'",
        "tag.team IS NULL",
        "tags.`a b` IS NOT NULL",
        "attr.name = 'x'",
        "metrics.auc > 1",
        "name IN ('a')",
        "status = 'x'",
        "creation_time = 'x'",
    ],
    "registered_models": [
        "name = 'churn'",
        "name LIKE 'ch%'",
        "name ILIKE 'CH%'",
        "name IN ('churn', 'recs')",
        "tags.team = 'growth'",
        "tag.`mlflow.prompt.is_prompt` != 'true'",
        "name LIKE '%' AND tag.`mlflow.prompt.is_prompt` != 'true'",
        "tags.`mlflow.prompt.is_prompt` = 'false'",
        "tags.`mlflow.prompt.is_prompt` = 'true'",
        "tags.team != 'growth'",
        "tags.team LIKE 'gr%'",
        "attributes.name != 'churn'",
        "tags.team IS NULL",
        "metrics.auc > 1",
        "attr.name = 'x'",
        "run_id = 'x'",
        "tags.team IN ('a')",
        "name > 'a'",
    ],
    "model_versions": [
        "name = 'churn'",
        "name IN ('churn', 'recs')",
        "run_id = 'abc'",
        "run_id IN ('a', 'b')",
        "source_path LIKE 'mlflow-artifacts:/%'",
        "version_number = 3",
        "version_number > 2",
        "version_number = '3'",
        "tags.stage = 'x'",
        "tag.`mlflow.prompt.is_prompt` != 'true'",
        "source_path IN ('x')",
        "creation_timestamp > 1",
        "params.x = 'y'",
        "tags.x IS NULL",
    ],
}

MODELS = [
    ("churn", {"team": "growth"}),
    ("recs", {"team": "core"}),
    ("prompt-1", {"mlflow.prompt.is_prompt": "true", "team": "growth"}),
    ("chat", {"mlflow.prompt.is_prompt": "false"}),
]


def grammar_cases():
    from mlflow.entities.model_registry import RegisteredModel, RegisteredModelTag
    from mlflow.utils.search_utils import (SearchExperimentsUtils, SearchModelUtils,
                                           SearchModelVersionUtils)
    classes = {"experiments": SearchExperimentsUtils, "registered_models": SearchModelUtils,
               "model_versions": SearchModelVersionUtils}
    models = [RegisteredModel(n, tags=[RegisteredModelTag(k, v) for k, v in t.items()]) for n, t in MODELS]
    out = {}
    for grammar, filters in GRAMMAR_FILTERS.items():
        cls = classes[grammar]
        cases = []
        for f in filters:
            case = {"filter": f}
            try:
                parsed = cls.parse_search_filter(f)
                clauses = []
                for c in parsed:
                    t, k, comp, v = c["type"], c["key"], c["comparator"].upper(), c["value"]
                    if t == "attribute" and k in cls.NUMERIC_ATTRIBUTES:
                        if not cls.is_numeric_attribute(t, k, comp):
                            raise ValueError("comparator")
                        v = float(v)
                    elif t == "attribute":
                        cls.is_string_attribute(t, k, comp)
                    elif not cls.is_tag(t, comp):
                        raise ValueError(f"Invalid search expression type '{t}'")
                    if isinstance(v, tuple):
                        v = list(v)
                    clauses.append({"type": t, "key": k, "comparator": comp, "value": v})
                case["clauses"] = clauses
                if grammar == "registered_models":
                    case["matches"] = sorted(m.name for m in SearchModelUtils.filter(models, f))
            except Exception as e:
                case["error"] = str(e)
            cases.append(case)
        out[grammar] = cases
    return out


def validate_like_sql_store(parsed):
    for c in parsed:
        t, k, comp = c["type"], S.translate_key_alias(c["key"]), c["comparator"].upper()
        if S.is_string_attribute(t, k, comp) or S.is_numeric_attribute(t, k, comp):
            continue
        if not (S.is_metric(t, comp) or S.is_param(t, comp) or S.is_tag(t, comp) or S.is_dataset(t, comp)):
            raise ValueError(f"Invalid search expression type '{t}'")


def normalise(c):
    t, k, comp, v = c["type"], S.translate_key_alias(c["key"]), c["comparator"].upper(), c["value"]
    if t == "metric":
        v = float(v)
    elif isinstance(v, tuple):
        v = list(v)
    elif t == "attribute" and k in ("start_time", "end_time"):
        v = float(v)
    return {"type": t, "key": k, "comparator": comp, "value": v}


def float_json(v):
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    if isinstance(v, float) and math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def main():
    runs = [make_run(r) for r in RUNS]
    out = {"mlflow_version": mlflow.__version__, "runs": [], "filters": [], "orders": [],
           "models": [{"name": n, "tags": t} for n, t in MODELS]}
    for rid, name, status, user, start, end, metrics, params, tags, datasets in RUNS:
        out["runs"].append({
            "run_id": rid, "run_name": name, "status": status, "user_id": user,
            "start_time": start, "end_time": end,
            "artifact_uri": f"mlflow-artifacts:/1/{rid}/artifacts",
            "metrics": {k: float_json(float(v)) for k, v in metrics.items()},
            "params": params, "tags": tags,
            "datasets": [{"name": n, "digest": d, "context": c} for n, d, c in datasets],
        })
    for f in FILTERS:
        case = {"filter": f}
        try:
            parsed = S.parse_search_filter(f)
            validate_like_sql_store(parsed)
            case["clauses"] = [normalise(c) for c in parsed]
            case["matches"] = sorted(r.info.run_id for r in S.filter(runs, f))
        except Exception as e:
            case["error"] = str(e)
        out["filters"].append(case)
    for o in ORDERS:
        case = {"order_by": o}
        try:
            seen = set()
            for item in o:
                t, k, _ = S.parse_order_by_for_search_runs(item)
                k = S.translate_key_alias(k)
                if t == "dataset":
                    raise ValueError(f"Invalid identifier type '{t}'")
                if (t, k) in seen:
                    raise ValueError(f"`order_by` contains duplicate fields: {o}")
                seen.add((t, k))
            case["run_ids"] = [r.info.run_id for r in S.sort(runs, o)]
        except Exception as e:
            case["error"] = str(e)
        out["orders"].append(case)
    out["grammars"] = grammar_cases()
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
