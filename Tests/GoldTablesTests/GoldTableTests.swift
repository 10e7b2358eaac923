import Foundation
import Testing
import TestSupport
@testable import GoldTables

/// GoldTable.open: format detection, Delta versions and history, lineage facts, SHA-256.
@Suite struct GoldTableTests {
    func touch(_ url: URL, _ bytes: [UInt8]) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func failure(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func detectsFormats() throws {
        let d = try TestPaths.tempDir("detect")
        try touch(d.appendingPathComponent("a.csv"), Array("x\n1\n".utf8))
        try touch(d.appendingPathComponent("b.TSV"), Array("x\n1\n".utf8))
        try touch(d.appendingPathComponent("c.parquet"), Array("PAR1....PAR1".utf8))
        try touch(d.appendingPathComponent("noext"), Array("PAR1....PAR1".utf8))
        try touch(d.appendingPathComponent("pq/k=1/part-0.parquet"), Array("PAR1".utf8))
        try touch(d.appendingPathComponent("pq/_SUCCESS"), [])
        try touch(d.appendingPathComponent("pq/.hidden.parquet"), [])
        try touch(d.appendingPathComponent("delta/_delta_log/00000000000000000000.json"), [])
        try touch(d.appendingPathComponent("weird.bin"), [1, 2, 3])
        try FileManager.default.createDirectory(at: d.appendingPathComponent("empty"), withIntermediateDirectories: true)
        func fmt(_ n: String) throws -> GoldTableFormat { try GoldTable.detect(d.appendingPathComponent(n).path) }
        #expect(try fmt("a.csv") == .csv)
        #expect(try fmt("b.TSV") == .csv)
        #expect(try fmt("c.parquet") == .parquet)
        #expect(try fmt("noext") == .parquet)
        #expect(try fmt("pq") == .parquet)
        #expect(try fmt("delta") == .delta)
        #expect(GoldTable.parquetFiles(in: d.appendingPathComponent("pq").path).map { ($0 as NSString).lastPathComponent } == ["part-0.parquet"])
        #expect(failure { _ = try fmt("weird.bin") }?.contains("unknown table format") == true)
        #expect(failure { _ = try fmt("empty") }?.contains("neither a Delta table") == true)
        #expect(failure { _ = try fmt("missing") }?.contains("no such file or folder") == true)
    }

    @Test func goldenDeltaTablesAreDetected() throws {
        guard let golden = TestPaths.deltaGolden else {
            print("skipped: ../shared/fixtures/delta-golden is absent")
            return
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: golden.path).filter { !$0.hasSuffix(".md") }
        #expect(!names.isEmpty)
        for n in names { #expect(try GoldTable.detect(golden.appendingPathComponent(n).path) == .delta, "\(n)") }
    }

    @Test func csvTableLineageAndErrors() throws {
        let d = try TestPaths.tempDir("lineage")
        let p = d.appendingPathComponent("t.csv").path
        try Data("a,b\n1,x\n2,y\n3,\n".utf8).write(to: URL(fileURLWithPath: p))
        let t = try GoldTable.open(p)
        #expect(t.format == .csv && t.version == nil)
        #expect(t.schema.fields.map(\.type) == [.int64, .string])
        #expect(try t.read(columns: ["b"]).rowCount == 3)
        let l = try t.lineage()
        #expect(l.rowCount == 3 && l.format == "csv" && l.version == nil)
        #expect(l.schemaFingerprint == Schema([Field("a", .int64), Field("b", .string)]).fingerprint)
        // SHA-256 of "a,b\n1,x\n2,y\n3,\n" (computed with sha256sum).
        #expect(l.files == [GoldFileFact(path: p, bytes: 15, sha256: "6ceae7244e083b0be15c40623354f0efa4d7409b1a04508495205a2c3ed0f9d4")])
        #expect(failure { _ = try t.history() } == "\(p): history needs a Delta table; this is csv (no versions)")
        #expect(failure { _ = try GoldTable.open(p, version: 1) }?.contains("needs a Delta table") == true)
    }

    @Test func sha256KnownVectors() {
        func h(_ s: String) -> String {
            var x = GoldSHA256()
            x.update(Array(s.utf8))
            return GoldSHA256.hex(x.finalize())
        }
        #expect(h("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(h("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(h("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // One million 'a', fed in uneven pieces.
        var x = GoldSHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 999)
        var left = 1_000_000
        while left > 0 {
            let n = min(left, chunk.count)
            x.update(Array(chunk[0 ..< n]))
            left -= n
        }
        #expect(GoldSHA256.hex(x.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func deltaTableVersionsHistoryAndRowCount() throws {
        let d = try TestPaths.tempDir("gold-delta").appendingPathComponent("churn").path
        var progress: [Int] = []
        let last = try SyntheticTables.writeDelta(.churn, rows: 250, seed: 3, to: d, batchRows: 100) { done, _, _ in
            progress.append(done)
        }
        #expect(last == 2 && progress == [100, 200, 250])
        let t = try GoldTable.open(d)
        #expect(t.format == .delta && t.version == 2)
        #expect(t.schema.names == ChurnGenerator.schema.names)
        #expect(try t.rowCount() == 250)
        let v0 = try GoldTable.open(d, version: 0)
        #expect(v0.version == 0)
        #expect(try v0.rowCount() == 100)
        let back = try v0.read()
        let gen = ChurnGenerator(seed: 3).generate(rows: 0 ..< 100)
        #expect(back.schema.names == gen.schema.names && back.rowCount == 100)
        #expect((0 ..< 100).allSatisfy { back.row($0) == gen.row($0) })
        let h = try t.history()
        #expect(Set(h.map(\.version)) == [0, 1, 2])
        let l = try t.lineage()
        #expect(l.version == 2 && l.files.count == 3 && l.files.allSatisfy { $0.sha256 == nil && $0.bytes > 0 })
        #expect(failure { _ = try GoldTable.open(d, version: 9) } != nil)
    }

    /// A pyarrow Hive-partitioned folder and a single file: format, rows, and SHA-256 per file as
    /// Python's hashlib computes it.
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow)"))
    func parquetFolderAndFileLineageMatchPython() throws {
        let dir = try TestPaths.tempDir("gold-pq")
        let folder = dir.appendingPathComponent("ds").path
        let single = dir.appendingPathComponent("one.parquet").path
        let obj = try PythonPeer.json("""
            import json, sys, hashlib, os
            import pyarrow as pa, pyarrow.parquet as pq
            t = pa.table({'id': list(range(100)), 'g': [i % 3 for i in range(100)], 'v': [i * 0.5 for i in range(100)]})
            pq.write_to_dataset(t, sys.argv[1], partition_cols=['g'])
            pq.write_table(t, sys.argv[2], row_group_size=30)
            files = []
            for root, _, names in os.walk(sys.argv[1]):
                for n in names:
                    p = os.path.join(root, n)
                    files.append([p, hashlib.sha256(open(p, 'rb').read()).hexdigest(), os.path.getsize(p)])
            one = hashlib.sha256(open(sys.argv[2], 'rb').read()).hexdigest()
            print(json.dumps({'files': sorted(files), 'one': one}))
            """, args: [folder, single]) as? [String: Any]
        let files = (obj?["files"] as? [[Any]]) ?? []
        let ds = try GoldTable.open(folder)
        #expect(ds.format == .parquet && ds.version == nil)
        #expect(ds.schema.names == ["id", "v", "g"])
        #expect(try ds.rowCount() == 100)
        let l = try ds.lineage()
        #expect(l.files.count == files.count && files.count == 3)
        for (fact, py) in zip(l.files.sorted { $0.path < $1.path }, files) {
            #expect(fact.path == py[0] as? String)
            #expect(fact.sha256 == py[1] as? String)
            #expect(fact.bytes == (py[2] as? NSNumber)?.int64Value)
        }
        let one = try GoldTable.open(single)
        #expect(try one.rowCount() == 100)
        #expect(try one.lineage().files.first?.sha256 == obj?["one"] as? String)
        #expect(try one.read(columns: ["v"]).rowCount == 100)
        #expect(failure { _ = try one.history() }?.contains("history needs a Delta table; this is parquet") == true)
    }

    /// Every committed peer fixture (pyarrow and Spark Parquet files, Hive folders, deltalake tables at
    /// each rendered version): GoldTable detects and opens it, counts its rows as reading does, and
    /// TableRenderer's JSON lines equal the peer-fixture suite's own cell rendering (PeerRender, an
    /// independent implementation of the same rules, itself checked against the peers' readings).
    @Test func everyPeerFixtureOpensAndRendersAsPeerRender() throws {
        var paths: [(String, Int64?)] = []
        for n in PeerFixtures.pyarrow { paths.append((PeerFixtures.root.appendingPathComponent("pyarrow/\(n).parquet").path, nil)) }
        for n in PeerFixtures.spark { paths.append((PeerFixtures.root.appendingPathComponent("spark/\(n).parquet").path, nil)) }
        for f in ["pyarrow/dataset_hive", "spark/partitioned"] { paths.append((PeerFixtures.root.appendingPathComponent(f).path, nil)) }
        for c in PeerFixtures.delta { paths.append((PeerFixtures.root.appendingPathComponent("delta/\(c.table)").path, c.version)) }
        guard paths.count > 20 else {
            print("skipped: Tests/Fixtures is absent")
            return
        }
        var rendered = 0
        for (path, version) in paths {
            let t = try GoldTable.open(path, version: version)
            let table = try t.read()
            #expect(try t.rowCount() == table.rowCount, "\(path)")
            #expect(t.format == (path.contains("/delta/") ? .delta : .parquet), "\(path)")
            let text = TableRenderer(format: .jsonl).render(table)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == table.rowCount + 1 && lines.last == "", "\(path)")
            var problems = 0
            for r in 0 ..< min(table.rowCount, lines.count) {
                let want = PeerJSON.object(try table.columns.map { ($0.name, try PeerRender.json($0.value(at: r))) })
                let got = try PeerJSON.parse(String(lines[r]))
                if got != want {
                    problems += 1
                    if problems <= 3 { Issue.record("\(path) row \(r):\n ours \(got)\n want \(want)") }
                }
                rendered += 1
            }
        }
        #expect(rendered > 1000)
    }

    @Test func parsesTimeTravelTimestamps() {
        #expect(GoldTable.parseTimestamp("2025-01-01")?.timeIntervalSince1970 == 1_735_689_600)
        #expect(GoldTable.parseTimestamp("2025-01-01T01:00:00+01:00")?.timeIntervalSince1970 == 1_735_689_600)
        #expect(GoldTable.parseTimestamp("2025-01-01T00:00:00.5Z")?.timeIntervalSince1970 == 1_735_689_600.5)
        #expect(GoldTable.parseTimestamp("yesterday") == nil)
    }
}

extension GoldTableTests {
    /// Footers whose row counts overflow Int64 when summed are an error naming the file, not a trap.
    @Test func parquetFolderRowCountOverflowThrows() throws {
        let dir = try TestPaths.tempDir("pq-rows-overflow")
        let f = FlexParquet(schema: [.init(name: "schema", children: 1), .init(name: "x", type: 1, repetition: 0)],
                            chunks: [.init(path: ["x"], type: 1, numValues: 1, payload: FlexParquet.plainInt32([1]))],
                            rows: Int(Int64.max))
        for name in ["a.parquet", "b.parquet"] {
            try Data(f.build()).write(to: dir.appendingPathComponent(name))
        }
        let t = try GoldTable.open(dir.path)
        do {
            _ = try t.rowCount()
            Issue.record("expected an error for row counts overflowing Int64")
        } catch let e as GoldTableError {
            #expect(e.path.hasSuffix("b.parquet"), "\(e)")
            #expect(e.message.contains("row count"), "\(e)")
        }
    }
}
