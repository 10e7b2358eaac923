import Foundation
import Testing
import TestSupport
@testable import GoldTables

/// Tables written by the `deltalake` package (delta-rs) at test time, read by us and compared cell
/// by cell with deltalake's own reading of the same version.
@Suite(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
struct DeltaDeltalakeTests {
    /// appends, a DELETE (copy-on-write removes), an overwrite, a checkpoint, NULL and escaped
    /// partition values; commit mtimes set to base + 1000 s × version.
    static let generator = #"""
import sys, os, json, datetime, decimal
import pyarrow as pa
from deltalake import write_deltalake, DeltaTable
path = sys.argv[1]
def batch(seed, n, base):
    import random
    r = random.Random(seed)
    regions = ["us east", "eu", None, "a:b/c=d%"]
    return pa.table({
        "id": pa.array([base + i for i in range(n)], pa.int64()),
        "region": pa.array([regions[r.randrange(4)] for _ in range(n)], pa.string()),
        "value": pa.array([None if r.random() < 0.1 else r.uniform(-1e6, 1e6) for _ in range(n)], pa.float64()),
        "name": pa.array([None if r.random() < 0.2 else "n%d" % r.randrange(1000) for _ in range(n)], pa.string()),
        "ts": pa.array([r.randrange(-10**15, 4 * 10**15) for _ in range(n)], pa.timestamp("us", tz="UTC")),
        "day": pa.array([r.randrange(-5000, 30000) for _ in range(n)], pa.date32()),
        "amount": pa.array([decimal.Decimal(r.randrange(-10**8, 10**8)).scaleb(-2) for _ in range(n)], pa.decimal128(10, 2)),
        "small": pa.array([r.randrange(-30000, 30000) for _ in range(n)], pa.int16()),
        "tiny": pa.array([r.randrange(-100, 100) for _ in range(n)], pa.int8()),
        "flag": pa.array([r.random() < 0.5 for _ in range(n)], pa.bool_()),
        "f32": pa.array([r.randrange(-1000, 1000) / 8 for _ in range(n)], pa.float32()),
    })
pb = ["region"]
write_deltalake(path, batch(1, 300, 0), partition_by=pb)
write_deltalake(path, batch(2, 200, 1000), mode="append", partition_by=pb)
DeltaTable(path).delete("id % 7 = 0")
write_deltalake(path, batch(3, 150, 5000), mode="overwrite", partition_by=pb)
write_deltalake(path, batch(4, 100, 8000), mode="append", partition_by=pb)
DeltaTable(path).create_checkpoint()
write_deltalake(path, batch(5, 80, 9000), mode="append", partition_by=pb)
DeltaTable(path).delete("region = 'eu'")
base = 1_700_000_000
v = DeltaTable(path).version()
for i in range(v + 1):
    f = os.path.join(path, "_delta_log", "%020d.json" % i)
    os.utime(f, (base + 1000 * i, base + 1000 * i))
print(json.dumps({"latest": v, "base": base}))
"""#

    @Test func everyVersionMatchesDeltalake() throws {
        let dir = try TestPaths.tempDir("delta-rs").appendingPathComponent("t").path
        guard let info = try PythonPeer.json(Self.generator, args: [dir]) as? [String: Any],
              let latest = (info["latest"] as? NSNumber)?.int64Value, let base = (info["base"] as? NSNumber)?.doubleValue else {
            Issue.record("generator output"); return
        }
        let table = try DeltaTable(path: dir)
        #expect(try table.latestVersion() == latest)
        #expect(try table.log.list().checkpoints.count == 1)
        for v in 0 ... latest {
            let peer = try PeerView.read(dir, version: v)
            let snap = try table.snapshot(version: v)
            #expect(snap.schema.names.sorted() == peer.columns.sorted())
            let ours = Canon.rows(try snap.read(), columns: peer.columns)
            #expect(ours.count == peer.rows.count, "version \(v)")
            #expect(ours == peer.rows, "version \(v)")
            #expect(snap.files.count == peer.files, "version \(v)")
        }
        // Timestamp time travel on the commit files' modification times.
        for v in 0 ... latest {
            let at = Date(timeIntervalSince1970: base + 1000 * Double(v) + 500)
            #expect(try table.snapshot(timestamp: at).version == v)
            #expect(try table.snapshot(timestamp: Date(timeIntervalSince1970: base + 1000 * Double(v))).version == v)
        }
        #expect(throws: DeltaError.self) { try table.snapshot(timestamp: Date(timeIntervalSince1970: base - 1)) }
        #expect(try table.snapshot(timestamp: Date(timeIntervalSince1970: base + 1e6)).version == latest)
        let h = try table.history()
        #expect(h.count == Int(latest) + 1)
        #expect(h.first?.engineInfo?.hasPrefix("delta-rs") == true)
        #expect(h.map(\.operation).contains("DELETE"))
    }

    @Test func columnMappingNameMode() throws {
        let dir = try TestPaths.tempDir("delta-rs-cm").appendingPathComponent("t").path
        let script = #"""
import sys, pyarrow as pa
from deltalake import write_deltalake
t = pa.table({"id": pa.array([1, 2, 3], pa.int64()), "Label Name": pa.array(["a", None, "c"]), "p": pa.array(["x", "y", "x"])})
write_deltalake(sys.argv[1], t, partition_by=["p"], configuration={"delta.columnMapping.mode": "name"})
write_deltalake(sys.argv[1], pa.table({"id": pa.array([4], pa.int64()), "Label Name": pa.array(["d"]), "p": pa.array([None], pa.string())}), mode="append", partition_by=["p"])
"""#
        try PythonPeer.run(script, args: [dir])
        // deltalake 1.6.6's to_pyarrow_table reads this table's data columns back as nulls; its
        // DataFusion reader (QueryBuilder) gets the written rows, as we must.
        let expected = [["1", "a", "x"], ["2", "None", "y"], ["3", "c", "x"], ["4", "d", "None"]]
        let peer = try PeerView.read(dir, sql: true)
        #expect(peer.rows == expected)
        let snap = try DeltaTable(path: dir).snapshot()
        #expect(snap.columnMappingMode == "name")
        #expect(snap.schema["Label Name"]?.metadata["delta.columnMapping.physicalName"]?.hasPrefix("col-") == true)
        #expect(Canon.rows(try snap.read(), columns: ["id", "Label Name", "p"]) == expected)

        // The same table in `id` mode with wrong physical names: columns resolve by Parquet field_id.
        let logFile = dir + "/_delta_log/00000000000000000000.json"
        var lines = try String(contentsOfFile: logFile, encoding: .utf8).split(separator: "\n").map(String.init)
        for (i, line) in lines.enumerated() {
            guard var obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  var meta = obj["metaData"] as? [String: Any], let ss = meta["schemaString"] as? String,
                  var schema = try JSONSerialization.jsonObject(with: Data(ss.utf8)) as? [String: Any],
                  var fields = schema["fields"] as? [[String: Any]] else { continue }
            for j in fields.indices where fields[j]["name"] as? String != "p" {
                var m = fields[j]["metadata"] as? [String: Any] ?? [:]
                m["delta.columnMapping.physicalName"] = "wrong-\(j)"
                fields[j]["metadata"] = m
            }
            schema["fields"] = fields
            meta["schemaString"] = String(decoding: try JSONSerialization.data(withJSONObject: schema), as: UTF8.self)
            var conf = meta["configuration"] as? [String: Any] ?? [:]
            conf["delta.columnMapping.mode"] = "id"
            meta["configuration"] = conf
            obj["metaData"] = meta
            lines[i] = String(decoding: try JSONSerialization.data(withJSONObject: obj), as: UTF8.self)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: logFile, atomically: true, encoding: .utf8)
        let byId = try DeltaTable(path: dir).snapshot()
        #expect(byId.columnMappingMode == "id")
        let got = Canon.rows(try byId.read(), columns: ["id", "Label Name", "p"])
        #expect(got == expected)
    }
}
