/// The arguments of a logged-model search (MLflow's `logged-models/search`): experiments, a filter
/// of ``SearchGrammar/loggedModels``, dataset filters, structured `order_by`, page size (default
/// 100, MLflow's) and page token. The throwing initialiser parses MLflow's strings.
///
/// ```swift
/// let q = try LoggedModelQuery(experimentIds: ["1"], filter: "metrics.auc > 0.8 AND tags.team = 'growth'",
///                              orderBy: [LoggedModelOrderBy(fieldName: "metrics.auc", ascending: false)], maxResults: 10)
/// let page = try store.searchLoggedModels(q)
/// ```
public struct LoggedModelQuery: Sendable, Hashable {
    public static let defaultMaxResults = 100

    public var experimentIds: [String]
    /// The filter as the client wrote it (nil when none); page tokens carry it.
    public var filterString: String?
    public var filter: RunFilter
    public var datasets: [LoggedModelDatasetFilter]
    public var orderBy: [LoggedModelOrderBy]
    public var maxResults: Int
    public var pageToken: String?

    /// `maxResults` nil or 0: 100 (MLflow treats 0 as unset); negative is `INVALID_PARAMETER_VALUE`.
    /// A dataset filter needs a name; an order-by field must be an attribute or `metrics.<key>`.
    public init(experimentIds: [String], filter: String? = nil, datasets: [LoggedModelDatasetFilter] = [],
                orderBy: [LoggedModelOrderBy] = [], maxResults: Int? = nil, pageToken: String? = nil) throws {
        let text = filter.flatMap { $0.isEmpty ? nil : $0 }
        self.experimentIds = experimentIds
        self.filterString = text
        self.filter = try RunFilter.parse(text ?? "", grammar: .loggedModels)
        if datasets.contains(where: { $0.datasetName.isEmpty }) {
            throw TrackingError(.invalidParameterValue, "`dataset_name` in the `datasets` clause must be specified.")
        }
        self.datasets = datasets
        for o in orderBy { _ = try o.target() }
        self.orderBy = orderBy
        if let maxResults, maxResults < 0 {
            throw TrackingError(.invalidParameterValue, "Invalid value \(maxResults) for parameter 'max_results' supplied. It must be a positive integer")
        }
        self.maxResults = maxResults.flatMap { $0 == 0 ? nil : $0 } ?? Self.defaultMaxResults
        self.pageToken = pageToken.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The offset the page token names, after checking that it was made for this same search.
    public func offset() throws -> Int {
        guard let pageToken else { return 0 }
        return try LoggedModelPageToken.decode(pageToken).offset(for: self)
    }
}

/// One `datasets` entry of a logged-model search: keep models with metrics logged on this dataset
/// (name, and digest when given); it also narrows the metric clauses of the filter.
///
/// ```swift
/// LoggedModelDatasetFilter(datasetName: "eval", datasetDigest: "3f2a")
/// ```
public struct LoggedModelDatasetFilter: Sendable, Hashable {
    public var datasetName: String
    public var datasetDigest: String?
    public init(datasetName: String, datasetDigest: String? = nil) {
        self.datasetName = datasetName
        self.datasetDigest = datasetDigest.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// One `order_by` entry of a logged-model search (MLflow's structured form): an attribute
/// (`name`, `model_id`, `model_type`, `status`, `source_run_id`, `experiment_id`,
/// `artifact_location`, `status_message`, `lifecycle_stage`, `creation_timestamp[_ms]` /
/// `creation_time`, `last_updated_timestamp[_ms]`) or `metrics.<key>` (its latest point, by
/// timestamp then step, optionally only points on a dataset). Missing values sort last.
///
/// ```swift
/// LoggedModelOrderBy(fieldName: "metrics.auc", ascending: false, datasetName: "eval")
/// ```
public struct LoggedModelOrderBy: Sendable, Hashable {
    public var fieldName: String
    public var ascending: Bool
    public var datasetName: String?
    public var datasetDigest: String?

    public init(fieldName: String, ascending: Bool = true, datasetName: String? = nil, datasetDigest: String? = nil) {
        self.fieldName = fieldName
        self.ascending = ascending
        self.datasetName = datasetName.flatMap { $0.isEmpty ? nil : $0 }
        self.datasetDigest = datasetDigest.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// What the field orders by.
    public enum Target: Sendable, Hashable {
        /// A column of MLflow's `logged_models` table (aliases resolved).
        case attribute(String)
        case metric(String)
    }

    static let aliases = ["creation_time": "creation_timestamp_ms", "creation_timestamp": "creation_timestamp_ms",
                          "last_updated_timestamp": "last_updated_timestamp_ms"]
    static let columns: Set<String> = ["model_id", "experiment_id", "name", "artifact_location", "creation_timestamp_ms",
                                       "last_updated_timestamp_ms", "status", "lifecycle_stage", "model_type", "source_run_id",
                                       "status_message"]

    public func target() throws -> Target {
        guard let dot = fieldName.firstIndex(of: ".") else {
            let name = Self.aliases[fieldName] ?? fieldName
            guard Self.columns.contains(name) else {
                throw TrackingError(.invalidParameterValue, "Invalid order by field name: \(fieldName)")
            }
            return .attribute(name)
        }
        guard fieldName[..<dot] == "metrics" else {
            throw TrackingError(.invalidParameterValue, "Invalid order by field name: \(fieldName). Only metrics are supported.")
        }
        return .metric(String(fieldName[fieldName.index(after: dot)...]))
    }
}
