import ArgumentParser
import Tracking

/// `mltrack runs search --filter … --order-by …`.
struct RunsSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search runs with MLflow's filter grammar, order them and page through them.",
        discussion: """
            The filter joins clauses with AND, for example:

              metrics.test_auc > 0.8 and params.l2 = '1.0' and tags.team = 'growth'

            Metrics compare numbers (their latest value); params, tags and string attributes take quoted strings \
            and also LIKE / ILIKE; IS NULL matches a run lacking the key. --order-by takes `metrics.test_auc DESC`, \
            `params.l2`, `start_time ASC`, …; runs lacking a key come last. Metrics named in the filter or the \
            order are shown as columns. See docs/design/search.md for the whole grammar.
            """
    )

    @OptionGroup var options: TrackingOptions
    @OptionGroup var selection: ExperimentSelection

    @Option(help: "A filter in MLflow's search grammar.")
    var filter: String?

    @Option(name: .customLong("order-by"), help: "An order item such as 'metrics.test_auc DESC'. Repeatable; earlier items first.")
    var orderBy: [String] = []

    @Option(help: "At most this many runs per page (1…50000, default 1000).")
    var maxResults: Int?

    @Option(help: "The token printed after a previous page of the same search.")
    var pageToken: String?

    func validate() throws {
        if let m = maxResults, !(1 ... 50_000).contains(m) { throw ValidationError("--max-results must be in 1…50000 (got \(m)).") }
    }

    func run() throws {
        let store = try options.openStore()
        let req = try cliErrors {
            try RunSearchRequest(filter: filter, orderBy: orderBy, maxResults: maxResults, pageToken: pageToken,
                                 viewType: selection.view.viewType)
        }
        let ids = try selection.ids(in: store)
        let page = try cliErrors { try store.searchRuns(req.query(experimentIds: ids)) }
        try printRuns(page, metricKeys: req.metricKeys, options: options)
    }
}
