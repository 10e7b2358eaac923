import Foundation
import Testing
@testable import GoldTables

/// Throughput check (not part of the normal run): set MLTRACK_DELTA_BENCH to a Delta table and run
/// `swift test -c release --filter DeltaBenchmarkTests`. Prints the best of 5 full scans and one
/// DeltaWriter round trip of the table read.
@Suite struct DeltaBenchmarkTests {
    static var table: String? { ProcessInfo.processInfo.environment["MLTRACK_DELTA_BENCH"] }

    @Test(.enabled(if: table != nil, "set MLTRACK_DELTA_BENCH to a Delta table to measure read speed"))
    func fullScanThroughput() throws {
        let path = try #require(Self.table)
        var best = Double.infinity
        var rows = 0
        var last: Table? = nil
        for _ in 0 ..< 5 {
            let start = Date()
            let snap = try DeltaTable(path: path).snapshot()
            let t = try snap.read()
            rows = t.rowCount
            best = min(best, Date().timeIntervalSince(start))
            last = t
        }
        print("delta read bench: \(rows) rows in \(best) s = \(Double(rows) / best / 1e6) M rows/s")
        var bestScan = Double.infinity
        for _ in 0 ..< 5 {
            let start = Date()
            let s = try DeltaTable(path: path).snapshot().scan(columns: nil)
            var n = 0
            while let b = try s.next() { n += b.rowCount }
            bestScan = min(bestScan, Date().timeIntervalSince(start))
            #expect(n == rows)
        }
        print("delta scan bench (batches, no concatenation): \(rows) rows in \(bestScan) s")
        var bestPq = Double.infinity
        let files = try DeltaTable(path: path).snapshot().files.map { path + "/" + $0.path }
        for _ in 0 ..< 5 {
            let start = Date()
            for f in files {
                let s = try ParquetFile(path: f).scan(columns: nil)
                while try s.next() != nil {}
            }
            bestPq = min(bestPq, Date().timeIntervalSince(start))
        }
        print("parquet-only scan of the same files: \(bestPq) s")
        if let t = last {
            let out = try TestPaths.tempDir("delta-bench").appendingPathComponent("w").path
            let start = Date()
            _ = try DeltaWriter.write(t, to: out, mode: .create)
            let w = Date().timeIntervalSince(start)
            print("delta write bench: \(rows) rows in \(w) s = \(Double(rows) / w / 1e6) M rows/s")
        }
        #expect(rows > 0)
    }
}

extension DeltaBenchmarkTests {
    static var logTable: String? { ProcessInfo.processInfo.environment["MLTRACK_DELTA_LOG_BENCH"] }

    /// Log replay speed (set MLTRACK_DELTA_LOG_BENCH to a table with a long JSON log).
    @Test(.enabled(if: logTable != nil, "set MLTRACK_DELTA_LOG_BENCH to a Delta table to time log replay"))
    func logReplay() throws {
        let path = try #require(Self.logTable)
        let start = Date()
        let snap = try DeltaTable(path: path).snapshot()
        print("delta log bench: version \(snap.version), \(snap.files.count) live files in \(Date().timeIntervalSince(start)) s")
    }
}
