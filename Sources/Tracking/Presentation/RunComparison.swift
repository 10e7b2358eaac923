/// Runs side by side (`mltrack runs compare`): one row per param and per latest metric that any of
/// the runs has, one column per run, and whether the values differ (a run lacking the key counts as
/// different from one that has it; NaN equals NaN).
///
/// Rendered for a terminal the differing rows are bold yellow (ANSI); for a pipe or file they carry a
/// `*` in a leading marker column instead, so the output stays plain text.
///
/// ```swift
/// let cmp = RunComparison(runs: [a, b])
/// cmp.rows.filter(\.differs).map(\.key)   // ["l2", "test_auc"]
/// print(cmp.render(style: .marker))
/// ```
public struct RunComparison: Sendable, Hashable {
    /// Where a compared value comes from.
    public enum Section: String, Sendable, Hashable, Codable {
        case param, metric
    }

    /// One key across the runs: its values (nil where a run lacks it) and whether they differ.
    public struct Row: Sendable, Hashable {
        public var section: Section
        public var key: String
        public var values: [String?]
        public var differs: Bool
    }

    /// How differing rows are shown.
    public enum Style: Sendable, Hashable {
        /// ANSI bold + yellow on the differing rows (for terminals).
        case ansi
        /// A leading `*` column on the differing rows (for pipes and files).
        case marker
    }

    public var runs: [Run]
    public var rows: [Row]

    public init(runs: [Run]) {
        self.runs = runs
        var rows: [Row] = []
        let paramKeys = Set(runs.flatMap { $0.data.params.map(\.key) }).sorted()
        for k in paramKeys {
            let values = runs.map { $0.data.param(k) }
            rows.append(Row(section: .param, key: k, values: values, differs: Set(values.map { $0 ?? "\u{0}absent" }).count > 1))
        }
        let metricKeys = Set(runs.flatMap { $0.data.metrics.map(\.key) }).sorted()
        for k in metricKeys {
            let raw = runs.map { $0.data.metric(k)?.value }
            let differs = raw.contains { a in
                !raw.allSatisfy { b in
                    switch (a, b) {
                    case (nil, nil): true
                    case let (x?, y?): x == y || (x.isNaN && y.isNaN)
                    default: false
                    }
                }
            }
            rows.append(Row(section: .metric, key: k, values: raw.map { $0.map(DisplayNumber.text) }, differs: differs))
        }
        self.rows = rows
    }

    /// The keys whose values differ, as `param.l2`, `metric.test_auc`.
    public var differingKeys: [String] { rows.filter(\.differs).map { "\($0.section.rawValue).\($0.key)" } }

    /// A table: a header with each run's name and id prefix, then params, then metrics.
    public func render(style: Style) -> String {
        let marker = style == .marker
        var headers = marker ? [""] : []
        headers += ["", "KEY"] + runs.map { "\($0.info.runName) (\($0.info.runId.prefix(8)))" }
        var t = TextTable(headers)
        for r in rows {
            var cells = marker ? [r.differs ? "*" : ""] : []
            cells += [r.section.rawValue, r.key] + r.values.map { $0 ?? "-" }
            t.append(cells)
        }
        var text = t.render()
        guard style == .ansi else { return text }
        // Highlight whole lines of differing rows; the table's lines are header, rule, then rows.
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (i, r) in rows.enumerated() where r.differs && i + 2 < lines.count {
            lines[i + 2] = "\u{1B}[1;33m" + lines[i + 2] + "\u{1B}[0m"
        }
        text = lines.joined(separator: "\n")
        return text
    }
}
