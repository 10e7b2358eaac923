import ArgumentParser
import GoldTables

/// `mltrack gold stats PATH`: row count and per-column nulls, min, max and distinct count.
struct GoldStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print the row count and, per column, nulls, min, max and distinct values.",
        discussion: """
            Distinct counts are exact (over 64-bit value hashes) while a column has at most \
            \(TableSummary.exactDistinctLimit) distinct values, then a HyperLogLog estimate (≈0.8% error), \
            marked with '~'. Min and max ignore NaN.
            """
    )

    @OptionGroup var table: GoldTableOptions

    @Option(help: "Comma-separated columns to summarise (default: all).")
    var columns: String?

    func validate() throws {
        if let c = columns, parseColumnList(c)?.isEmpty ?? true { throw ValidationError("--columns names no column.") }
    }

    func run() throws {
        let t = try table.open()
        let s = try TableSummary.compute(try t.scan(columns: parseColumnList(columns)))
        var cells: [[String]] = [["column", "type", "nulls", "min", "max", "distinct"]]
        func clip(_ v: Value?) -> String {
            guard let v else { return "-" }
            var x = TableRenderer.text(v).replacingOccurrences(of: "\n", with: "\\n")
            if x.count > 32 { x = String(x.prefix(31)) + "…" }
            return x
        }
        for c in s.columns {
            cells.append([c.name, c.type.description, String(c.nulls), clip(c.min), clip(c.max),
                          (c.distinctExact ? "" : "~") + String(c.distinct)])
        }
        let widths = (0 ..< 6).map { i in cells.map { $0[i].count }.max() ?? 0 }
        var out = StdoutWriter()
        out.write("rows: \(s.rows)\n")
        for row in cells {
            var line = ""
            for i in 0 ..< 6 {
                let pad = String(repeating: " ", count: widths[i] - row[i].count)
                line += (i == 2 || i == 5) ? pad + row[i] : row[i] + pad
                if i < 5 { line += "  " }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out.write(line + "\n")
        }
        let approx = s.columns.contains { !$0.distinctExact }
        out.write("distinct: \(approx ? "'~' = HyperLogLog estimate, others exact" : "exact")\n")
        out.flush()
    }
}
