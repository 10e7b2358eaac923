import ArgumentParser
import Tracking

/// `mltrack runs compare RUN RUN…`.
struct RunsCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Show the params and latest metrics of runs side by side, differences highlighted.",
        discussion: """
            One row per param and metric any of the runs has, one column per run; `-` where a run lacks the key. \
            Rows whose values differ are bold yellow on a terminal and marked with `*` in the first column \
            otherwise. With --format json prints {"runs": [...], "rows": [{"section", "key", "values", "differs"}]}.
            """
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "Two or more run ids.")
    var runs: [String]

    @Flag(help: "Show only the rows whose values differ.")
    var onlyDifferences = false

    func validate() throws {
        if runs.count < 2 { throw ValidationError("Give at least two runs to compare (got \(runs.count)).") }
    }

    struct RowJSON: Encodable {
        var section: String
        var key: String
        var values: [String?]
        var differs: Bool
    }

    struct CompareJSON: Encodable {
        var runs: [String]
        var rows: [RowJSON]
    }

    func run() throws {
        let store = try options.openStore()
        let loaded = try cliErrors { try runs.map { try store.getRun(id: $0) } }
        var cmp = RunComparison(runs: loaded)
        if onlyDifferences { cmp.rows = cmp.rows.filter(\.differs) }
        if options.json {
            try options.printJSON(CompareJSON(runs: loaded.map(\.info.runId), rows: cmp.rows.map {
                RowJSON(section: $0.section.rawValue, key: $0.key, values: $0.values, differs: $0.differs)
            }))
        } else {
            print(cmp.render(style: stdoutIsTerminal ? .ansi : .marker), terminator: "")
        }
    }
}
