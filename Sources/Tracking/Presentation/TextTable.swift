/// Aligned plain-text columns for the command line: a header row, a rule of dashes, then the rows.
/// Columns listed in `rightAligned` (numbers) are padded on the left; every other column on the
/// right; trailing spaces are trimmed. Width counts characters (`Character`), so accented names stay
/// aligned.
///
/// ```swift
/// var t = TextTable(["ID", "NAME"], rightAligned: [0])
/// t.append(["1", "churn"])
/// print(t.render())
/// // ID  NAME
/// // --  -----
/// //  1  churn
/// ```
public struct TextTable: Sendable, Hashable {
    public var headers: [String]
    public var rows: [[String]]
    public var rightAligned: Set<Int>

    public init(_ headers: [String], rows: [[String]] = [], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rows = rows
        self.rightAligned = rightAligned
    }

    /// Adds a row; missing cells are blank, extra cells are dropped.
    public mutating func append(_ row: [String]) {
        rows.append(Array((row + Array(repeating: "", count: max(0, headers.count - row.count))).prefix(headers.count)))
    }

    /// The table as lines ending in `\n`; line breaks and tabs inside cells are shown as `\n`, `\t`.
    public func render() -> String {
        let all = [headers] + rows.map { r in r.map(Self.oneLine) }
        let widths = headers.indices.map { c in all.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for c in headers.indices {
                let s = cells.indices.contains(c) ? cells[c] : ""
                let pad = String(repeating: " ", count: widths[c] - s.count)
                parts.append(rightAligned.contains(c) ? pad + s : s + pad)
            }
            var l = parts.joined(separator: "  ")
            while l.hasSuffix(" ") { l.removeLast() }
            return l
        }
        var out = [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map { line($0.map(Self.oneLine)) }
        return out.joined(separator: "\n") + "\n"
    }

    static func oneLine(_ s: String) -> String {
        s.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\t", with: "\\t")
    }
}
