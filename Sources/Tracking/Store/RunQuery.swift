/// The arguments of a run search (MLflow's `runs/search`): experiments, filter, order, page size,
/// page token and view.
///
/// ```swift
/// let q = RunQuery(experimentIds: ["1"], orderBy: [try RunOrderBy.parse("metrics.auc DESC")], maxResults: 10)
/// let page = try store.searchRuns(q)
/// ```
public struct RunQuery: Sendable {
    public var experimentIds: [String]
    public var filter: RunFilterPredicate?
    public var orderBy: [RunOrderBy]
    /// 1…50,000 (MLflow's limits).
    public var maxResults: Int
    public var pageToken: String?
    public var viewType: ViewType

    public init(experimentIds: [String], filter: RunFilterPredicate? = nil, orderBy: [RunOrderBy] = [],
                maxResults: Int = 1000, pageToken: String? = nil, viewType: ViewType = .activeOnly) {
        self.experimentIds = experimentIds
        self.filter = filter
        self.orderBy = orderBy
        self.maxResults = maxResults
        self.pageToken = pageToken
        self.viewType = viewType
    }
}
