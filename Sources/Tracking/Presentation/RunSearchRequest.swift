/// A run search as the command line states it (MLflow's `runs/search` arguments as text): a filter in
/// MLflow's grammar, `order_by` items, `max_results` and a page token, checked up front and turned
/// into a ``RunQuery`` for any ``TrackingStore``. A bad filter or order item is
/// `TrackingError(.invalidParameterValue)` naming the token and its position.
///
/// ```swift
/// let req = try RunSearchRequest(filter: "metrics.auc > 0.8 and params.l2 = '1.0'",
///                                orderBy: ["metrics.auc DESC"], maxResults: 10)
/// let page = try store.searchRuns(req.query(experimentIds: ["1"]))
/// ```
public struct RunSearchRequest: Sendable {
    public var filter: RunFilter
    public var filterText: String
    public var orderBy: [RunOrderBy]
    public var maxResults: Int
    public var pageToken: String?
    public var viewType: ViewType

    public init(filter: String? = nil, orderBy: [String] = [], maxResults: Int? = nil, pageToken: String? = nil,
                viewType: ViewType = .activeOnly) throws {
        filterText = filter ?? ""
        self.filter = try RunFilter.parse(filterText)
        // The search grammar validates every item (keys, duplicates); the store sorts by RunOrderBy.
        _ = try RunOrdering.parse(orderBy)
        self.orderBy = try orderBy.map(RunOrderBy.parse)
        self.maxResults = try RunSearch.validateMaxResults(maxResults)
        self.pageToken = pageToken
        self.viewType = viewType
    }

    /// The filter as a predicate over stored runs (nil when the filter is blank).
    public var predicate: RunFilterPredicate? {
        guard !filter.clauses.isEmpty else { return nil }
        let f = filter
        return RunFilterPredicate(filterText) { f.matches(SearchableStoredRun($0)) }
    }

    /// The metric keys the order and the filter name, in that order, each once (the columns worth
    /// showing next to the results).
    public var metricKeys: [String] {
        var seen = Set<String>(), out: [String] = []
        let fromOrder = orderBy.compactMap { o -> String? in if case let .metric(k) = o.key { return k } else { return nil } }
        let fromFilter = filter.clauses.filter { $0.entity == .metric }.map(\.key)
        for k in fromOrder + fromFilter where seen.insert(k).inserted { out.append(k) }
        return out
    }

    /// The store query over `experimentIds`.
    public func query(experimentIds: [String]) -> RunQuery {
        RunQuery(experimentIds: experimentIds, filter: predicate, orderBy: orderBy, maxResults: maxResults,
                 pageToken: pageToken, viewType: viewType)
    }
}

/// A stored ``Run`` as the search evaluator sees it.
struct SearchableStoredRun: SearchableRun {
    let run: Run
    init(_ run: Run) { self.run = run }

    var runID: String { run.info.runId }
    var runName: String? { run.info.runName }
    var status: String { run.info.status.rawValue }
    var userID: String? { run.info.userId }
    var artifactURI: String? { run.info.artifactUri }
    var startTime: Int64 { run.info.startTime }
    var endTime: Int64? { run.info.endTime }
    func latestMetric(_ key: String) -> Double? { run.data.metric(key)?.value }
    func param(_ key: String) -> String? { run.data.param(key) }
    func tag(_ key: String) -> String? { run.data.tag(key) }
    var datasetInputs: [SearchableDatasetInput] {
        run.inputs.datasetInputs.map {
            SearchableDatasetInput(name: $0.dataset.name, digest: $0.dataset.digest,
                                   context: $0.tags.first { $0.key == "mlflow.data.context" }?.value)
        }
    }
}
