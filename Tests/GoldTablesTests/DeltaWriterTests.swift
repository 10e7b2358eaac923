import Foundation
import Testing
import TestSupport
@testable import GoldTables

/// Canonical text of cells, shared with the Python side (`canon` below): the same text means the
/// same value.
enum Canon {
    static func text(_ v: Value) -> String {
        switch v {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let f): return Double(f).description
        case .double(let d): return d.description
        case .string(let s): return s
        case .binary(let b): return b.map { String(format: "%02x", $0) }.joined()
        case .date(let d): return DeltaPartitions.text(.date(d), type: .date) ?? ""
        case .timestamp(let t, let unit, _): return String(TimeUnitConversion.convert([t], from: unit, to: .microseconds)[0])
        case .decimal(let u, let s): return DeltaPartitions.decimalText(u, scale: s)
        case .json(let j): return j
        }
    }

    /// Rows of `t` as canonical text in the order of `columns`, sorted.
    static func rows(_ t: Table, columns: [String]) -> [[String]] {
        let cols = columns.compactMap { t.column(named: $0) }
        return (0 ..< t.rowCount).map { r in cols.map { text($0.value(at: r)) } }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Python: reads the Delta table at argv[1] with deltalake (optionally version argv[2]) and prints
    /// {"version", "columns", "rows" (canonical text), "pyarrow_rows" (data columns of the add files
    /// read by pyarrow.parquet), "files"}.
    static let readScript = #"""
import sys, json, decimal, datetime
import pyarrow as pa, pyarrow.parquet as pq
from deltalake import DeltaTable
path = sys.argv[1]
dt = DeltaTable(path, version=int(sys.argv[2])) if len(sys.argv) > 2 and sys.argv[2] != "-" else DeltaTable(path)
def canon_table(t):
    cols = []
    for i, f in enumerate(t.schema):
        c = t.column(i)
        if pa.types.is_timestamp(f.type):
            c = c.cast(pa.timestamp('us', tz=f.type.tz)).cast(pa.int64())
        cols.append(c.to_pylist())
    def canon(v):
        if v is None: return "None"
        if isinstance(v, bool): return "True" if v else "False"
        if isinstance(v, float): return repr(v)
        if isinstance(v, decimal.Decimal): return str(v)
        if isinstance(v, datetime.date): return v.isoformat()
        if isinstance(v, bytes): return v.hex()
        return str(v)
    rows = [[canon(c[r]) for c in cols] for r in range(t.num_rows)]
    rows.sort()
    return t.schema.names, rows
if len(sys.argv) > 3 and sys.argv[3] == "sql":
    # deltalake's DataFusion path (to_pyarrow_table reads column-mapped tables as nulls in 1.6.6).
    from deltalake import QueryBuilder
    t = pa.table(QueryBuilder().register("t", dt).execute("select * from t").read_all())
else:
    t = dt.to_pyarrow_table()
names, rows = canon_table(t)
parts = dt.metadata().partition_columns
pa_rows = []
data_names = [n for n in names if n not in parts]
if dt.metadata().configuration.get("delta.columnMapping.mode", "none") == "none":
    # pyarrow over the add files (physical = logical names without column mapping).
    for uri in dt.file_uris():
        ft = pq.read_table(uri.replace("file://", ""))
        ft = ft.select(data_names)
        pa_rows += canon_table(ft)[1]
pa_rows.sort()
print(json.dumps({"version": dt.version(), "columns": names, "rows": rows, "pyarrow_rows": pa_rows,
                  "data_columns": data_names, "files": len(dt.file_uris()), "partitions": parts}))
"""#
}

struct PeerView {
    var version: Int64
    var columns: [String]
    var rows: [[String]]
    var pyarrowRows: [[String]]
    var dataColumns: [String]
    var files: Int
    var partitions: [String]

    static func read(_ path: String, version: Int64? = nil, sql: Bool = false) throws -> PeerView {
        let j = try PythonPeer.json(Canon.readScript, args: [path, version.map(String.init) ?? "-"] + (sql ? ["sql"] : []))
        guard let d = j as? [String: Any] else { throw PythonPeer.Failure(description: "bad peer output") }
        return PeerView(
            version: (d["version"] as? NSNumber)?.int64Value ?? -1, columns: d["columns"] as? [String] ?? [],
            rows: d["rows"] as? [[String]] ?? [], pyarrowRows: d["pyarrow_rows"] as? [[String]] ?? [],
            dataColumns: d["data_columns"] as? [String] ?? [], files: (d["files"] as? NSNumber)?.intValue ?? -1,
            partitions: d["partitions"] as? [String] ?? [])
    }
}

enum WriterSample {
    /// A seeded table of every flat Delta type; `region` has a NULL, an empty string (= NULL in
    /// Delta), a space and characters needing escapes.
    static func table(rows n: Int, seed: UInt64, idBase: Int64 = 0) throws -> Table {
        var s = seed
        func rnd() -> UInt64 { s = s &* 6364136223846793005 &+ 1442695040888963407; return s >> 17 }
        let regions: [String?] = ["us east", "eu", nil, "a:b/c=d%", ""]
        var region = ByteArrayBuffer(), regionValid: [Bool] = []
        var note = ByteArrayBuffer(), noteValid: [Bool] = []
        var ids: [Int64] = [], small: [Int32] = [], score: [Double] = [], flag: [Bool] = [], day: [Int32] = []
        var ts: [Int64] = [], amount: [Int128] = [], scoreValid: [Bool] = []
        for i in 0 ..< n {
            ids.append(idBase + Int64(i))
            let r = regions[Int(rnd() % UInt64(regions.count))]
            if let r { region.append(r); regionValid.append(true) } else { region.appendEmpty(); regionValid.append(false) }
            if rnd() % 4 == 0 { note.appendEmpty(); noteValid.append(false) } else { note.append("note \(rnd() % 1000) é"); noteValid.append(true) }
            small.append(Int32(truncatingIfNeeded: Int64(rnd() % 2000) - 1000))
            score.append(Double(Int64(rnd() % 100_000) - 50000) / 64)
            scoreValid.append(rnd() % 7 != 0)
            flag.append(rnd() % 2 == 0)
            day.append(Int32(rnd() % 40000) - 5000)
            ts.append(Int64(rnd() % 4_000_000_000_000_000) - 1_000_000_000_000_000)
            amount.append(Int128(Int64(rnd() % 10_000_000)) - 5_000_000)
        }
        return try Table([
            Column(Field("id", .int64, nullable: false), data: .int64(ids)),
            Column(Field("region", .string), data: .bytes(region), validity: regionValid),
            Column(Field("small", .int32), data: .int32(small)),
            Column(Field("score", .float64), data: .double(score), validity: scoreValid),
            Column(Field("flag", .bool), data: .bool(flag)),
            Column(Field("day", .date), data: .int32(day)),
            Column(Field("ts", .timestamp(unit: .microseconds, utc: true)), data: .int64(ts)),
            Column(Field("amount", .decimal(precision: 10, scale: 2)), data: .decimal(amount)),
            Column(Field("note", .string), data: .bytes(note), validity: noteValid),
        ])
    }

    /// What a Delta reader returns for `t`: empty-string partition values read back as NULL.
    static func expected(_ tables: [Table]) -> [[String]] {
        var rows: [[String]] = []
        for t in tables {
            for r in Canon.rows(t, columns: t.schema.names) {
                var row = r
                if row[1] == "" { row[1] = "None" }
                rows.append(row)
            }
        }
        return rows.sorted { $0.lexicographicallyPrecedes($1) }
    }
}

@Suite struct DeltaWriterTests {
    static let columns = ["id", "region", "small", "score", "flag", "day", "ts", "amount", "note"]

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func createAppendOverwriteReadBackInDeltalakeAndPyarrow() throws {
        let dir = try TestPaths.tempDir("delta-write").appendingPathComponent("t").path
        let t0 = try WriterSample.table(rows: 200, seed: 1)
        let v0 = try DeltaWriter.write(t0, to: dir, mode: .create, partitionBy: ["region"], commitInfo: ["mltrack.run": "r1"])
        #expect(v0 == 0)
        var peer = try PeerView.read(dir)
        #expect(peer.version == 0)
        #expect(peer.partitions == ["region"])
        #expect(peer.rows == WriterSample.expected([t0]).map { r in Self.reorder(r, to: peer.columns) })
        #expect(peer.pyarrowRows == Self.dataRows([t0], columns: peer.dataColumns))
        #expect(peer.files == 4)  // us east, eu, NULL (nil and ""), a:b/c=d%

        let t1 = try WriterSample.table(rows: 50, seed: 2, idBase: 1000)
        #expect(try DeltaWriter.write(t1, to: dir, mode: .append) == 1)
        peer = try PeerView.read(dir)
        #expect(peer.rows == WriterSample.expected([t0, t1]).map { r in Self.reorder(r, to: peer.columns) })

        let t2 = try WriterSample.table(rows: 30, seed: 3, idBase: 5000)
        #expect(try DeltaWriter.write(t2, to: dir, mode: .overwrite) == 2)
        peer = try PeerView.read(dir)
        #expect(peer.rows == WriterSample.expected([t2]).map { r in Self.reorder(r, to: peer.columns) })
        #expect(peer.pyarrowRows == Self.dataRows([t2], columns: peer.dataColumns))
        // Time travel in deltalake sees the older versions.
        let back = try PeerView.read(dir, version: 1)
        #expect(back.rows.count == 250)

        // Commit file shape.
        let log = DeltaLog(table: dir)
        let listing = try log.list()
        let first = try log.commitActions(0, listing: listing)
        guard case .commitInfo(let ci) = first.first else { Issue.record("commitInfo must come first"); return }
        #expect(ci.operation == "CREATE TABLE")
        #expect(first.contains { if case .protocolAction(let p) = $0 { p.minReaderVersion == 1 && p.minWriterVersion == 2 } else { false } })
        let over = try log.commitActions(2, listing: listing)
        #expect(over.filter { if case .remove = $0 { true } else { false } }.count == (try DeltaTable(path: dir).snapshot(version: 1).files.count))
        let h = try DeltaTable(path: dir).history()
        #expect(h.map(\.operation) == ["WRITE", "WRITE", "CREATE TABLE"])
        #expect(h[0].operationParameters["mode"] == "Overwrite")
        // No stray files: every Parquet file under the table is in some commit.
        let tmp = try FileManager.default.contentsOfDirectory(atPath: dir + "/_delta_log").filter { $0.hasPrefix(".tmp") }
        #expect(tmp.isEmpty)
    }

    static func reorder(_ row: [String], to columns: [String]) -> [String] {
        columns.compactMap { c in Self.columns.firstIndex(of: c).map { row[$0] } }
    }

    static func dataRows(_ tables: [Table], columns: [String]) -> [[String]] {
        tables.flatMap { Canon.rows($0, columns: columns) }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test func statsJSONFromWriteResult() throws {
        let dir = try TestPaths.tempDir("delta-stats").path
        let t = try WriterSample.table(rows: 40, seed: 9)
        _ = try DeltaWriter.write(t, to: dir, mode: .create)
        let snap = try DeltaTable(path: dir).snapshot()
        #expect(snap.files.count == 1)
        guard let statsText = snap.files.first?.stats,
              let stats = try JSONSerialization.jsonObject(with: Data(statsText.utf8)) as? [String: Any] else {
            Issue.record("no stats"); return
        }
        #expect(JSONValue.int64(stats["numRecords"]) == 40)
        let mins = stats["minValues"] as? [String: Any] ?? [:]
        let maxs = stats["maxValues"] as? [String: Any] ?? [:]
        let nulls = stats["nullCount"] as? [String: Any] ?? [:]
        guard case .int64(let ids) = t.columns[0].data, case .int32(let small) = t.columns[2].data else { return }
        #expect(JSONValue.int64(mins["id"]) == ids.min())
        #expect(JSONValue.int64(maxs["id"]) == ids.max())
        #expect(JSONValue.int64(mins["small"]) == small.min().map(Int64.init))
        #expect(JSONValue.int64(nulls["note"]) == Int64(t.columns[8].nullCount))
        #expect(JSONValue.int64(nulls["score"]) == Int64(t.columns[3].nullCount))
    }

    @Test func createRefusesExistingTableAndBadArguments() throws {
        let dir = try TestPaths.tempDir("delta-args").path
        let t = try WriterSample.table(rows: 5, seed: 4)
        _ = try DeltaWriter.write(t, to: dir, mode: .create)
        #expect(throws: DeltaError.self) { try DeltaWriter.write(t, to: dir, mode: .create) }
        let other = try Table([Column(Field("x", .int64), data: .int64([1]))])
        #expect(throws: DeltaError.self) { try DeltaWriter.write(other, to: dir, mode: .append) }
        #expect(throws: DeltaError.self) { try DeltaWriter.write(t, to: dir, mode: .append, partitionBy: ["region"]) }
        let dir2 = try TestPaths.tempDir("delta-args2").path
        #expect(throws: DeltaError.self) { try DeltaWriter.write(t, to: dir2, mode: .create, partitionBy: ["nope"]) }
        let nested = try Table([Column(Field("j", .json(nestedType: "list<int32>")), data: .bytes(ByteArrayBuffer(strings: ["[1]"])))])
        #expect(throws: DeltaError.self) { try DeltaWriter.write(nested, to: dir2, mode: .create) }
    }

    /// A lost race, forced: another writer commits between our snapshot and our commit.
    @Test func lostRaceAppendRetriesOverwriteFails() throws {
        let dir = try TestPaths.tempDir("delta-race").path
        let base = try WriterSample.table(rows: 10, seed: 5)
        _ = try DeltaWriter.write(base, to: dir, mode: .create)
        let mine = try WriterSample.table(rows: 7, seed: 6, idBase: 100)
        let theirs = try WriterSample.table(rows: 3, seed: 7, idBase: 200)
        final class Once: @unchecked Sendable { var fired = false }
        let once = Once()
        let v = try DeltaWriter.write(mine, to: dir, mode: .append, partitionBy: [], options: ParquetWriteOptions(), commitInfo: [:]) { version in
            if !once.fired {
                once.fired = true
                let w = try DeltaWriter.write(theirs, to: dir, mode: .append)
                #expect(w == version)
            }
        }
        #expect(v == 2)
        let live = try DeltaTable(path: dir).snapshot()
        #expect(live.numRecords == 20)

        let once2 = Once()
        do {
            _ = try DeltaWriter.write(mine, to: dir, mode: .overwrite, partitionBy: [], options: ParquetWriteOptions(), commitInfo: [:]) { version in
                if !once2.fired {
                    once2.fired = true
                    _ = try DeltaWriter.write(theirs, to: dir, mode: .append)
                }
            }
            Issue.record("the overwrite should have lost")
        } catch let e as DeltaError {
            guard case .concurrentModification = e else { Issue.record("wrong error \(e)"); return }
        }
        #expect(try DeltaTable(path: dir).snapshot().numRecords == 23)
        // A concurrent metadata change stops a blind append.
        let once3 = Once()
        do {
            _ = try DeltaWriter.write(mine, to: dir, mode: .append, partitionBy: [], options: ParquetWriteOptions(), commitInfo: [:]) { version in
                if !once3.fired {
                    once3.fired = true
                    let meta = #"{"metaData":{"id":"x","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":[],"configuration":{}}}"#
                    _ = try DeltaCommitter.tryCommit(table: dir, version: version, lines: [meta])
                }
            }
            Issue.record("the append should have failed")
        } catch let e as DeltaError {
            guard case .concurrentModification = e else { Issue.record("wrong error \(e)"); return }
        }
    }

    /// Real threads appending at once: every append lands in its own version, none is lost.
    @Test func concurrentAppendsFromThreads() throws {
        let dir = try TestPaths.tempDir("delta-threads").path
        _ = try DeltaWriter.write(try WriterSample.table(rows: 4, seed: 10), to: dir, mode: .create)
        final class Box: @unchecked Sendable {
            let lock = NSLock()
            var versions: [Int64] = []
            var errors: [String] = []
        }
        let box = Box()
        DispatchQueue.concurrentPerform(iterations: 6) { i in
            do {
                let t = try WriterSample.table(rows: 5, seed: UInt64(20 + i), idBase: Int64(1000 * (i + 1)))
                let v = try DeltaWriter.write(t, to: dir, mode: .append)
                box.lock.lock(); box.versions.append(v); box.lock.unlock()
            } catch {
                box.lock.lock(); box.errors.append("\(error)"); box.lock.unlock()
            }
        }
        #expect(box.errors.isEmpty)
        #expect(box.versions.sorted() == [1, 2, 3, 4, 5, 6])
        let snap = try DeltaTable(path: dir).snapshot()
        #expect(snap.version == 6)
        #expect(snap.numRecords == 34)
    }
}

extension DeltaWriterTests {
    /// Our own reader gets back exactly what was written (partitions restored from the log).
    @Test func writtenTableReadsBackInOurReader() throws {
        let dir = try TestPaths.tempDir("delta-self").appendingPathComponent("t").path
        let t0 = try WriterSample.table(rows: 120, seed: 11)
        let t1 = try WriterSample.table(rows: 60, seed: 12, idBase: 500)
        _ = try DeltaWriter.write(t0, to: dir, mode: .create, partitionBy: ["region", "flag"])
        _ = try DeltaWriter.write(t1, to: dir, mode: .append)
        let snap = try DeltaTable(path: dir).snapshot()
        #expect(snap.partitionColumns == ["region", "flag"])
        #expect(snap.schema.fields.map(\.type) == t0.schema.fields.map(\.type))
        #expect(snap.schema["id"]?.nullable == false)
        let back = try snap.read()
        #expect(Canon.rows(back, columns: Self.columns) == WriterSample.expected([t0, t1]))
        #expect(try DeltaTable(path: dir).snapshot(version: 0).read().rowCount == 120)
    }

    /// Naive nanosecond timestamps are stored as Delta timestamp_ntz (µs) with the timestampNtz
    /// feature; deltalake reads them back.
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func naiveTimestampsBecomeTimestampNtz() throws {
        let dir = try TestPaths.tempDir("delta-ntz").appendingPathComponent("t").path
        let ns: [Int64] = [1_704_067_200_123_456_789, -1_500, 0]
        let t = try Table([
            Column(Field("k", .int32), data: .int32([1, 2, 3])),
            Column(Field("at", .timestamp(unit: .nanoseconds, utc: false)), data: .int64(ns), validity: [true, true, false]),
        ])
        _ = try DeltaWriter.write(t, to: dir, mode: .create)
        let snap = try DeltaTable(path: dir).snapshot()
        #expect(snap.protocol.readerFeatures == ["timestampNtz"])
        #expect(snap.schema["at"]?.type == .timestamp(unit: .microseconds, utc: false))
        let peer = try PeerView.read(dir)
        #expect(peer.rows == [["1", "1704067200123456"], ["2", "-2"], ["3", "None"]])
        #expect(Canon.rows(try snap.read(), columns: ["k", "at"]) == peer.rows)
    }
}

extension DeltaGoldenTests {
    /// `scan` streams: one batch per non-empty row group, projected columns only.
    @Test func scanStreamsBatchesPerFile() throws {
        let snap = try Self.table("dv-partitioned-with-checkpoint").snapshot()
        let stream = try snap.scan(columns: ["col1"])
        #expect(stream.schema.names == ["col1"])
        var batches = 0, rows = 0
        while let b = try stream.next() {
            batches += 1
            rows += b.rowCount
            #expect(b.schema.names == ["col1"])
            #expect(b.rowCount > 0)
        }
        #expect(rows == 35)
        #expect(batches == snap.files.count)
        #expect(throws: DeltaError.self) { try snap.scan(columns: ["nope"]) }
    }
}

extension DeltaLogTests {
    @Test func variantColumnIsRefusedOnlyWhenRead() throws {
        let schema = #"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"v\",\"type\":\"variant\",\"nullable\":true,\"metadata\":{}}]}"#
        let meta = #"{"metaData":{"id":"t","format":{"provider":"parquet","options":{}},"schemaString":"\#(schema)","partitionColumns":[],"configuration":{}}}"#
        let proto = #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["variantType"],"writerFeatures":["variantType"]}}"#
        let dir = try DeltaLogFixture.make([[proto, meta]])
        let snap = try DeltaTable(path: dir.path).snapshot()
        #expect(try snap.read(columns: ["id"]).rowCount == 0)
        do {
            _ = try snap.read()
            Issue.record("expected refusal")
        } catch let e as DeltaError {
            guard case .unsupportedFeature = e else { Issue.record("wrong error \(e)"); return }
            #expect(e.description.contains("variant"))
        }
    }
}

extension DeltaWriterTests {
    /// Schema evolution: a column added after a file was written reads as nulls from that file.
    @Test func columnsMissingFromOlderFilesAreNull() throws {
        let dir = try TestPaths.tempDir("delta-evolve").path
        _ = try DeltaWriter.write(try Table([Column(Field("a", .int64), data: .int64([1, 2]))]), to: dir, mode: .create)
        let evolved = #"{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"b\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},{\"name\":\"v\",\"type\":\"void\",\"nullable\":true,\"metadata\":{}}]}"#
        let meta = #"{"metaData":{"id":"e","format":{"provider":"parquet","options":{}},"schemaString":"\#(evolved)","partitionColumns":[],"configuration":{}}}"#
        #expect(try DeltaCommitter.tryCommit(table: dir, version: 1, lines: [#"{"commitInfo":{"operation":"ADD COLUMNS"}}"#, meta]))
        let back = try DeltaTable(path: dir).snapshot().read()
        #expect(back.schema.names == ["a", "b", "v"])
        #expect(back.row(0) == [.int(1), .null, .null])
        #expect(back.row(1) == [.int(2), .null, .null])
        // The writer refuses data that does not match the evolved schema.
        #expect(throws: DeltaError.self) { try DeltaWriter.write(try Table([Column(Field("a", .int64), data: .int64([3]))]), to: dir, mode: .append) }
    }

    /// A damaged data file surfaces as a DeltaError naming the file, carrying the Parquet reason.
    @Test func corruptDataFileIsAClearError() throws {
        let dir = try TestPaths.tempDir("delta-corrupt").path
        _ = try DeltaWriter.write(try WriterSample.table(rows: 20, seed: 13), to: dir, mode: .create)
        let snap = try DeltaTable(path: dir).snapshot()
        guard let f = snap.files.first else { Issue.record("no file"); return }
        let path = dir + "/" + f.path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        do {
            _ = try snap.read()
            Issue.record("expected an error")
        } catch let e as DeltaError {
            guard case .dataFile(_, let v, let file, _) = e else { Issue.record("wrong error \(e)"); return }
            #expect(v == 0)
            #expect(file == f.path)
        }
    }
}

extension DeltaWriterTests {
    @Test func emptyTablesWriteAndRead() throws {
        let dir = try TestPaths.tempDir("delta-empty").path
        let empty = try WriterSample.table(rows: 0, seed: 1)
        #expect(try DeltaWriter.write(empty, to: dir + "/flat", mode: .create) == 0)
        #expect(try DeltaTable(path: dir + "/flat").snapshot().read().rowCount == 0)
        #expect(try DeltaWriter.write(empty, to: dir + "/parts", mode: .create, partitionBy: ["region"]) == 0)
        let snap = try DeltaTable(path: dir + "/parts").snapshot()
        #expect(snap.files.isEmpty)
        let t = try snap.read()
        #expect(t.rowCount == 0)
        #expect(t.schema.names == Self.columns)
        #expect(try DeltaWriter.write(try WriterSample.table(rows: 3, seed: 2), to: dir + "/parts", mode: .append) == 1)
        #expect(try DeltaTable(path: dir + "/parts").snapshot().read().rowCount == 3)
    }
}
