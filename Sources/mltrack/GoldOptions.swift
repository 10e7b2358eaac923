import ArgumentParser
import Foundation
import GoldTables

/// Where a table is and how to open it: shared by the `gold` subcommands that read a table.
struct GoldTableOptions: ParsableArguments {
    @Argument(help: "The table: a Delta table folder, a Parquet file or folder, or a .csv/.tsv file.")
    var path: String

    @Option(name: .customLong("version"), help: "Read this Delta table version (time travel; Delta only).")
    var tableVersion: Int64?

    @Option(help: "Read the Delta table as of this instant (ISO-8601, e.g. 2025-01-01T12:00:00Z; Delta only).")
    var timestamp: String?

    @Option(help: "CSV field delimiter: one character, or 'tab' (default: tab for .tsv, comma otherwise).")
    var delimiter: String?

    @Flag(help: "The CSV file has no header row (columns are named column_1, column_2, …).")
    var noHeader = false

    @Option(name: .customLong("csv-type"),
            help: "Force a CSV column's type instead of inferring it: name=type (e.g. zip=string, amount=decimal(12,2), ts=timestamp[us, UTC]). Repeatable.")
    var csvTypes: [String] = []

    func validate() throws {
        if tableVersion != nil && timestamp != nil {
            throw ValidationError("Give --version or --timestamp, not both.")
        }
        if let v = tableVersion, v < 0 { throw ValidationError("--version must be ≥ 0 (got \(v)).") }
        if let t = timestamp, GoldTable.parseTimestamp(t) == nil {
            throw ValidationError("--timestamp '\(t)' is not ISO-8601 (e.g. 2025-01-01 or 2025-01-01T12:00:00Z).")
        }
        _ = try delimiterByte()
        do {
            _ = try CSVOptions.parseOverrides(csvTypes)
        } catch {
            throw ValidationError("--csv-type: \(error)")
        }
    }

    func delimiterByte() throws -> UInt8? {
        guard let d = delimiter else { return nil }
        if d == "tab" || d == "\\t" || d == "\t" { return UInt8(ascii: "\t") }
        guard d.utf8.count == 1, let b = d.utf8.first, b != UInt8(ascii: "\""), b != 0x0A, b != 0x0D else {
            throw ValidationError("--delimiter must be one ASCII character (not a quote or line break) or 'tab'.")
        }
        return b
    }

    func open() throws -> GoldTable {
        var csv = CSVOptions()
        csv.delimiter = try delimiterByte()
        csv.header = !noHeader
        if !csvTypes.isEmpty { csv.schema = try CSVOptions.parseOverrides(csvTypes) }
        return try GoldTable.open(path, version: tableVersion, timestamp: timestamp.flatMap(GoldTable.parseTimestamp),
                                  csv: csv)
    }
}

/// Parses `a,b,c` into column names (nil for nil).
func parseColumnList(_ s: String?) -> [String]? {
    guard let s else { return nil }
    return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// Buffered writes to standard output (file descriptor 1, unbuffered by C stdio).
struct StdoutWriter {
    private var buffer: [UInt8] = []

    mutating func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func write(_ s: String) {
        write(Array(s.utf8))
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { p in
            guard let base = p.baseAddress else { return }
            var done = 0
            while done < p.count {
                let n = Foundation.write(1, base + done, p.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return  // closed pipe or full disk: stop writing
                }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
