import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import GoldTables

/// Throughput check on a large file (not part of the normal run): set MLTRACK_PARQUET_BENCH to a
/// Parquet file and run `swift test -c release --filter ParquetBenchmarkTests`.
@Suite struct ParquetBenchmarkTests {
    static var file: String? { ProcessInfo.processInfo.environment["MLTRACK_PARQUET_BENCH"] }

    @Test(.enabled(if: file != nil, "set MLTRACK_PARQUET_BENCH to a Parquet file to measure read speed"))
    func fullScanThroughput() throws {
        let path = try #require(Self.file)
        func cpu() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }
        var best = Double.infinity
        var bestCPU = Double.infinity
        var rows = 0
        var bytes = 0
        for _ in 0 ..< 5 {
            let start = Date()
            let c0 = cpu()
            let f = try ParquetFile(path: path)
            let s = try f.scan(columns: nil)
            rows = 0
            bytes = 0
            while let t = try s.next() {
                rows += t.rowCount
                for c in t.columns {
                    switch c.data {
                    case .int64(let v): bytes += v.count * 8
                    case .double(let v): bytes += v.count * 8
                    case .int32(let v): bytes += v.count * 4
                    case .float(let v): bytes += v.count * 4
                    default: break
                    }
                }
            }
            best = min(best, Date().timeIntervalSince(start))
            bestCPU = min(bestCPU, cpu() - c0)
        }
        print("parquet bench: \(rows) rows, \(bytes / 1_000_000) MB of values in \(best) s = \(Double(bytes) / best / 1e6) MB/s, \(Double(rows) / best / 1e6) M rows/s; CPU time \(bestCPU) s")
        #expect(rows > 0)
    }
}
