/// Filter, order and page runs in memory, as MLflow's `runs/search` does: the reference
/// evaluator (the SQLite store does the same in SQL through `RunSearchSQL`, and its conformance
/// suite checks both against MLflow's fixture) and the search of any backend holding runs in memory.
///
/// ```swift
/// let page = try RunSearch(filter: "metrics.auc > 0.8", orderBy: ["metrics.auc DESC"],
///                          maxResults: 100, pageToken: nil)
///     .run(over: runs)
/// page.items; page.nextPageToken   // nil on the last page
/// ```
public struct RunSearch: Sendable, Hashable {
    /// MLflow's `runs/search` defaults and bounds.
    public static let defaultMaxResults = 1000
    public static let maxResultsLimit = EntityValidation.maxSearchResults

    public var filter: RunFilter
    public var ordering: RunOrdering
    public var maxResults: Int
    public var offset: Int

    /// Parses and validates everything up front; every bad input is a
    /// `TrackingError(.invalidParameterValue)`.
    public init(filter: String?, orderBy: [String], maxResults: Int?, pageToken: String?,
                maxResultsLimit: Int = RunSearch.maxResultsLimit) throws {
        try self.init(filter: try RunFilter.parse(filter ?? ""), ordering: try RunOrdering.parse(orderBy),
                      maxResults: maxResults, pageToken: pageToken, maxResultsLimit: maxResultsLimit)
    }

    /// From an already parsed filter and ordering.
    public init(filter: RunFilter, ordering: RunOrdering, maxResults: Int?, pageToken: String?,
                maxResultsLimit: Int = RunSearch.maxResultsLimit) throws {
        self.filter = filter
        self.ordering = ordering
        self.maxResults = try Self.validateMaxResults(maxResults, limit: maxResultsLimit)
        self.offset = try SearchPageToken.decode(pageToken).offset
    }

    /// The in-memory search of a store query (its experiment ids and view type are the caller's
    /// business: pass only the runs they select).
    public init(_ query: RunQuery) throws {
        try self.init(filter: query.filter ?? RunFilter(), ordering: query.ordering, maxResults: query.maxResults,
                      pageToken: query.pageToken)
    }

    /// `nil` → the default (1000); otherwise 1...limit, as MLflow's SQL store checks it.
    public static func validateMaxResults(_ value: Int?, limit: Int = maxResultsLimit) throws -> Int {
        guard let value else { return min(defaultMaxResults, limit) }
        guard value >= 1 else {
            throw TrackingError(.invalidParameterValue,
                "Invalid value \(value) for parameter 'max_results' supplied. It must be a positive integer")
        }
        guard value <= limit else {
            throw TrackingError(.invalidParameterValue,
                "Invalid value \(value) for parameter 'max_results' supplied. It must be at most \(limit)")
        }
        return value
    }

    /// Filters, sorts and cuts one page out of `runs` (already limited to the experiments and
    /// view type of the search).
    public func run<R: SearchableRun & Sendable>(over runs: [R]) -> Page<R> {
        let matching = runs.filter { filter.matches($0) }.sorted(by: ordering.areInIncreasingOrder)
        return page(of: matching)
    }

    /// Cuts one page out of runs already filtered and ordered.
    public func page<R: Sendable>(of sorted: [R]) -> Page<R> {
        let start = min(offset, sorted.count)
        let end = min(start + maxResults, sorted.count)
        return Page(items: Array(sorted[start..<end]), nextPageToken: end < sorted.count ? nextPageToken(after: end) : nil)
    }

    /// The token for the page starting at `offset` (for stores that page in SQL with
    /// `LIMIT maxResults + 1`).
    public func nextPageToken(after offset: Int) -> String {
        SearchPageToken(offset: offset).encoded
    }
}
