import Foundation
import Testing
import TestSupport
@testable import GoldTables

/// Reads the Spark-written Parquet files of the Delta golden tables (INT96 timestamps, nested
/// list/struct columns, parquet-mr checkpoints) and checks the values the fixture README states.
@Suite struct ParquetSparkFixtureTests {
    static var golden: URL? { TestPaths.deltaGolden }

    static func parquetFiles(under dir: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { $0.pathExtension == "parquet" }.sorted { $0.path < $1.path }
    }

    /// Nanoseconds since the epoch of a UTC civil time (independent of the reader's date code).
    static func utcNanos(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, ms: Int = 0) -> Int64 {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC") ?? cal.timeZone
        let date = cal.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s)) ?? Date(timeIntervalSince1970: 0)
        return Int64(date.timeIntervalSince1970.rounded()) * 1_000_000_000 + Int64(ms) * 1_000_000
    }

    @Test(.enabled(if: TestPaths.deltaGolden != nil, "needs ../shared/fixtures/delta-golden"))
    func int96TimestampsMatchTheReadme() throws {
        let dir = try #require(Self.golden).appendingPathComponent("kernel-timestamp-INT96")
        var byId: [Int64: Value] = [:]
        for url in Self.parquetFiles(under: dir) where !url.path.contains("_delta_log") {
            let f = try ParquetFile(path: url.path)
            #expect(f.schema["time"]?.type == .timestamp(unit: .nanoseconds, utc: true))
            #expect(f.leaves.first { $0.path == ["time"] }?.physicalType == .int96)
            let t = try f.read()
            let ids = try #require(t.column(named: "id"))
            let times = try #require(t.column(named: "time"))
            for i in 0 ..< t.rowCount {
                guard case .int(let id) = ids.value(at: i) else { continue }
                byId[id] = times.value(at: i)
            }
        }
        #expect(byId[0] == .timestamp(Self.utcNanos(2020, 2, 1, 8, 9, 10), .nanoseconds, utc: true))
        #expect(byId[1] == .timestamp(Self.utcNanos(1999, 1, 1, 9, 0, 0), .nanoseconds, utc: true))
        #expect(byId[2] == .timestamp(Self.utcNanos(2000, 1, 1, 9, 0, 0), .nanoseconds, utc: true))
        #expect(byId[3] == .timestamp(Self.utcNanos(1969, 1, 1, 0, 0, 0), .nanoseconds, utc: true))
        #expect(byId[4] == .null)
    }

    @Test(.enabled(if: TestPaths.deltaGolden != nil, "needs ../shared/fixtures/delta-golden"))
    func nestedListAndStructColumnsAsJSON() throws {
        let dir = try #require(Self.golden).appendingPathComponent("data-reader-partition-values")
        var seen = Set<Int>()
        for url in Self.parquetFiles(under: dir) where !url.path.contains("_delta_log") {
            let i = url.path.contains("as_int=0/") ? 0 : url.path.contains("as_int=1/") ? 1 : 2
            let f = try ParquetFile(path: url.path)
            #expect(f.schema["as_list_of_records"]?.type == .json(nestedType: "list<struct<val:int32>>"))
            #expect(f.schema["as_nested_struct"]?.type == .json(nestedType: "struct<aa:string,ab:string,ac:struct<aca:int32,acb:int64>>"))
            let t = try f.read()
            #expect(t.rowCount == 1)
            #expect(t.column(named: "as_list_of_records")?.value(at: 0) == .json("[{\"val\":\(i)},{\"val\":\(i)},{\"val\":\(i)}]"))
            #expect(t.column(named: "as_nested_struct")?.value(at: 0)
                == .json("{\"aa\":\"\(i)\",\"ab\":\"\(i)\",\"ac\":{\"aca\":\(i),\"acb\":\(i)}}"))
            #expect(t.column(named: "value")?.value(at: 0) == .string("\(i)"))
            seen.insert(i)
        }
        #expect(seen == [0, 1, 2])
    }

    @Test(.enabled(if: TestPaths.deltaGolden != nil, "needs ../shared/fixtures/delta-golden"))
    func checkpointLeavesWithSparkLevels() throws {
        let log = try #require(Self.golden).appendingPathComponent("multi-part-checkpoint/_delta_log")
        var paths: [String] = []
        var config: [String: String] = [:]
        var readerVersions: [Int64] = []
        for part in ["00000000000000000001.checkpoint.0000000001.0000000002.parquet",
                     "00000000000000000001.checkpoint.0000000002.0000000002.parquet"] {
            let f = try ParquetFile(path: log.appendingPathComponent(part).path)
            let addPath = try #require(f.leaf(["add", "path"]))
            #expect(addPath.maxDef == 2 && addPath.maxRep == 0) // Spark: all OPTIONAL
            let key = try #require(f.leaf(["metaData", "configuration", "key_value", "key"]))
            #expect(key.maxDef == 3 && key.maxRep == 1)
            for g in 0 ..< f.rowGroupCount {
                let p = try f.readLeaf(path: ["add", "path"], rowGroup: g)
                #expect(p.repLevels == nil)
                let defs = try #require(p.defLevels)
                #expect(defs.count == Int(f.metadata.rowGroups[g].numRows))
                let b = try #require(p.values.materializedBytes)
                #expect(b.count == defs.filter { $0 == 2 }.count)
                for i in 0 ..< b.count { paths.append(b.string(i)) }

                let k = try f.readLeaf(path: ["metaData", "configuration", "key_value", "key"], rowGroup: g)
                let v = try f.readLeaf(path: ["metaData", "configuration", "key_value", "value"], rowGroup: g)
                let kb = try #require(k.values.materializedBytes), vb = try #require(v.values.materializedBytes)
                #expect(k.repLevels?.count == k.defLevels?.count)
                var vi = 0, ki = 0
                for (e, d) in (k.defLevels ?? []).enumerated() where d == 3 {
                    // value present iff its def == 4
                    let vd = v.defLevels?[e] ?? 0
                    config[kb.string(ki)] = vd == 4 ? vb.string(vi) : nil
                    ki += 1
                    if vd == 4 { vi += 1 }
                }
                let pv = try f.readLeaf(path: ["protocol", "minReaderVersion"], rowGroup: g)
                if case .int32(let vs) = pv.values { readerVersions += vs.map(Int64.init) }
            }
        }
        #expect(config == ["delta.checkpointInterval": "1"])
        #expect(readerVersions == [1])
        let dataFiles = Set(Self.parquetFiles(under: log.deletingLastPathComponent())
            .filter { !$0.path.contains("_delta_log") }.map(\.lastPathComponent))
        #expect(paths.count == 10)
        #expect(Set(paths) == dataFiles)
    }

    static let dumpScript = #"""
import sys, json, math, datetime
import pyarrow as pa, pyarrow.parquet as pq
def norm(v, t):
    if v is None: return None
    if pa.types.is_floating(t):
        if math.isnan(v): return 'NaN'
        if math.isinf(v): return 'Infinity' if v > 0 else '-Infinity'
        return v
    if pa.types.is_binary(t): return v.hex()
    if pa.types.is_date32(t): return (v - datetime.date(1970, 1, 1)).days
    if pa.types.is_decimal(t): return format(v, 'f')
    if pa.types.is_map(t): return [{'key': norm(k, t.key_type), 'value': norm(x, t.item_type)} for k, x in v]
    if pa.types.is_list(t): return [norm(x, t.value_type) for x in v]
    if pa.types.is_struct(t): return {f.name: norm(v[f.name], f.type) for f in t}
    return v
out = {}
for p in sys.argv[1:]:
    t = pq.ParquetFile(p).read()
    d = {}
    for f in t.schema:
        c = t.column(f.name)
        d[f.name] = c.cast(pa.int64()).to_pylist() if pa.types.is_timestamp(f.type) else [norm(v, f.type) for v in c.to_pylist()]
    out[p] = {'columns': d, 'row_groups': pq.ParquetFile(p).metadata.num_row_groups}
print(json.dumps(out))
"""#

    @Test(.enabled(if: TestPaths.deltaGolden != nil && PythonPeer.available, "needs delta-golden fixtures and MLTRACK_PYTHON"))
    func everyGoldenParquetFileMatchesPyarrow() throws {
        let files = Self.parquetFiles(under: try #require(Self.golden)).map(\.path)
        #expect(files.count > 30)
        let expected = try #require(try PythonPeer.json(Self.dumpScript, args: files) as? [String: Any])
        for p in files {
            let t = try ParquetFile(path: p).read()
            let problems = PyarrowFixtures.compare(t, name: p, expected: expected)
            #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))")
        }
    }
}

/// Checkpoints written by delta-rs (parquet-rs, many REQUIRED fields, UNCOMPRESSED): the leaf
/// levels differ from Spark's and must come from the file schema.
@Suite struct ParquetDeltaRsCheckpointTests {
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (deltalake, pyarrow)"))
    func deltaRsCheckpointLeavesAndCells() throws {
        let dir = try TestPaths.tempDir("mltrack-pqckpt")
        let script = #"""
import sys, glob, json
import pyarrow as pa
from deltalake import write_deltalake, DeltaTable
p = sys.argv[1]
for i in range(3):
    t = pa.table({'id': [i * 10 + j for j in range(5)], 'part': ['a b' if i % 2 else 'x'] * 5})
    write_deltalake(p, t, mode='append', partition_by=['part'], configuration={'delta.appendOnly': 'false'})
dt = DeltaTable(p)
dt.create_checkpoint()
print(json.dumps({'checkpoint': sorted(glob.glob(p + '/_delta_log/*.checkpoint.parquet'))[-1],
                  'files': sorted(dt.file_uris())}))
"""#
        let info = try #require(try PythonPeer.json(script, args: [dir.path]) as? [String: Any])
        let ckpt = try #require(info["checkpoint"] as? String)
        let files = try #require(info["files"] as? [String])
        let f = try ParquetFile(path: ckpt)
        let addPath = try #require(f.leaf(["add", "path"]))
        var paths: [String] = []
        var partValues: [String] = []
        for g in 0 ..< f.rowGroupCount {
            let p = try f.readLeaf(path: ["add", "path"], rowGroup: g)
            let b = try #require(p.values.materializedBytes)
            for i in 0 ..< b.count { paths.append(b.string(i)) }
            #expect(b.count == (p.defLevels ?? []).filter { Int($0) == addPath.maxDef }.count)
            let v = try f.readLeaf(path: ["add", "partitionValues", "key_value", "value"], rowGroup: g)
            if let vb = v.values.materializedBytes { for i in 0 ..< vb.count { partValues.append(vb.string(i)) } }
        }
        #expect(paths.count == 3)
        #expect(Set(paths.map { $0.removingPercentEncoding ?? $0 }.map { String($0.split(separator: "/").last ?? "") })
            == Set(files.map { String($0.split(separator: "/").last ?? "") }))
        #expect(partValues.sorted() == ["a b", "x", "x"])
        // Every cell of the checkpoint, nested columns included, matches pyarrow.
        let expected = try #require(try PythonPeer.json(ParquetSparkFixtureTests.dumpScript, args: [ckpt]) as? [String: Any])
        let problems = PyarrowFixtures.compare(try f.read(), name: ckpt, expected: expected)
        #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))")
    }
}
