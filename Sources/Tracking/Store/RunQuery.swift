/// The arguments of a run search (MLflow's `runs/search`): experiments, a parsed filter and
/// ordering (`Search/`), page size, page token and view. The throwing initialiser takes MLflow's
/// strings.
///
/// ```swift
/// let q = try RunQuery(experimentIds: ["1"], filter: "params.l2 = '1.0'", orderBy: ["metrics.auc DESC"], maxResults: 10)
/// let page = try store.searchRuns(q)
/// ```
public struct RunQuery: Sendable, Hashable {
    public var experimentIds: [String]
    /// nil: every run.
    public var filter: RunFilter?
    public var ordering: RunOrdering
    /// 1…50,000 (MLflow's limits).
    public var maxResults: Int
    /// MLflow's token (`SearchPageToken`); nil or empty: the first page.
    public var pageToken: String?
    public var viewType: ViewType

    public init(experimentIds: [String], filter: RunFilter? = nil, ordering: RunOrdering = RunOrdering(),
                maxResults: Int = RunSearch.defaultMaxResults, pageToken: String? = nil, viewType: ViewType = .activeOnly) {
        self.experimentIds = experimentIds
        self.filter = filter
        self.ordering = ordering
        self.maxResults = maxResults
        self.pageToken = pageToken
        self.viewType = viewType
    }

    /// Parses MLflow's `filter` (nil or blank: every run) and `order_by` strings; a bad one is
    /// `TrackingError(.invalidParameterValue)` naming the token and its position.
    public init(experimentIds: [String], filter: String?, orderBy: [String] = [],
                maxResults: Int = RunSearch.defaultMaxResults, pageToken: String? = nil, viewType: ViewType = .activeOnly) throws {
        let parsed = try RunFilter.parse(filter ?? "")
        self.init(experimentIds: experimentIds, filter: parsed.clauses.isEmpty ? nil : parsed,
                  ordering: try RunOrdering.parse(orderBy), maxResults: maxResults, pageToken: pageToken, viewType: viewType)
    }
}
