import ArgumentParser
import Tracking

/// `mltrack runs list`.
struct RunsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List runs, newest first: id, name, experiment, status, user, start time, duration.",
        discussion: "For filters and other orders use `mltrack runs search`."
    )

    @OptionGroup var options: TrackingOptions
    @OptionGroup var selection: ExperimentSelection

    @Option(help: "At most this many runs (1…50000).")
    var maxResults: Int = 100

    @Option(help: "The token printed after a previous page.")
    var pageToken: String?

    @Option(name: .customLong("metric"), help: "Show this metric's latest value as a column. Repeatable.")
    var metrics: [String] = []

    func validate() throws {
        if !(1 ... 50_000).contains(maxResults) { throw ValidationError("--max-results must be in 1…50000 (got \(maxResults)).") }
    }

    func run() throws {
        let store = try options.openStore()
        let ids = try selection.ids(in: store)
        let page = try cliErrors {
            let req = try RunSearchRequest(maxResults: maxResults, pageToken: pageToken, viewType: selection.view.viewType)
            return try store.searchRuns(req.query(experimentIds: ids))
        }
        try printRuns(page, metricKeys: metrics, options: options)
    }
}
