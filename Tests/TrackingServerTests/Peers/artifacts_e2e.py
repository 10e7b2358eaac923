"""The real mlflow client's artifact calls against a tracking server (argv[1]): log_artifact,
log_artifacts, log_text/log_dict, MlflowClient.list_artifacts, mlflow.artifacts.download_artifacts
and load_text, every byte compared with the source. Prints one JSON summary line last:
{"ok": true, "checks": N, ...} or {"ok": false, "failed": "..."} (exit 1)."""
import filecmp
import json
import os
import random
import sys
import tempfile

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402

checks = 0


def check(cond, what):
    global checks
    if not cond:
        print(json.dumps({"ok": False, "failed": what, "checks": checks}))
        sys.exit(1)
    checks += 1


def same_tree(a, b):
    """True when directories a and b hold the same relative files with equal bytes."""
    def files(root):
        out = set()
        for d, _, names in os.walk(root):
            for n in names:
                out.add(os.path.relpath(os.path.join(d, n), root))
        return out
    fa, fb = files(a), files(b)
    if fa != fb:
        return False
    return all(filecmp.cmp(os.path.join(a, f), os.path.join(b, f), shallow=False) for f in fa)


mlflow.set_tracking_uri(sys.argv[1])
tmp = tempfile.mkdtemp()
src = os.path.join(tmp, "src")
os.makedirs(os.path.join(src, "nested", "deeper"))
rng = random.Random(7)
with open(os.path.join(src, "a.txt"), "w") as f:
    f.write("alpha\n")
with open(os.path.join(src, "space name.txt"), "w") as f:
    f.write("spaces\n")
with open(os.path.join(src, "nested", "été.csv"), "w", encoding="utf-8") as f:
    f.write("x,y\n1,2\n")
with open(os.path.join(src, "nested", "deeper", "w.bin"), "wb") as f:
    f.write(bytes(rng.getrandbits(8) for _ in range(50_000)))
notes = os.path.join(tmp, "notes.txt")
with open(notes, "w") as f:
    f.write("hello\n")
big = os.path.join(tmp, "big.bin")
with open(big, "wb") as f:
    f.write(rng.randbytes(3 * 1024 * 1024 + 17))

exp_id = mlflow.set_experiment("artifacts-e2e").experiment_id
with mlflow.start_run() as run:
    mlflow.log_artifact(notes)
    mlflow.log_artifact(big, "blobs")
    mlflow.log_artifacts(src, "tree")
    mlflow.log_text("inline text", "texts/inline.txt")
    mlflow.log_dict({"a": 1}, "texts/d.json")
run_id = run.info.run_id
client = MlflowClient()
check(run.info.artifact_uri == f"mlflow-artifacts:/{exp_id}/{run_id}/artifacts", f"artifact_uri {run.info.artifact_uri}")

root = client.list_artifacts(run_id)
check([(f.path, f.is_dir) for f in root] == [("blobs", True), ("notes.txt", False), ("texts", True), ("tree", True)],
      f"root listing {[(f.path, f.is_dir) for f in root]}")
check([f.file_size for f in root if not f.is_dir] == [6], "notes.txt size")
tree = client.list_artifacts(run_id, "tree")
check([(f.path, f.is_dir, f.file_size) for f in tree] ==
      [("tree/a.txt", False, 6), ("tree/nested", True, None), ("tree/space name.txt", False, 7)],
      f"tree listing {[(f.path, f.is_dir, f.file_size) for f in tree]}")
nested = client.list_artifacts(run_id, "tree/nested")
check([f.path for f in nested] == ["tree/nested/deeper", "tree/nested/été.csv"], f"nested listing {[f.path for f in nested]}")
check(client.list_artifacts(run_id, "notes.txt") == [], "listing a file is empty")
check(client.list_artifacts(run_id, "missing") == [], "listing a missing path is empty")
blobs = client.list_artifacts(run_id, "blobs")
check([(f.path, f.file_size) for f in blobs] == [("blobs/big.bin", os.path.getsize(big))], "big file size")

everything = mlflow.artifacts.download_artifacts(run_id=run_id, dst_path=os.path.join(tmp, "all"))
check(same_tree(os.path.join(everything, "tree"), src), "log_artifacts tree round trip")
check(filecmp.cmp(os.path.join(everything, "notes.txt"), notes, shallow=False), "notes.txt round trip")
check(filecmp.cmp(os.path.join(everything, "blobs", "big.bin"), big, shallow=False), "big.bin round trip")
with open(os.path.join(everything, "texts", "d.json")) as f:
    check(json.load(f) == {"a": 1}, "log_dict round trip")

one = mlflow.artifacts.download_artifacts(artifact_uri=f"runs:/{run_id}/blobs/big.bin", dst_path=os.path.join(tmp, "one"))
check(filecmp.cmp(one, big, shallow=False), "single file download via runs:/")
sub = mlflow.artifacts.download_artifacts(artifact_uri=f"{run.info.artifact_uri}/tree/nested", dst_path=os.path.join(tmp, "sub"))
check(same_tree(sub, os.path.join(src, "nested")), "subdirectory download via mlflow-artifacts:/")
check(mlflow.artifacts.load_text(f"runs:/{run_id}/texts/inline.txt") == "inline text", "load_text")

# Overwrite: the second upload replaces the first.
with open(notes, "w") as f:
    f.write("hello again\n")
client.log_artifact(run_id, notes)
check(mlflow.artifacts.load_text(f"runs:/{run_id}/notes.txt") == "hello again\n", "overwrite")

try:
    mlflow.artifacts.download_artifacts(artifact_uri=f"runs:/{run_id}/nope.txt", dst_path=os.path.join(tmp, "nope"))
    check(False, "downloading a missing artifact must fail")
except Exception as e:  # noqa: BLE001
    check("nope.txt" in str(e) or "404" in str(e) or "RESOURCE_DOES_NOT_EXIST" in str(e), f"missing download error: {e}")

print(json.dumps({"ok": True, "checks": checks, "run_id": run_id, "experiment_id": exp_id}))
