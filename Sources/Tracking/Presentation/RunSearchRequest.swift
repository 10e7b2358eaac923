/// A run search as the command line states it (MLflow's `runs/search` arguments as text): a filter in
/// MLflow's grammar, `order_by` items, `max_results` and a page token, checked up front and turned
/// into a ``RunQuery`` for any experiments. A bad filter or order item is
/// `TrackingError(.invalidParameterValue)` naming the token and its position.
///
/// ```swift
/// let req = try RunSearchRequest(filter: "metrics.auc > 0.8 and params.l2 = '1.0'",
///                                orderBy: ["metrics.auc DESC"], maxResults: 10)
/// let page = try store.searchRuns(req.query(experimentIds: ["1"]))
/// req.metricKeys   // ["auc"]: the columns worth showing
/// ```
public struct RunSearchRequest: Sendable, Hashable {
    /// nil: every run.
    public var filter: RunFilter?
    public var ordering: RunOrdering
    public var maxResults: Int
    public var pageToken: String?
    public var viewType: ViewType

    public init(filter: String? = nil, orderBy: [String] = [], maxResults: Int? = nil, pageToken: String? = nil,
                viewType: ViewType = .activeOnly) throws {
        let parsed = try RunFilter.parse(filter ?? "")
        self.filter = parsed.clauses.isEmpty ? nil : parsed
        self.ordering = try RunOrdering.parse(orderBy)
        self.maxResults = try RunSearch.validateMaxResults(maxResults)
        self.pageToken = pageToken
        self.viewType = viewType
    }

    /// The metric keys the order and the filter name, in that order, each once.
    public var metricKeys: [String] {
        var seen = Set<String>(), out: [String] = []
        let fromOrder = ordering.keys.filter { $0.entity == .metric }.map(\.key)
        let fromFilter = (filter?.clauses ?? []).filter { $0.entity == .metric }.map(\.key)
        for k in fromOrder + fromFilter where seen.insert(k).inserted { out.append(k) }
        return out
    }

    /// The store query over `experimentIds`.
    public func query(experimentIds: [String]) -> RunQuery {
        RunQuery(experimentIds: experimentIds, filter: filter, ordering: ordering, maxResults: maxResults,
                 pageToken: pageToken, viewType: viewType)
    }
}
