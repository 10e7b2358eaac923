import Foundation
import Testing
import TestSupport
@testable import GoldTables

/// Spark-written golden tables (delta-io/delta); expected contents as their README states.
@Suite(.enabled(if: TestPaths.deltaGolden != nil, "needs ../shared/fixtures/delta-golden (absent outside this workplace)"))
struct DeltaGoldenTests {
    static func table(_ name: String) throws -> DeltaTable {
        guard let root = TestPaths.deltaGolden else { throw PythonPeer.Failure(description: "no golden folder") }
        return try DeltaTable(path: root.appendingPathComponent(name).path)
    }

    static func ints(_ t: Table, _ name: String) -> [Int64?] {
        guard let c = t.column(named: name) else { return [] }
        return (0 ..< t.rowCount).map { if case .int(let v) = c.value(at: $0) { v } else { nil } }
    }

    static func strings(_ t: Table, _ name: String) -> [String?] {
        guard let c = t.column(named: name) else { return [] }
        return (0 ..< t.rowCount).map { if case .string(let v) = c.value(at: $0) { v } else { nil } }
    }

    /// (part, col1, col2) rows expected after the first `deletes` DELETEs.
    static func dvExpected(deletes: Int) -> [[String]] {
        (0 ..< 50).filter { x in !(x % 2 == 0 && x / 2 < deletes) }
            .map { x in ["\(x % 10)", "\(x)", "foo\(x % 5)"] }
            .sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test func deletionVectorsWithCheckpoint() throws {
        let t = try Self.table("dv-partitioned-with-checkpoint")
        #expect(try t.latestVersion() == 15)
        let snap = try t.snapshot()
        #expect(snap.protocol.readerFeatures == ["deletionVectors"])
        #expect(snap.partitionColumns == ["part"])
        #expect(snap.schema.fields.map(\.type) == [.int32, .int32, .string])
        let data = try snap.read()
        #expect(data.rowCount == 35)
        #expect(Canon.rows(data, columns: ["part", "col1", "col2"]) == Self.dvExpected(deletes: 15))
        #expect(snap.numRecords == 35)
        // Projection, reordered, partition column only.
        let proj = try snap.read(columns: ["col2", "part"])
        #expect(proj.schema.names == ["col2", "part"])
        #expect(proj.rowCount == 35)
    }

    @Test(arguments: [0, 1, 5, 9, 10, 11, 14])
    func deletionVectorTimeTravel(version: Int) throws {
        let t = try Self.table("dv-partitioned-with-checkpoint")
        let data = try t.snapshot(version: Int64(version)).read()
        #expect(Canon.rows(data, columns: ["part", "col1", "col2"]) == Self.dvExpected(deletes: version))
    }

    @Test func multiPartCheckpoint() throws {
        let t = try Self.table("multi-part-checkpoint")
        let snap = try t.snapshot()
        #expect(snap.version == 1)
        let ids = Self.ints(try snap.read(), "id").compactMap { $0 }.sorted()
        #expect(ids == [0] + Array(0 ..< 30).map(Int64.init))
        #expect(Self.ints(try t.snapshot(version: 0).read(), "id") == [0])
    }

    @Test func v2CheckpointWithSidecars() throws {
        let t = try Self.table("v2-checkpoint-json")
        let snap = try t.snapshot()
        #expect(snap.version == 2)
        #expect(snap.protocol.readerFeatures == ["v2Checkpoint"])
        #expect(snap.files.count == 4)
        #expect(Self.ints(try snap.read(), "id").compactMap { $0 }.sorted() == Array(0 ..< 10).map(Int64.init))
        // The same version rebuilt from the JSON commits alone agrees.
        let log = DeltaLog(table: t.path)
        var listing = try log.list()
        listing.checkpoints = []
        let st = try log.replay(version: 2, listing: listing)
        #expect(Set(st.liveFiles.map(\.path)) == Set(snap.files.map(\.path)))
    }

    @Test func int96TimestampsWithTimestampPartition() throws {
        let snap = try Self.table("kernel-timestamp-INT96").snapshot()
        let ts = DataType.timestamp(unit: .microseconds, utc: true)
        #expect(snap.schema.fields.map(\.type) == [.int32, ts, ts])
        let data = try snap.read()
        func us(_ s: String) -> String { String(DeltaPartitions.parseTimestampMicros(s) ?? -1) }
        let expected: [[String]] = [
            ["0", us("2020-01-01 08:09:10.001"), us("2020-02-01 08:09:10")],
            ["1", us("2021-10-01 08:09:20"), us("1999-01-01 09:00:00")],
            ["2", us("2021-10-01 08:09:20"), us("2000-01-01 09:00:00")],
            ["3", us("1969-01-01 00:00:00"), us("1969-01-01 00:00:00")],
            ["4", "None", "None"],
        ]
        #expect(Canon.rows(data, columns: ["id", "part", "time"]) == expected)
        #expect(data.column(named: "time")?.type == ts)
    }

    @Test func twelveTypedPartitionColumnsAndNestedData() throws {
        let snap = try Self.table("data-reader-partition-values").snapshot()
        let data = try snap.read()
        #expect(data.rowCount == 3)
        let types = Dictionary(uniqueKeysWithValues: snap.schema.fields.map { ($0.name, $0.type) })
        #expect(types["as_byte"] == .int8)
        #expect(types["as_short"] == .int16)
        #expect(types["as_big_decimal"] == .decimal(precision: 1, scale: 0))
        #expect(types["as_list_of_records"] == .json(nestedType: "list<struct<val:int32>>"))
        let byValue = Dictionary(uniqueKeysWithValues: (0 ..< 3).map { r in (data.column(named: "value")?.value(at: r), r) })
        for i in 0 ..< 2 {
            guard let r = byValue[.string("\(i)")] else { Issue.record("no row \(i)"); continue }
            func cell(_ n: String) -> Value { data.column(named: n)?.value(at: r) ?? .null }
            #expect(cell("as_int") == .int(Int64(i)))
            #expect(cell("as_long") == .int(Int64(i)))
            #expect(cell("as_byte") == .int(Int64(i)))
            #expect(cell("as_short") == .int(Int64(i)))
            #expect(cell("as_boolean") == .bool(i % 2 == 0))
            #expect(cell("as_float") == .float(Float(i)))
            #expect(cell("as_double") == .double(Double(i)))
            #expect(cell("as_string") == .string("\(i)"))
            #expect(cell("as_string_lit_null") == .string("null"))
            #expect(cell("as_date") == .date(Int32(DeltaPartitions.parseDate("2021-09-08") ?? 0)))
            #expect(cell("as_timestamp") == .timestamp(DeltaPartitions.parseTimestampMicros("2021-09-08 11:11:11") ?? 0, .microseconds, utc: true))
            #expect(cell("as_big_decimal") == .decimal(unscaled: Int128(i), scale: 0))
            try Self.expectJSON(cell("as_list_of_records"), [["val": i], ["val": i], ["val": i]])
            try Self.expectJSON(cell("as_nested_struct"), ["aa": "\(i)", "ab": "\(i)", "ac": ["aca": i, "acb": i]])
        }
        guard let r = byValue[.string("2")] else { Issue.record("no row 2"); return }
        for name in ["as_int", "as_long", "as_byte", "as_short", "as_boolean", "as_float", "as_double", "as_string",
                     "as_string_lit_null", "as_date", "as_timestamp", "as_big_decimal"] {
            #expect(data.column(named: name)?.value(at: r) == .null, "\(name) should be NULL")
        }
        try Self.expectJSON(data.column(named: "as_list_of_records")?.value(at: r) ?? .null, [["val": 2], ["val": 2], ["val": 2]])
        try Self.expectJSON(data.column(named: "as_nested_struct")?.value(at: r) ?? .null, ["aa": "2", "ab": "2", "ac": ["aca": 2, "acb": 2]])
    }

    static func expectJSON(_ v: Value, _ expected: Any, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard case .json(let text) = v else { Issue.record("not JSON: \(v)", sourceLocation: sourceLocation); return }
        let got = try JSONSerialization.jsonObject(with: Data(text.utf8))
        #expect(NSDictionary(dictionary: ["v": got]) == NSDictionary(dictionary: ["v": expected]), "\(text)", sourceLocation: sourceLocation)
    }

    @Test func historyOfGoldenTable() throws {
        let h = try Self.table("dv-partitioned-with-checkpoint").history()
        #expect(h.count == 16)
        #expect(h.first?.operation == "DELETE")
        #expect(h.last?.operation == "WRITE")
        #expect(h.first?.engineInfo == "Apache-Spark/3.4.0 Delta-Lake/3.0.0-SNAPSHOT")
        #expect(h.first?.timestamp == Date(timeIntervalSince1970: 1_688_691_801.431))
    }

    /// Copies a golden table to a temp folder so it can be damaged.
    static func copy(_ name: String) throws -> URL {
        guard let root = TestPaths.deltaGolden else { throw PythonPeer.Failure(description: "no golden folder") }
        let dst = try TestPaths.tempDir("delta-golden-copy").appendingPathComponent(name)
        try FileManager.default.copyItem(at: root.appendingPathComponent(name), to: dst)
        return dst
    }

    @Test func missingDataFileIsAClearError() throws {
        let dir = try Self.copy("multi-part-checkpoint")
        let snap = try DeltaTable(path: dir.path).snapshot()
        guard let victim = snap.files.last?.path else { Issue.record("no files"); return }
        try FileManager.default.removeItem(at: dir.appendingPathComponent(victim))
        do {
            _ = try snap.read()
            Issue.record("expected an error")
        } catch let e as DeltaError {
            guard case .dataFile(_, let v, let file, _) = e else { Issue.record("wrong error \(e)"); return }
            #expect(v == 1)
            #expect(file == victim)
            #expect(e.description.contains("missing"))
        }
    }

    @Test func missingDeletionVectorFileIsAClearError() throws {
        let dir = try Self.copy("dv-partitioned-with-checkpoint")
        let snap = try DeltaTable(path: dir.path).snapshot()
        guard let dv = snap.files.compactMap(\.deletionVector).first else { Issue.record("no DV"); return }
        try FileManager.default.removeItem(atPath: try DeletionVectors.filePath(dv, tableRoot: dir.path))
        #expect(throws: DeltaError.self) { try snap.read() }
    }

    @Test func missingCheckpointPartFallsBackToCommits() throws {
        let dir = try Self.copy("multi-part-checkpoint")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("_delta_log/00000000000000000001.checkpoint.0000000002.0000000002.parquet"))
        let ids = Self.ints(try DeltaTable(path: dir.path).snapshot().read(), "id").compactMap { $0 }.sorted()
        #expect(ids.count == 31)
    }

    @Test func checkpointWithoutEarlierCommits() throws {
        // Log cleanup removed commits 0–9: the checkpoint at 10 still gives versions 10…15.
        let dir = try Self.copy("dv-partitioned-with-checkpoint")
        for v in 0 ..< 10 {
            try FileManager.default.removeItem(at: dir.appendingPathComponent("_delta_log/\(DeltaLog.commitName(Int64(v)))"))
        }
        let t = try DeltaTable(path: dir.path)
        #expect(try t.snapshot().read().rowCount == 35)
        #expect(try t.snapshot(version: 10).read().rowCount == 40)
        do {
            _ = try t.snapshot(version: 5)
            Issue.record("version 5 is gone")
        } catch let e as DeltaError {
            guard case .versionUnavailable = e else { Issue.record("wrong error \(e)"); return }
        }
    }
}

extension DeltaGoldenTests {
    /// Checkpoint contents match what `_last_checkpoint` records (size = actions, numOfAddFiles).
    @Test(arguments: [("dv-partitioned-with-checkpoint", 30, 18), ("multi-part-checkpoint", 12, 10), ("v2-checkpoint-json", 9, 4)])
    func checkpointActionCounts(name: String, size: Int, adds: Int) throws {
        let t = try Self.table(name)
        let listing = try t.log.list()
        guard let cp = listing.checkpoints.first else { Issue.record("no checkpoint"); return }
        let actions = try t.log.checkpointActions(cp)
        let known = actions.filter { if case .other = $0 { false } else { true } }
        #expect(known.count == size)
        #expect(actions.filter { if case .add = $0 { true } else { false } }.count == adds)
        #expect(actions.contains { if case .protocolAction = $0 { true } else { false } })
        #expect(actions.contains { if case .metaData = $0 { true } else { false } })
    }
}

extension DeltaGoldenTests {
    /// The same DV reached through storage type `p` (absolute path) and `u` with a random prefix
    /// directory gives the same rows.
    @Test func deletionVectorStorageTypesPAndPrefixedU() throws {
        let dir = try Self.copy("dv-partitioned-with-checkpoint")
        let logFile = dir.appendingPathComponent("_delta_log/00000000000000000015.json").path
        var text = try String(contentsOfFile: logFile, encoding: .utf8)
        let z85 = "7NnC4LX-RqU.S:B4VD9n"
        let dv = DeletionVectorDescriptor(storageType: "u", pathOrInlineDv: z85, offset: 1, sizeInBytes: 34, cardinality: 1)
        let abs = try DeletionVectors.filePath(dv, tableRoot: dir.path)
        text = text.replacingOccurrences(of: #""storageType":"u","pathOrInlineDv":"\#(z85)""#,
                                         with: #""storageType":"p","pathOrInlineDv":"file://\#(abs)""#)
        try text.write(toFile: logFile, atomically: true, encoding: .utf8)
        #expect(try DeltaTable(path: dir.path).snapshot().files.contains { $0.deletionVector?.storageType == "p" })
        #expect(Canon.rows(try DeltaTable(path: dir.path).snapshot().read(), columns: ["part", "col1", "col2"]) == Self.dvExpected(deletes: 15))

        // `u` with a prefix: the file lives under <table>/ab/.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("ab"), withIntermediateDirectories: true)
        let name = URL(fileURLWithPath: abs).lastPathComponent
        try FileManager.default.copyItem(atPath: abs, toPath: dir.appendingPathComponent("ab/" + name).path)
        try FileManager.default.removeItem(atPath: abs)
        text = text.replacingOccurrences(of: #""storageType":"p","pathOrInlineDv":"file://\#(abs)""#,
                                         with: #""storageType":"u","pathOrInlineDv":"ab\#(z85)""#)
        try text.write(toFile: logFile, atomically: true, encoding: .utf8)
        #expect(Canon.rows(try DeltaTable(path: dir.path).snapshot().read(), columns: ["part", "col1", "col2"]) == Self.dvExpected(deletes: 15))
    }
}

extension DeltaWriterTests {
    /// A DV whose rows span several row groups drops rows by their 0-based index in the whole file.
    @Test func inlineDeletionVectorAcrossRowGroups() throws {
        let dir = try TestPaths.tempDir("delta-dv-rg").path
        let n = 95
        let t = try Table([Column(Field("id", .int64), data: .int64((0 ..< Int64(n)).map { $0 }))])
        var opts = ParquetWriteOptions()
        opts.rowGroupRows = 10
        _ = try DeltaWriter.write(t, to: dir, mode: .create, options: opts)
        let snap = try DeltaTable(path: dir).snapshot()
        guard let f = snap.files.first else { Issue.record("no file"); return }
        #expect(try ParquetFile(path: dir + "/" + f.path).rowGroupCount == 10)
        let deleted: [Int64] = [0, 9, 10, 11, 37, 59, 60, 90, 94]
        var payload = DeltaLogTests.encodeRoaring(deleted, runs: false)
        let size = payload.count
        while payload.count % 4 != 0 { payload.append(0) }
        let z = DeltaLogTests.z85Encode(payload)
        let add = #"{"add":{"path":"\#(f.path)","partitionValues":{},"size":\#(f.size),"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":\#(n)}","deletionVector":{"storageType":"i","pathOrInlineDv":"\#(z)","sizeInBytes":\#(size),"cardinality":\#(deleted.count)}}}"#
        let remove = #"{"remove":{"path":"\#(f.path)","deletionTimestamp":2,"dataChange":true}}"#
        #expect(try DeltaCommitter.tryCommit(table: dir, version: 1, lines: [#"{"commitInfo":{"operation":"DELETE"}}"#, add, remove]))
        let after = try DeltaTable(path: dir).snapshot()
        #expect(after.files.count == 1)
        #expect(after.numRecords == Int64(n - deleted.count))
        let ids = DeltaGoldenTests.ints(try after.read(), "id").compactMap { $0 }
        #expect(ids == (0 ..< Int64(n)).filter { !deleted.contains($0) })
        // Overwrite removes the file together with its DV; the old version stays readable.
        _ = try DeltaWriter.write(try Table([Column(Field("id", .int64), data: .int64([7]))]), to: dir, mode: .overwrite)
        #expect(DeltaGoldenTests.ints(try DeltaTable(path: dir).snapshot().read(), "id") == [7])
        #expect(try DeltaTable(path: dir).snapshot(version: 1).read().rowCount == n - deleted.count)
    }
}

extension DeltaGoldenTests {
    /// `_last_checkpoint` is only a hint: garbage or a stale version in it changes nothing.
    @Test func lastCheckpointIsOnlyAHint() throws {
        let dir = try Self.copy("multi-part-checkpoint")
        let hint = dir.appendingPathComponent("_delta_log/_last_checkpoint")
        for text in ["{garbage", #"{"version":99,"size":1,"parts":7}"#, #"{"version":0,"size":3}"#] {
            try text.write(to: hint, atomically: true, encoding: .utf8)
            #expect(try DeltaTable(path: dir.path).snapshot().read().rowCount == 31)
        }
        try FileManager.default.removeItem(at: hint)
        #expect(try DeltaTable(path: dir.path).snapshot().read().rowCount == 31)
    }
}

extension DeltaWriterTests {
    /// typeWidening: files written with narrower types are up-cast to the table's types.
    @Test func typeWideningUpCastsOlderFiles() throws {
        let dir = try TestPaths.tempDir("delta-widen").path
        let t = try Table([
            Column(Field("i", .int32), data: .int32([1, -2, 3]), validity: [true, true, false]),
            Column(Field("f", .float32), data: .float([1.5, -0.25, 8])),
            Column(Field("d", .date), data: .int32([0, 1, -1])),
            Column(Field("n", .int32), data: .int32([12, -5, 0])),
            Column(Field("m", .decimal(precision: 5, scale: 1)), data: .decimal([15, -3, 0])),
        ])
        _ = try DeltaWriter.write(t, to: dir, mode: .create)
        // A later schema change widened every column.
        let widened = #"{\"type\":\"struct\",\"fields\":[{\"name\":\"i\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"f\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}},{\"name\":\"d\",\"type\":\"timestamp_ntz\",\"nullable\":true,\"metadata\":{}},{\"name\":\"n\",\"type\":\"decimal(12,2)\",\"nullable\":true,\"metadata\":{}},{\"name\":\"m\",\"type\":\"decimal(10,3)\",\"nullable\":true,\"metadata\":{}}]}"#
        let lines = [
            #"{"commitInfo":{"operation":"CHANGE COLUMN"}}"#,
            #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["typeWidening","timestampNtz"],"writerFeatures":["typeWidening","timestampNtz"]}}"#,
            #"{"metaData":{"id":"w","format":{"provider":"parquet","options":{}},"schemaString":"\#(widened)","partitionColumns":[],"configuration":{}}}"#,
        ]
        #expect(try DeltaCommitter.tryCommit(table: dir, version: 1, lines: lines))
        let back = try DeltaTable(path: dir).snapshot().read()
        #expect(back.row(0) == [.int(1), .double(1.5), .timestamp(0, .microseconds, utc: false), .decimal(unscaled: 1200, scale: 2), .decimal(unscaled: 1500, scale: 3)])
        #expect(back.row(1) == [.int(-2), .double(-0.25), .timestamp(86_400_000_000, .microseconds, utc: false), .decimal(unscaled: -500, scale: 2), .decimal(unscaled: -300, scale: 3)])
        #expect(back.row(2)[0] == .null)
        #expect(back.row(2)[2] == .timestamp(-86_400_000_000, .microseconds, utc: false))
    }
}

extension DeltaWriterTests {
    /// A hand-built DV bitmap whose array container lists rows out of order ([15, 2]) is a
    /// `DeltaError` naming the data file, not a crash when the scan maps row 2 into row group 1.
    @Test func unsortedDeletionVectorRowsThrowNamingTheFile() throws {
        let dir = try TestPaths.tempDir("delta-dv-unsorted").path
        let t = try Table([Column(Field("id", .int64), data: .int64((0 ..< 20).map { Int64($0) }))])
        var opts = ParquetWriteOptions()
        opts.rowGroupRows = 10
        _ = try DeltaWriter.write(t, to: dir, mode: .create, options: opts)
        let f = try #require(try DeltaTable(path: dir).snapshot().files.first)
        // Roaring by hand: magic, 1 bucket (high 0), cookie 12346, 1 container key 0 of 2 values,
        // one offset word, then the values 15, 2 (descending: invalid).
        var payload: [UInt8] = []
        func u16(_ v: Int) { payload += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) { for i in 0 ..< 4 { payload.append(UInt8(v >> (8 * UInt32(i)) & 0xFF)) } }
        u32(1_681_511_377); u32(1); u32(0); u32(0)
        u32(12346); u32(1); u16(0); u16(1); u32(0)
        u16(15); u16(2)
        let size = payload.count
        while payload.count % 4 != 0 { payload.append(0) }
        let z = DeltaLogTests.z85Encode(payload)
        let add = #"{"add":{"path":"\#(f.path)","partitionValues":{},"size":\#(f.size),"modificationTime":1,"dataChange":true,"deletionVector":{"storageType":"i","pathOrInlineDv":"\#(z)","sizeInBytes":\#(size),"cardinality":2}}}"#
        let remove = #"{"remove":{"path":"\#(f.path)","deletionTimestamp":2,"dataChange":true}}"#
        #expect(try DeltaCommitter.tryCommit(table: dir, version: 1, lines: [#"{"commitInfo":{"operation":"DELETE"}}"#, add, remove]))
        do {
            _ = try DeltaTable(path: dir).snapshot().read()
            Issue.record("expected an error for an unsorted deletion vector")
        } catch let e as DeltaError {
            #expect(e.description.contains(f.path), "\(e)")
            #expect(e.description.contains("not strictly increasing"), "\(e)")
        }
    }
}
