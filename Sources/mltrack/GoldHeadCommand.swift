import ArgumentParser
import GoldTables

/// `mltrack gold head PATH [-n N]`: the first rows as an aligned table.
struct GoldHeadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head",
        abstract: "Print the first rows of a table as an aligned text table."
    )

    @OptionGroup var table: GoldTableOptions

    @Option(name: [.customShort("n"), .long], help: "Number of rows to print.")
    var rows = 10

    @Option(help: "Comma-separated columns to show, in this order (default: all).")
    var columns: String?

    @Option(help: "Cut cells wider than this many characters.")
    var width = 32

    func validate() throws {
        if rows < 0 { throw ValidationError("-n must be ≥ 0 (got \(rows)).") }
        if width < 4 { throw ValidationError("--width must be ≥ 4 (got \(width)).") }
        if let c = columns, parseColumnList(c)?.isEmpty ?? true { throw ValidationError("--columns names no column.") }
    }

    func run() throws {
        let t = try table.open()
        let stream = try t.scan(columns: parseColumnList(columns))
        var parts: [Table] = []
        var have = 0
        while have < rows, let b = try stream.next() {
            let take = min(b.rowCount, rows - have)
            parts.append(take == b.rowCount ? b : b.slice(0 ..< take))
            have += take
        }
        let head = parts.isEmpty ? Table(empty: stream.schema) : try Table.concatenate(parts, schema: stream.schema)
        var out = StdoutWriter()
        out.write(TableRenderer.aligned(head, maxCellWidth: width))
        out.write("(\(head.rowCount) row\(head.rowCount == 1 ? "" : "s"))\n")
        out.flush()
    }
}
