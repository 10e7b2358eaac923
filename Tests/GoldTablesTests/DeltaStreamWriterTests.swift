import Foundation
import Testing
import TestSupport
@testable import GoldTables

/// The streaming Delta writer: many appends, one atomic commit; overwrite, abort, lost races.
@Suite struct DeltaStreamWriterTests {
    static func commits(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/_delta_log")) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
    }

    static func parquetFiles(_ dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".parquet") }.sorted()
    }

    @Test func severalAppendsMakeOneCommit() throws {
        let dir = try TestPaths.tempDir("delta-stream").appendingPathComponent("t").path
        let parts = try (0 ..< 3).map { (i: Int) throws -> Table in try WriterSample.table(rows: 20 + i, seed: UInt64(30 + i), idBase: Int64(100 * i)) }
        let w = try DeltaStreamWriter(path: dir, mode: .append)
        #expect(w.readVersion == nil)
        for p in parts { try w.append(p) }
        #expect(w.rowCount == 63)
        #expect(w.fileCount == 3)
        // Nothing is visible before the commit: no log entry, so no table.
        #expect(Self.commits(dir).isEmpty)
        #expect(throws: (any Error).self) { try DeltaTable(path: dir).snapshot() }
        let v = try w.commit(commitInfo: ["mltrack.rows": "63"])
        #expect(v == 0)
        #expect(Self.commits(dir) == ["00000000000000000000.json"])
        let snap = try DeltaTable(path: dir).snapshot()
        #expect(snap.files.count == 3)
        #expect(snap.numRecords == 63)
        #expect(Canon.rows(try snap.read(), columns: DeltaWriterTests.columns) == DeltaWriterTests.dataRows(parts, columns: DeltaWriterTests.columns))
        let h = try DeltaTable(path: dir).history()
        #expect(h.count == 1)
        #expect(h[0].operation == "CREATE TABLE")
        // A second commit, or an append after the commit, is refused.
        #expect(throws: DeltaError.self) { try w.commit() }
        #expect(throws: DeltaError.self) { try w.append(parts[0]) }
    }

    /// Overwrite: the old rows stay readable at the old version until and after the commit; the new
    /// version holds only the new rows; one commit removes every old file.
    @Test func overwriteReplacesAtomically() throws {
        let dir = try TestPaths.tempDir("delta-stream-over").path
        let old = try WriterSample.table(rows: 30, seed: 40)
        _ = try DeltaWriter.write(old, to: dir, mode: .create)
        _ = try DeltaWriter.write(try WriterSample.table(rows: 5, seed: 41, idBase: 500), to: dir, mode: .append)
        let before = try DeltaTable(path: dir).snapshot()   // a reader holding version 1
        #expect(before.version == 1)
        let new = try (0 ..< 2).map { (i: Int) throws -> Table in try WriterSample.table(rows: 11, seed: UInt64(42 + i), idBase: Int64(1000 * (i + 1))) }
        let w = try DeltaStreamWriter(path: dir, mode: .overwrite)
        #expect(w.readVersion == 1)
        try w.append(new[0])
        #expect(try DeltaTable(path: dir).snapshot().numRecords == 35)
        try w.append(new[1])
        #expect(try w.commit() == 2)
        let now = try DeltaTable(path: dir).snapshot()
        #expect(now.version == 2)
        #expect(now.files.count == 2)
        #expect(Canon.rows(try now.read(), columns: DeltaWriterTests.columns) == DeltaWriterTests.dataRows(new, columns: DeltaWriterTests.columns))
        // The reader of the previous version still reads the old rows, as does time travel.
        #expect(try before.read().rowCount == 35)
        #expect(try DeltaTable(path: dir).snapshot(version: 1).read().rowCount == 35)
        let actions = try DeltaLog(table: dir).commitActions(2, listing: try DeltaLog(table: dir).list())
        #expect(actions.filter { if case .remove = $0 { true } else { false } }.count == 2)
        #expect(actions.filter { if case .add = $0 { true } else { false } }.count == 2)
        #expect(try DeltaTable(path: dir).history()[0].operationParameters["mode"] == "Overwrite")
    }

    @Test func abortLeavesNoVisibleChange() throws {
        let dir = try TestPaths.tempDir("delta-stream-abort").path
        _ = try DeltaWriter.write(try WriterSample.table(rows: 8, seed: 50), to: dir + "/t", mode: .create, partitionBy: ["region"])
        let filesBefore = Self.parquetFiles(dir + "/t")
        let w = try DeltaStreamWriter(path: dir + "/t", mode: .overwrite)
        try w.append(try WriterSample.table(rows: 40, seed: 51, idBase: 100))
        #expect(Self.parquetFiles(dir + "/t").count > filesBefore.count)
        w.abort()
        #expect(Self.parquetFiles(dir + "/t") == filesBefore)
        #expect(Self.commits(dir + "/t").count == 1)
        #expect(try DeltaTable(path: dir + "/t").snapshot().numRecords == 8)
        #expect(throws: DeltaError.self) { try w.commit() }

        // A new table: abort removes the folder it created.
        let w2 = try DeltaStreamWriter(path: dir + "/new/t", mode: .append, partitionBy: ["region"])
        try w2.append(try WriterSample.table(rows: 10, seed: 52))
        w2.abort()
        #expect(!FileManager.default.fileExists(atPath: dir + "/new/t"))
        // Dropping an uncommitted writer aborts it too.
        do {
            let w3 = try DeltaStreamWriter(path: dir + "/dropped", mode: .append)
            try w3.append(try WriterSample.table(rows: 3, seed: 53))
            #expect(Self.parquetFiles(dir + "/dropped").count == 1)
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/dropped"))
    }

    /// A lost race, forced between our data files and our commit: an append retries on the next
    /// version; an overwrite fails and deletes its files.
    @Test func lostRaceAppendRetriesOverwriteFailsAndCleansUp() throws {
        let dir = try TestPaths.tempDir("delta-stream-race").path
        _ = try DeltaWriter.write(try WriterSample.table(rows: 10, seed: 60), to: dir, mode: .create)
        final class Once: @unchecked Sendable { var fired = false }
        let once = Once()
        let w = try DeltaStreamWriter(path: dir, mode: .append)
        try w.append(try WriterSample.table(rows: 4, seed: 61, idBase: 100))
        try w.append(try WriterSample.table(rows: 5, seed: 62, idBase: 200))
        w.beforeCommit = { version in
            if !once.fired {
                once.fired = true
                let theirs = try DeltaWriter.write(try WriterSample.table(rows: 3, seed: 63, idBase: 300), to: dir, mode: .append)
                #expect(theirs == version)
            }
        }
        #expect(try w.commit() == 2)
        #expect(try DeltaTable(path: dir).snapshot().numRecords == 22)

        let filesBefore = Self.parquetFiles(dir)
        let once2 = Once()
        let o = try DeltaStreamWriter(path: dir, mode: .overwrite)
        try o.append(try WriterSample.table(rows: 6, seed: 64, idBase: 400))
        o.beforeCommit = { _ in
            if !once2.fired {
                once2.fired = true
                _ = try DeltaWriter.write(try WriterSample.table(rows: 2, seed: 65, idBase: 500), to: dir, mode: .append)
            }
        }
        do {
            _ = try o.commit()
            Issue.record("the overwrite should have lost")
        } catch let e as DeltaError {
            guard case .concurrentModification = e else { Issue.record("wrong error \(e)"); return }
        }
        // The overwrite's file is gone; the concurrent append's file is live.
        #expect(Self.parquetFiles(dir).count == filesBefore.count + 1)
        #expect(try DeltaTable(path: dir).snapshot().numRecords == 24)
    }

    @Test func batchesMustMatchTheSchema() throws {
        let dir = try TestPaths.tempDir("delta-stream-schema").path
        let w = try DeltaStreamWriter(path: dir + "/t", mode: .append)
        #expect(throws: DeltaError.self) { try w.commit() }   // nothing appended: no schema for a new table
        let w2 = try DeltaStreamWriter(path: dir + "/t", mode: .append)
        try w2.append(try Table([Column(Field("a", .int64), data: .int64([1])), Column(Field("b", .string), data: .bytes(ByteArrayBuffer(strings: ["x"])))]))
        do {
            try w2.append(try Table([Column(Field("a", .int64), data: .int64([2])), Column(Field("b", .int32), data: .int32([3]))]))
            Issue.record("a batch of another type should fail")
        } catch let e as DeltaError {
            #expect("\(e)".contains("column 'b'"))
        }
        // Columns are matched by name, whatever their order.
        try w2.append(try Table([Column(Field("b", .string), data: .bytes(ByteArrayBuffer(strings: ["y"]))), Column(Field("a", .int64), data: .int64([4]))]))
        #expect(try w2.commit() == 0)
        #expect(Canon.rows(try DeltaTable(path: dir + "/t").snapshot().read(), columns: ["a", "b"]) == [["1", "x"], ["4", "y"]])
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func streamedTableReadsBackInDeltalakeAndPyarrow() throws {
        let dir = try TestPaths.tempDir("delta-stream-peer").appendingPathComponent("t").path
        let parts = try (0 ..< 4).map { (i: Int) throws -> Table in try WriterSample.table(rows: 25, seed: UInt64(70 + i), idBase: Int64(1000 * i)) }
        let w = try DeltaStreamWriter(path: dir, mode: .overwrite, partitionBy: ["region"])
        for p in parts { try w.append(p) }
        #expect(try w.commit(commitInfo: ["mltrack.model": "models:/x/1"]) == 0)
        let peer = try PeerView.read(dir)
        #expect(peer.version == 0)
        #expect(peer.partitions == ["region"])
        #expect(peer.rows == WriterSample.expected(parts).map { DeltaWriterTests.reorder($0, to: peer.columns) })
        #expect(peer.pyarrowRows == DeltaWriterTests.dataRows(parts, columns: peer.dataColumns))
    }
}
