/// The arguments of an experiment search (MLflow's `experiments/search`): view, a filter parsed
/// with `SearchGrammar.experiments` (`name LIKE 'churn%' AND tags.team = 'growth'`), order and
/// paging. The throwing initialiser takes MLflow's strings.
///
/// ```swift
/// let q = try ExperimentQuery(filter: "tags.team = 'growth'", orderBy: ["name ASC"])
/// let page = try store.searchExperiments(q)
/// ```
public struct ExperimentQuery: Sendable, Hashable {
    public var viewType: ViewType
    /// A filter of the experiments grammar; nil: every experiment of the view.
    public var filter: RunFilter?
    public var orderBy: [ExperimentOrderBy]
    public var maxResults: Int
    public var pageToken: String?

    public init(viewType: ViewType = .activeOnly, filter: RunFilter? = nil, orderBy: [ExperimentOrderBy] = [],
                maxResults: Int = RunSearch.defaultMaxResults, pageToken: String? = nil) {
        self.viewType = viewType
        self.filter = filter
        self.orderBy = orderBy
        self.maxResults = maxResults
        self.pageToken = pageToken
    }

    /// Parses MLflow's `filter` (experiments grammar; nil or blank: every experiment) and
    /// `order_by` strings; a bad one is `TrackingError(.invalidParameterValue)`.
    public init(viewType: ViewType = .activeOnly, filter: String?, orderBy: [String] = [],
                maxResults: Int = RunSearch.defaultMaxResults, pageToken: String? = nil) throws {
        let parsed = try RunFilter.parse(filter ?? "", grammar: .experiments)
        self.init(viewType: viewType, filter: parsed.clauses.isEmpty ? nil : parsed,
                  orderBy: try orderBy.map(ExperimentOrderBy.parse), maxResults: maxResults, pageToken: pageToken)
    }
}

/// One `order_by` item of an experiment search: `name`, `experiment_id`, `creation_time` or
/// `last_update_time` (optionally `attribute.`-prefixed), ASC by default. Every search ends with
/// MLflow's tail order `creation_time DESC, experiment_id ASC`.
///
/// ```swift
/// let o = try ExperimentOrderBy.parse("last_update_time DESC")
/// ```
public struct ExperimentOrderBy: Sendable, Hashable {
    /// The orderable experiment attributes.
    public enum Attribute: String, Sendable, Hashable, CaseIterable {
        case name, experimentId = "experiment_id", creationTime = "creation_time", lastUpdateTime = "last_update_time"
    }

    public var attribute: Attribute
    public var ascending: Bool

    public init(_ attribute: Attribute, ascending: Bool = true) {
        self.attribute = attribute
        self.ascending = ascending
    }

    public static func parse(_ text: String) throws -> ExperimentOrderBy {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard let first = words.first, words.count <= 2 else {
            throw TrackingError(.invalidParameterValue, "Invalid order_by clause '\(text)'")
        }
        var ascending = true
        if words.count == 2 {
            switch words[1].uppercased() {
            case "ASC": ascending = true
            case "DESC": ascending = false
            default: throw TrackingError(.invalidParameterValue, "Invalid order_by clause '\(text)': expected ASC or DESC after the key")
            }
        }
        var key = String(first)
        for prefix in ["attributes.", "attribute.", "attr."] where key.lowercased().hasPrefix(prefix) {
            key = String(key.dropFirst(prefix.count))
        }
        guard let a = Attribute(rawValue: key) else {
            throw TrackingError(.invalidParameterValue, "Invalid order_by clause '\(text)': invalid attribute key '\(key)'; valid keys are \(Attribute.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return ExperimentOrderBy(a, ascending: ascending)
    }

    /// Sorts by the items, then `creation_time DESC, experiment_id ASC` (ids compare numerically).
    public static func sort(_ experiments: [Experiment], by orderBy: [ExperimentOrderBy]) throws -> [Experiment] {
        var seen = Set<Attribute>()
        for o in orderBy where !seen.insert(o.attribute).inserted {
            throw TrackingError(.invalidParameterValue, "`order_by` contains duplicate fields: \(o.attribute.rawValue)")
        }
        var items = orderBy
        if !seen.contains(.creationTime) { items.append(ExperimentOrderBy(.creationTime, ascending: false)) }
        if !seen.contains(.experimentId) { items.append(ExperimentOrderBy(.experimentId)) }
        func compare(_ a: Experiment, _ b: Experiment, _ attr: Attribute) -> Int {
            switch attr {
            case .name: return a.name == b.name ? 0 : (Array(a.name.utf8).lexicographicallyPrecedes(b.name.utf8) ? -1 : 1)
            case .experimentId:
                let x = Int64(a.experimentId) ?? 0, y = Int64(b.experimentId) ?? 0
                return x == y ? 0 : (x < y ? -1 : 1)
            case .creationTime: return a.creationTime == b.creationTime ? 0 : (a.creationTime < b.creationTime ? -1 : 1)
            case .lastUpdateTime: return a.lastUpdateTime == b.lastUpdateTime ? 0 : (a.lastUpdateTime < b.lastUpdateTime ? -1 : 1)
            }
        }
        return experiments.sorted { a, b in
            for item in items {
                let c = compare(a, b, item.attribute)
                if c != 0 { return item.ascending ? c < 0 : c > 0 }
            }
            return false
        }
    }
}
