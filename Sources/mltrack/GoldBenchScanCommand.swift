import ArgumentParser
import Foundation
import GoldTables

/// `mltrack gold bench-scan PATH`: times full scans of a table for `make bench` (hidden).
struct GoldBenchScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-scan",
        abstract: "Time full scans of a table; prints JSON {rows, best_s, median_s} (used by make bench).",
        shouldDisplay: false
    )

    @OptionGroup var table: GoldTableOptions

    @Option(help: "Timed runs after one warm-up run.")
    var runs = 7

    @Option(help: "Comma-separated columns to read (default: all).")
    var columns: String?

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be ≥ 1.") }
    }

    func run() throws {
        let t = try table.open()
        let cols = parseColumnList(columns)
        func scanOnce() throws -> Int {
            let stream = try t.scan(columns: cols)
            var rows = 0
            while let batch = try stream.next() { rows += batch.rowCount }
            return rows
        }
        let rows = try scanOnce()  // warm-up (page cache, allocator)
        var times: [Double] = []
        for _ in 0 ..< runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let n = try scanOnce()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            guard n == rows else { throw ValidationError("row count changed between runs (\(rows) vs \(n))") }
            times.append(seconds)
        }
        times.sort()
        let median = times[times.count / 2]
        print(#"{"rows": \#(rows), "best_s": \#(times[0]), "median_s": \#(median), "runs": \#(runs)}"#)
    }
}
