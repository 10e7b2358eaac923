extension TableRenderer {
    /// A table as aligned, human-readable text (what `mltrack gold head` prints): a header of column
    /// names and types, a rule, then one line per row. Numbers are right-aligned, other values left-
    /// aligned; cells wider than `maxCellWidth` are cut with `…`; line breaks and tabs in values are
    /// shown as `\n`, `\t`. Nulls are shown as `null`.
    public static func aligned(_ table: Table, maxCellWidth: Int = 32) -> String {
        let width = max(4, maxCellWidth)
        func clip(_ s: String) -> String {
            var t = s.replacingOccurrences(of: "\r", with: "\\r")
                .replacingOccurrences(of: "\n", with: "\\n")
                .replacingOccurrences(of: "\t", with: "\\t")
            if t.count > width { t = String(t.prefix(width - 1)) + "…" }
            return t
        }
        var cells: [[String]] = table.columns.map { c in
            [clip(c.name), clip(c.type.description)] + (0 ..< table.rowCount).map { clip(text(c, row: $0)) }
        }
        let rightAlign = table.columns.map { c -> Bool in
            switch c.type {
            case .int8, .int16, .int32, .int64, .float32, .float64, .decimal: true
            default: false
            }
        }
        let widths = cells.map { col in col.map(\.count).max() ?? 0 }
        for (ci, col) in cells.enumerated() {
            for (ri, s) in col.enumerated() {
                let pad = String(repeating: " ", count: widths[ci] - s.count)
                cells[ci][ri] = rightAlign[ci] && ri >= 2 ? pad + s : s + pad
            }
        }
        var lines: [String] = []
        let nrows = table.rowCount + 2
        for r in 0 ..< nrows {
            var parts: [String] = []
            for c in cells.indices { parts.append(cells[c][r]) }
            var line = parts.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
            if r == 1 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
