/// Filter, order and page runs in memory, as MLflow's `runs/search` does.
///
/// ```swift
/// let page = try RunSearch(filter: "metrics.auc > 0.8", orderBy: ["metrics.auc DESC"],
///                          maxResults: 100, pageToken: nil, scope: ["1", "ACTIVE_ONLY"])
///     .run(over: runs)
/// page.runs; page.nextPageToken   // nil on the last page
/// ```
public struct RunSearch: Sendable, Hashable {
    /// MLflow's `runs/search` defaults and bounds.
    public static let defaultMaxResults = 1000
    public static let maxResultsLimit = 50000

    public var filter: RunFilter
    public var ordering: RunOrdering
    public var maxResults: Int
    public var offset: Int
    public var fingerprint: UInt64

    /// Parses and validates everything up front; every bad input is a
    /// `TrackingError(.invalidParameterValue)`.
    public init(filter: String?, orderBy: [String], maxResults: Int?, pageToken: String?, scope: [String],
                maxResultsLimit: Int = RunSearch.maxResultsLimit) throws {
        self.filter = try RunFilter.parse(filter ?? "")
        self.ordering = try RunOrdering.parse(orderBy)
        self.maxResults = try Self.validateMaxResults(maxResults, limit: maxResultsLimit)
        self.fingerprint = SearchPageToken.fingerprint(filter: self.filter, ordering: ordering, scope: scope)
        self.offset = try SearchPageToken.decode(pageToken, expecting: fingerprint).offset
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

    /// One page of results.
    public struct Page<Run> {
        public var runs: [Run]
        /// nil when this is the last page.
        public var nextPageToken: String?
    }

    /// Filters, sorts and cuts one page out of `runs` (already limited to the experiments and
    /// view type of the search).
    public func run<R: SearchableRun>(over runs: [R]) -> Page<R> {
        let matching = runs.filter { filter.matches($0) }.sorted(by: ordering.areInIncreasingOrder)
        return page(of: matching)
    }

    /// Cuts one page out of runs already filtered and ordered (e.g. by SQL).
    public func page<R>(of sorted: [R]) -> Page<R> {
        let start = min(offset, sorted.count)
        let end = min(start + maxResults, sorted.count)
        let next = end < sorted.count ? SearchPageToken(offset: end, fingerprint: fingerprint).encoded : nil
        return Page(runs: Array(sorted[start..<end]), nextPageToken: next)
    }

    /// The token for the page after one that ended at `offset` (for stores that page in SQL with
    /// `LIMIT maxResults + 1`).
    public func nextPageToken(after offset: Int) -> String {
        SearchPageToken(offset: offset, fingerprint: fingerprint).encoded
    }
}
