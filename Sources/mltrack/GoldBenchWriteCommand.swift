import ArgumentParser
import Foundation
import GoldTables

/// `mltrack gold bench-write PATH --out DIR`: times writes of a table for `make bench` (hidden).
///
/// Reads the table once into memory, then writes it `--runs` times (after one warm-up write), each
/// to a fresh path under `--out`; the previous output is deleted between runs, outside the timed
/// region. The Parquet writer fsyncs each file (and its folder) on close, as in production.
struct GoldBenchWriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-write",
        abstract: "Time writes of a table read into memory; prints JSON {rows, best_s, median_s} (used by make bench).",
        shouldDisplay: false
    )

    /// The output format of the timed writes.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case parquet, delta
    }

    @OptionGroup var table: GoldTableOptions

    @Option(help: "Folder for the written outputs (created if absent; each run's output is deleted).")
    var out: String

    @Option(help: "Timed runs after one warm-up run.")
    var runs = 7

    @Option(help: "Page compression: snappy, zstd or none.")
    var codec = "snappy"

    @Option(help: "Write a single Parquet file or a new Delta table.")
    var format: Format = .parquet

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be ≥ 1.") }
        guard ["snappy", "zstd", "none"].contains(codec.lowercased()) else {
            throw ValidationError("--codec must be snappy, zstd or none (got '\(codec)').")
        }
    }

    func run() throws {
        guard let compression = CompressionCodec(name: codec) else {
            throw ValidationError("--codec must be snappy, zstd or none (got '\(codec)').")
        }
        let data = try table.open().read()
        let rows = data.rowCount
        let fm = FileManager.default
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        let options = ParquetWriteOptions(codec: compression)
        let stamp = ProcessInfo.processInfo.processIdentifier
        func target(_ i: Int) -> String {
            let name = "mltrack-bench-write-\(stamp)-\(i)" + (format == .parquet ? ".parquet" : "")
            return (out as NSString).appendingPathComponent(name)
        }
        func remove(_ path: String) throws {
            if fm.fileExists(atPath: path) { try fm.removeItem(atPath: path) }
        }
        func writeOnce(_ path: String) throws {
            switch format {
            case .parquet: _ = try ParquetWriter.write(data, to: path, options: options)
            case .delta: try DeltaWriter.write(data, to: path, mode: .create, options: options)
            }
        }
        var times: [Double] = []
        var previous: String? = nil
        defer { if let p = previous { try? remove(p) } }
        for i in 0 ... runs {  // run 0 is the warm-up (page cache, allocator)
            if let p = previous { try remove(p) }
            let path = target(i)
            try remove(path)
            previous = path
            let start = DispatchTime.now().uptimeNanoseconds
            try writeOnce(path)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if i > 0 { times.append(seconds) }
        }
        times.sort()
        let median = times[times.count / 2]
        print(#"{"rows": \#(rows), "best_s": \#(times[0]), "median_s": \#(median), "runs": \#(runs)}"#)
    }
}
