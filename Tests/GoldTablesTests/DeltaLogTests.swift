import Foundation
import Testing
import TestSupport
@testable import GoldTables

/// Builds small Delta logs by hand (no data files needed for log-level behaviour).
enum DeltaLogFixture {
    static let schemaString = #"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"p\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}"#
    static let protocolLine = #"{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}"#
    static let metaLine = #"{"metaData":{"id":"t1","format":{"provider":"parquet","options":{}},"schemaString":"\#(schemaString)","partitionColumns":["p"],"configuration":{},"createdTime":1}}"#
    static func add(_ path: String, p: String?) -> String {
        let pv = p.map { "\"\($0)\"" } ?? "null"
        return #"{"add":{"path":"\#(path)","partitionValues":{"p":\#(pv)},"size":10,"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":3}"}}"#
    }
    static func remove(_ path: String) -> String {
        #"{"remove":{"path":"\#(path)","deletionTimestamp":5,"dataChange":true}}"#
    }
    static func commitInfo(_ op: String, ts: Int64) -> String {
        #"{"commitInfo":{"timestamp":\#(ts),"operation":"\#(op)","operationParameters":{"mode":"Append","n":3},"engineInfo":"test/1"}}"#
    }

    static func make(_ commits: [[String]]) throws -> URL {
        let dir = try TestPaths.tempDir("delta-log")
        let log = dir.appendingPathComponent("_delta_log")
        try FileManager.default.createDirectory(at: log, withIntermediateDirectories: true)
        for (v, lines) in commits.enumerated() {
            try write(lines, version: Int64(v), in: dir)
        }
        return dir
    }

    static func write(_ lines: [String], version: Int64, in dir: URL) throws {
        let url = dir.appendingPathComponent("_delta_log/\(DeltaLog.commitName(version))")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    static func setMTime(_ dir: URL, version: Int64, seconds: Int) {
        let path = dir.appendingPathComponent("_delta_log/\(DeltaLog.commitName(version))").path
        var times = [timeval(tv_sec: seconds, tv_usec: 0), timeval(tv_sec: seconds, tv_usec: 0)]
        _ = utimes(path, &times)
    }

    static func basic() throws -> URL {
        try make([
            [commitInfo("CREATE TABLE", ts: 1000), protocolLine, metaLine, add("p=a/f1.parquet", p: "a"), add("p=__HIVE_DEFAULT_PARTITION__/f2.parquet", p: nil)],
            [commitInfo("WRITE", ts: 2000), add("p=b%20c/f3.parquet", p: "b c")],
            [commitInfo("DELETE", ts: 3000), remove("p=a/f1.parquet")],
        ])
    }
}

@Suite struct DeltaLogTests {
    @Test func replayAddsAndRemoves() throws {
        let dir = try DeltaLogFixture.basic()
        let t = try DeltaTable(path: dir.path)
        #expect(try t.latestVersion() == 2)
        let s2 = try t.snapshot()
        #expect(s2.version == 2)
        #expect(Set(s2.files.map(\.path)) == ["p=__HIVE_DEFAULT_PARTITION__/f2.parquet", "p=b c/f3.parquet"])
        #expect(s2.partitionColumns == ["p"])
        #expect(s2.schema.fields.map(\.type) == [.int64, .string])
        #expect(s2.files.first { $0.path.hasSuffix("f2.parquet") }?.partitionValues["p"] == .some(nil))
        #expect(s2.numRecords == 6)
        let s0 = try t.snapshot(version: 0)
        #expect(Set(s0.files.map(\.path)) == ["p=a/f1.parquet", "p=__HIVE_DEFAULT_PARTITION__/f2.parquet"])
        #expect(throws: DeltaError.self) { try t.snapshot(version: 3) }
    }

    @Test func historyNewestFirst() throws {
        let dir = try DeltaLogFixture.basic()
        let h = try DeltaTable(path: dir.path).history()
        #expect(h.map(\.version) == [2, 1, 0])
        #expect(h.map(\.operation) == ["DELETE", "WRITE", "CREATE TABLE"])
        #expect(h[2].timestamp == Date(timeIntervalSince1970: 1))
        #expect(h[1].operationParameters == ["mode": "Append", "n": "3"])
        #expect(h[0].engineInfo == "test/1")
    }

    @Test func timeTravelByFileModificationTime() throws {
        let dir = try DeltaLogFixture.basic()
        let base = 1_700_000_000
        for v in 0 ..< 3 { DeltaLogFixture.setMTime(dir, version: Int64(v), seconds: base + 1000 * v) }
        let t = try DeltaTable(path: dir.path)
        func at(_ s: Int) throws -> Int64 { try t.snapshot(timestamp: Date(timeIntervalSince1970: Double(s))).version }
        #expect(try at(base) == 0)
        #expect(try at(base + 500) == 0)
        #expect(try at(base + 1000) == 1)
        #expect(try at(base + 1999) == 1)
        #expect(try at(base + 100_000) == 2)
        #expect(throws: DeltaError.self) { try at(base - 1) }
    }

    @Test func timeTravelByInCommitTimestamp() throws {
        let meta = DeltaLogFixture.metaLine.replacingOccurrences(
            of: #""configuration":{}"#, with: #""configuration":{"delta.enableInCommitTimestamps":"true","delta.inCommitTimestampEnablementVersion":"0"}"#)
        func ci(_ ms: Int) -> String { #"{"commitInfo":{"inCommitTimestamp":\#(ms),"timestamp":1,"operation":"WRITE"}}"# }
        let dir = try DeltaLogFixture.make([
            [ci(10_000), DeltaLogFixture.protocolLine, meta, DeltaLogFixture.add("a.parquet", p: "x")],
            [ci(20_000), DeltaLogFixture.add("b.parquet", p: "x")],
        ])
        // mtimes contradict the ICT; ICT must win.
        DeltaLogFixture.setMTime(dir, version: 0, seconds: 50)
        DeltaLogFixture.setMTime(dir, version: 1, seconds: 5)
        let t = try DeltaTable(path: dir.path)
        #expect(try t.snapshot(timestamp: Date(timeIntervalSince1970: 15)).version == 0)
        #expect(try t.snapshot(timestamp: Date(timeIntervalSince1970: 20)).version == 1)
        #expect(try t.snapshot().inCommitTimestamp == 20_000)
    }

    @Test func garbageLineNamesFileAndLine() throws {
        let dir = try DeltaLogFixture.basic()
        try DeltaLogFixture.write([DeltaLogFixture.commitInfo("WRITE", ts: 1), "{not json", DeltaLogFixture.add("x.parquet", p: "a")], version: 1, in: dir)
        do {
            _ = try DeltaTable(path: dir.path).snapshot()
            Issue.record("expected an error")
        } catch let e as DeltaError {
            guard case .corruptLog(_, let file, let line, _) = e else { Issue.record("wrong error \(e)"); return }
            #expect(file == "_delta_log/00000000000000000001.json")
            #expect(line == 2)
            #expect(e.description.contains("00000000000000000001.json:2"))
        }
        try DeltaLogFixture.write(["[1,2]"], version: 1, in: dir)
        #expect(throws: DeltaError.self) { try DeltaTable(path: dir.path).snapshot() }
        try DeltaLogFixture.write([#"{"add":{"size":3}}"#], version: 1, in: dir)
        do {
            _ = try DeltaTable(path: dir.path).snapshot()
            Issue.record("expected an error")
        } catch let e as DeltaError {
            #expect(e.description.contains("add action without a path"))
        }
    }

    @Test func unknownActionsAndFieldsAreIgnored() throws {
        let dir = try DeltaLogFixture.basic()
        try DeltaLogFixture.write([
            #"{"futureAction":{"x":1}}"#,
            #"{"add":{"path":"z.parquet","partitionValues":{"p":"q"},"size":1,"modificationTime":1,"dataChange":true,"newField":[1,2],"tags":null,"baseRowId":null,"deletionVector":null}}"#,
        ], version: 3, in: dir)
        let s = try DeltaTable(path: dir.path).snapshot()
        #expect(s.files.contains { $0.path == "z.parquet" && $0.deletionVector == nil })
    }

    @Test func missingCommitIsReported() throws {
        let dir = try DeltaLogFixture.basic()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("_delta_log/00000000000000000001.json"))
        let t = try DeltaTable(path: dir.path)
        do {
            _ = try t.snapshot()
            Issue.record("expected an error")
        } catch let e as DeltaError {
            guard case .versionUnavailable = e else { Issue.record("wrong error \(e)"); return }
            #expect(e.description.contains("00000000000000000001.json"))
        }
        #expect(try t.snapshot(version: 0).files.count == 2)
    }

    @Test func notATable() throws {
        let dir = try TestPaths.tempDir("delta-none")
        #expect(throws: DeltaError.self) { try DeltaTable(path: dir.path) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("_delta_log"), withIntermediateDirectories: true)
        #expect(throws: DeltaError.self) { try DeltaTable(path: dir.path).snapshot() }
    }

    @Test(arguments: [
        (#"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors","fancyNewThing"],"writerFeatures":[]}}"#, "fancyNewThing"),
        (#"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["catalogManaged"]}}"#, "catalogManaged"),
        (#"{"protocol":{"minReaderVersion":4,"minWriterVersion":7}}"#, "minReaderVersion 4"),
    ])
    func protocolGateRefuses(line: String, named: String) throws {
        let dir = try DeltaLogFixture.make([[line, DeltaLogFixture.metaLine]])
        do {
            _ = try DeltaTable(path: dir.path).snapshot()
            Issue.record("expected refusal")
        } catch let e as DeltaError {
            guard case .unsupportedFeature = e else { Issue.record("wrong error \(e)"); return }
            #expect(e.description.contains(named))
        }
    }

    @Test func protocolGateAccepts() throws {
        let line = #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["timestampNtz","columnMapping","deletionVectors","v2Checkpoint","vacuumProtocolCheck","variantType"],"writerFeatures":["rowTracking"]}}"#
        let dir = try DeltaLogFixture.make([[line, DeltaLogFixture.metaLine]])
        #expect(try DeltaTable(path: dir.path).snapshot().protocol.minReaderVersion == 3)
    }

    @Test func schemaStringTypes() throws {
        let s = #"{"type":"struct","fields":[{"name":"b","type":"byte","nullable":true,"metadata":{}},{"name":"s","type":"short","nullable":false,"metadata":{}},{"name":"i","type":"integer","nullable":true,"metadata":{}},{"name":"l","type":"long","nullable":true,"metadata":{"delta.columnMapping.id":5,"delta.columnMapping.physicalName":"col-abc"}},{"name":"f","type":"float","nullable":true,"metadata":{}},{"name":"d","type":"double","nullable":true,"metadata":{}},{"name":"dec","type":"decimal(12,2)","nullable":true,"metadata":{}},{"name":"ts","type":"timestamp","nullable":true,"metadata":{}},{"name":"ntz","type":"timestamp_ntz","nullable":true,"metadata":{}},{"name":"dt","type":"date","nullable":true,"metadata":{}},{"name":"v","type":"void","nullable":true,"metadata":{}},{"name":"arr","type":{"type":"array","elementType":{"type":"struct","fields":[{"name":"val","type":"integer","nullable":true,"metadata":{}}]},"containsNull":true},"nullable":true,"metadata":{}},{"name":"m","type":{"type":"map","keyType":"string","valueType":"long","valueContainsNull":true},"nullable":true,"metadata":{}}]}"#
        let schema = try DeltaSchema.parse(s)
        #expect(schema.fields.map(\.type) == [
            .int8, .int16, .int32, .int64, .float32, .float64, .decimal(precision: 12, scale: 2),
            .timestamp(unit: .microseconds, utc: true), .timestamp(unit: .microseconds, utc: false), .date, .string,
            .json(nestedType: "list<struct<val:int32>>"), .json(nestedType: "map<string,int64>"),
        ])
        #expect(schema.fields[1].nullable == false)
        #expect(schema.fields[3].metadata["delta.columnMapping.physicalName"] == "col-abc")
        #expect(schema.fields[3].metadata["delta.columnMapping.id"] == "5")
        #expect(schema.fields[10].metadata["delta.type"] == "void")
        #expect(throws: DeltaSchema.SchemaError.self) { try DeltaSchema.parse(#"{"type":"struct","fields":[{"name":"x","type":"interval","nullable":true}]}"#) }
        // Deep nesting is bounded, not a stack overflow.
        var deep = #""integer""#
        for _ in 0 ..< 200 { deep = #"{"type":"array","elementType":\#(deep),"containsNull":true}"# }
        #expect(throws: DeltaSchema.SchemaError.self) { try DeltaSchema.parse(#"{"type":"struct","fields":[{"name":"x","type":\#(deep),"nullable":true}]}"#) }
    }

    @Test func partitionValuesParseWithTypes() throws {
        func cell(_ type: DataType, _ text: String?) throws -> Value {
            try DeltaPartitions.constantColumn(Field("c", type), text: text, count: 2).value(at: 1)
        }
        #expect(try cell(.int32, "42") == .int(42))
        #expect(try cell(.int8, "-7") == .int(-7))
        #expect(throws: DeltaPartitions.ValueError.self) { try cell(.int8, "300") }
        #expect(try cell(.int64, "9007199254740993") == .int(9_007_199_254_740_993))
        #expect(try cell(.float64, "1.5") == .double(1.5))
        if case .double(let d) = try cell(.float64, "NaN") { #expect(d.isNaN) } else { Issue.record("NaN") }
        #expect(try cell(.bool, "true") == .bool(true))
        #expect(try cell(.date, "2021-09-08") == .date(18878))
        #expect(try cell(.decimal(precision: 5, scale: 2), "1.5") == .decimal(unscaled: 150, scale: 2))
        #expect(try cell(.decimal(precision: 5, scale: 2), "-3") == .decimal(unscaled: -300, scale: 2))
        let ts = DataType.timestamp(unit: .microseconds, utc: true)
        #expect(try cell(ts, "2021-09-08 11:11:11") == .timestamp(1_631_099_471_000_000, .microseconds, utc: true))
        #expect(try cell(ts, "2020-01-01 08:09:10.001") == .timestamp(1_577_866_150_001_000, .microseconds, utc: true))
        #expect(try cell(ts, "2024-01-01T10:00:00.000000Z") == .timestamp(1_704_103_200_000_000, .microseconds, utc: true))
        #expect(try cell(ts, "2024-01-01T10:00:00.000-08:00") == .timestamp(1_704_132_000_000_000, .microseconds, utc: true))
        #expect(try cell(ts, "1969-01-01 00:00:00") == .timestamp(-31_536_000_000_000, .microseconds, utc: true))
        #expect(try cell(.string, "null") == .string("null"))
        for t in [DataType.string, .int32, .date, ts, .decimal(precision: 3, scale: 1)] {
            #expect(try cell(t, "") == .null)
            #expect(try cell(t, nil) == .null)
        }
        #expect(throws: DeltaPartitions.ValueError.self) { try cell(.date, "2021-13-01") }
        #expect(throws: DeltaPartitions.ValueError.self) { try cell(ts, "yesterday") }
    }

    @Test func partitionTextRoundTrips() throws {
        let ts = DataType.timestamp(unit: .microseconds, utc: true)
        for (v, t) in [(Value.date(18878), DataType.date), (.timestamp(-31_536_000_123_456, .microseconds, utc: true), ts),
                       (.decimal(unscaled: -5, scale: 3), .decimal(precision: 5, scale: 3)), (.int(-12), .int64)] {
            let text = DeltaPartitions.text(v, type: t)
            #expect(try DeltaPartitions.constantColumn(Field("c", t), text: text, count: 1).value(at: 0) == v)
        }
        #expect(DeltaPartitions.hiveEscape("a b:c/d=e%") == "a%20b%3Ac%2Fd%3De%25")
        #expect(ActionParser.percentDecode("region=us%2520east/x+y.parquet") == "region=us%20east/x+y.parquet")
    }

    @Test func z85DecodesSpecVector() throws {
        #expect(try DeletionVectors.z85Decode("HelloWorld") == [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])
        #expect(throws: DeletionVectors.DVError.self) { try DeletionVectors.z85Decode("Hell") }
        #expect(throws: DeletionVectors.DVError.self) { try DeletionVectors.z85Decode("Hell~") }
    }

    /// Encodes row indexes as the portable 64-bit Roaring format (array, bitset and run containers)
    /// straight from the format description, to check the decoder.
    static func encodeRoaring(_ rows: [Int64], runs: Bool) -> [UInt8] {
        var out: [UInt8] = []
        func u16(_ v: Int) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: UInt32) { for i in 0 ..< 4 { out.append(UInt8(v >> (8 * UInt32(i)) & 0xFF)) } }
        u32(1_681_511_377)
        let byHigh = Dictionary(grouping: rows) { $0 >> 32 }
        u32(UInt32(byHigh.count)); u32(0)
        for high in byHigh.keys.sorted() {
            u32(UInt32(high))
            let byKey = Dictionary(grouping: byHigh[high] ?? []) { ($0 >> 16) & 0xFFFF }
            let keys = byKey.keys.sorted()
            if runs {
                u32(UInt32(12347) | UInt32(keys.count - 1) << 16)
                var flags = [UInt8](repeating: 0, count: (keys.count + 7) / 8)
                for i in 0 ..< keys.count { flags[i / 8] |= 1 << (i % 8) }
                out += flags
            } else {
                u32(12346); u32(UInt32(keys.count))
            }
            for k in keys { u16(Int(k)); u16((byKey[k]?.count ?? 1) - 1) }
            if !runs || keys.count >= 4 { for _ in keys { u32(0) } }
            for k in keys {
                let lows = (byKey[k] ?? []).map { Int($0 & 0xFFFF) }.sorted()
                if runs {
                    var rs: [(Int, Int)] = []
                    for l in lows {
                        if let last = rs.last, last.0 + last.1 == l { rs[rs.count - 1].1 += 1 } else { rs.append((l, 1)) }
                    }
                    u16(rs.count)
                    for r in rs { u16(r.0); u16(r.1 - 1) }
                } else if lows.count <= 4096 {
                    for l in lows { u16(l) }
                } else {
                    var words = [UInt64](repeating: 0, count: 1024)
                    for l in lows { words[l / 64] |= 1 << UInt64(l % 64) }
                    for w in words { u32(UInt32(w & 0xFFFF_FFFF)); u32(UInt32(w >> 32)) }
                }
            }
        }
        return out
    }

    @Test func roaringContainers() throws {
        var seed: UInt64 = 42
        func next() -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return seed >> 17 }
        var sparse = Set<Int64>()
        for _ in 0 ..< 300 { sparse.insert(Int64(next() % 200_000)) }
        let dense = (0 ..< 70_000).filter { $0 % 3 != 0 }.map { Int64($0) }
        let high = [Int64(5) << 32 | 7, Int64(5) << 32 | 8, Int64(6) << 32]
        for rows in [sparse.sorted(), dense, high, [Int64]()] {
            #expect(try DeletionVectors.decodeBitmap(Self.encodeRoaring(rows, runs: false)) == rows)
            #expect(try DeletionVectors.decodeBitmap(Self.encodeRoaring(rows, runs: true)) == rows)
        }
        var bad = Self.encodeRoaring(sparse.sorted(), runs: false)
        bad.removeLast(10)
        #expect(throws: DeletionVectors.DVError.self) { try DeletionVectors.decodeBitmap(bad) }
        bad[0] ^= 1
        #expect(throws: DeletionVectors.DVError.self) { try DeletionVectors.decodeBitmap(bad) }
    }

    @Test func inlineDeletionVector() throws {
        // Inline DV: the Z85 text of the bitmap itself (padded to a multiple of 4 bytes).
        var payload = Self.encodeRoaring([1, 3, 5], runs: false)
        let size = payload.count
        while payload.count % 4 != 0 { payload.append(0) }
        let dv = DeletionVectorDescriptor(storageType: "i", pathOrInlineDv: Self.z85Encode(payload), offset: nil, sizeInBytes: size, cardinality: 3)
        #expect(try DeletionVectors.rowIndexes(dv, tableRoot: "/nonexistent") == [1, 3, 5])
        let wrong = DeletionVectorDescriptor(storageType: "i", pathOrInlineDv: Self.z85Encode(payload), offset: nil, sizeInBytes: size, cardinality: 4)
        #expect(throws: DeletionVectors.DVError.self) { try DeletionVectors.rowIndexes(wrong, tableRoot: "/nonexistent") }
    }

    static func z85Encode(_ b: [UInt8]) -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#")
        var s = ""
        for i in stride(from: 0, to: b.count, by: 4) {
            var v = UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
            var chunk: [Character] = []
            for _ in 0 ..< 5 { chunk.append(alphabet[Int(v % 85)]); v /= 85 }
            s += String(chunk.reversed())
        }
        return s
    }

    /// Every DV the golden Spark table references decodes, passes its CRC and matches its
    /// cardinality; the 15 DELETEs removed 15 rows, all even values < 30 (checked on data later).
    @Test(.enabled(if: TestPaths.deltaGolden != nil, "needs ../shared/fixtures/delta-golden"))
    func goldenDeletionVectorsDecode() throws {
        guard let root = TestPaths.deltaGolden?.appendingPathComponent("dv-partitioned-with-checkpoint") else { return }
        let log = DeltaLog(table: root.path)
        let listing = try log.list()
        var decoded = 0
        for v in listing.sortedCommitVersions {
            for a in try log.commitActions(v, listing: listing) {
                guard case .add(let f) = a, let dv = f.deletionVector else { continue }
                #expect(dv.storageType == "u")
                let rows = try DeletionVectors.rowIndexes(dv, tableRoot: root.path)
                #expect(rows.count == Int(dv.cardinality))
                #expect(rows.allSatisfy { $0 >= 0 && $0 < 10 })
                decoded += 1
            }
        }
        #expect(decoded == 10)  // 10 DELETEs wrote DVs; the other 5 removed whole files
    }

    @Test func racingCommitsExactlyOneWins() throws {
        let dir = try DeltaLogFixture.basic()
        let table = dir.path
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var wins = 0
            var losses = 0
        }
        let r = Results()
        for round in 0 ..< 20 {
            let version = Int64(3 + round)
            DispatchQueue.concurrentPerform(iterations: 4) { i in
                let ok = (try? DeltaCommitter.tryCommit(table: table, version: version, lines: [DeltaLogFixture.add("w\(i).parquet", p: "a")])) ?? false
                r.lock.lock()
                if ok { r.wins += 1 } else { r.losses += 1 }
                r.lock.unlock()
            }
        }
        #expect(r.wins == 20)
        #expect(r.losses == 60)
        let s = try DeltaTable(path: table).snapshot()
        #expect(s.version == 22)
        // No temporary files left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: table + "/_delta_log")
        #expect(!names.contains { $0.hasPrefix(".tmp") })
    }
}

extension DeltaLogTests {
    /// A checkpoint whose footer claims 2^40 rows in a row group holding one `add.path` entry is a
    /// corrupt-log error naming the checkpoint file, not a crash allocating per-row arrays.
    @Test func checkpointRowCountLargerThanItsDataThrows() throws {
        let text = Array("a.parquet".utf8)
        let f = FlexParquet(
            schema: [
                .init(name: "schema", children: 1),
                .init(name: "add", repetition: 1, children: 1),
                .init(name: "path", type: 6, repetition: 1),
            ],
            chunks: [
                .init(path: ["add", "path"], type: 6, numValues: 1,
                      payload: FlexParquet.levels([2], width: 2) + HandMadeParquet.le32(text.count) + text),
            ],
            rows: 1 << 40)
        let dir = try TestPaths.tempDir("delta-cp-rows")
        let path = dir.appendingPathComponent("00000000000000000001.checkpoint.parquet").path
        try Data(f.build()).write(to: URL(fileURLWithPath: path))
        do {
            _ = try DeltaCheckpointReader.read(path: path, table: dir.path, file: "00000000000000000001.checkpoint.parquet")
            Issue.record("expected an error for a row count the data does not hold")
        } catch let e as DeltaError {
            guard case .corruptLog(_, let file, _, let message) = e else { Issue.record("\(e)"); return }
            #expect(file == "00000000000000000001.checkpoint.parquet")
            #expect(message.contains("1099511627776"), "\(message)")
        }
        // The same file with its true row count reads.
        var ok = f
        ok.rows = 1
        try Data(ok.build()).write(to: URL(fileURLWithPath: path))
        let actions = try DeltaCheckpointReader.read(path: path, table: dir.path, file: "cp")
        #expect(actions.count == 1)
        guard case .add(let a)? = actions.first else { Issue.record("no add"); return }
        #expect(a.path == "a.parquet")
    }
}

extension DeltaLogTests {
    /// A log file whose 20-digit version is Int64.max (no successor version exists) is a corrupt-log
    /// error naming it, not an overflow trap computing the version after its checkpoint.
    @Test func maximumVersionFileNameThrowsNamingIt() throws {
        let dir = try DeltaLogFixture.basic()
        try DeltaLogFixture.write([DeltaLogFixture.commitInfo("WRITE", ts: 4000)], version: Int64.max, in: dir)
        try Data("PAR1".utf8).write(to: dir.appendingPathComponent("_delta_log/09223372036854775807.checkpoint.parquet"))
        do {
            _ = try DeltaTable(path: dir.path).snapshot()
            Issue.record("expected an error for version Int64.max")
        } catch let e as DeltaError {
            guard case .corruptLog(_, let file, _, let message) = e else { Issue.record("\(e)"); return }
            #expect(file.hasSuffix("09223372036854775807.json") || file.hasSuffix("09223372036854775807.checkpoint.parquet"), "\(e)")
            #expect(message.contains("out of range"), "\(message)")
        }
    }

    /// `numRecords` stats that overflow Int64 when summed, are negative, or are smaller than the
    /// DV cardinality make the stats unusable (nil: count by scanning), not an overflow trap.
    @Test func numRecordsOverflowOrNonsenseIsNil() throws {
        func add(_ path: String, _ n: String, dvCard: Int? = nil) -> String {
            let dv = dvCard.map { #","deletionVector":{"storageType":"i","pathOrInlineDv":"00000","sizeInBytes":1,"cardinality":\#($0)}"# } ?? ""
            return #"{"add":{"path":"\#(path)","partitionValues":{"p":"a"},"size":10,"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":\#(n)}"\#(dv)}}"#
        }
        let head = [DeltaLogFixture.commitInfo("CREATE TABLE", ts: 1000), DeltaLogFixture.protocolLine, DeltaLogFixture.metaLine]
        let cases: [([String], Int64?)] = [
            ([add("a", "9223372036854775807"), add("b", "9223372036854775807")], nil),
            ([add("a", "-5"), add("b", "7")], nil),
            ([add("a", "3", dvCard: 4)], nil),
            ([add("a", "3", dvCard: 2), add("b", "9223372036854775800")], 9_223_372_036_854_775_801),
        ]
        for (adds, want) in cases {
            let dir = try DeltaLogFixture.make([head + adds])
            #expect(try DeltaTable(path: dir.path).snapshot().numRecords == want, "\(adds)")
        }
    }
}
