/// A parsed MLflow run filter: clauses that must all hold (MLflow has `AND` only).
///
/// ```swift
/// let filter = try RunFilter.parse("metrics.test_auc > 0.8 and params.l2 = '1.0'")
/// let hits = runs.filter { filter.matches($0) }   // runs: [some SearchableRun]
/// ```
public struct RunFilter: Sendable, Hashable, CustomStringConvertible {
    public var clauses: [RunFilterClause]

    public init(clauses: [RunFilterClause] = []) {
        self.clauses = clauses
    }

    /// Parses MLflow's filter grammar; an empty or blank string is the filter that matches every run.
    public static func parse(_ filter: String, grammar: SearchGrammar = .runs) throws -> RunFilter {
        try RunFilterParser.parse(filter, grammar: grammar)
    }

    /// Canonical text (single-quoted strings, backticked keys, upper-case keywords) that parses
    /// back to the same filter.
    public var description: String {
        clauses.map(\.description).joined(separator: " AND ")
    }
}

/// One comparison of a run filter: `<entity>.<key> <comparator> <value>`.
///
/// ```swift
/// RunFilterClause(entity: .metric, key: "auc", comparator: .greaterThan, value: .number(0.8))
/// ```
public struct RunFilterClause: Sendable, Hashable, CustomStringConvertible {
    public var entity: SearchEntity
    /// The key; for attributes MLflow's canonical name (`created` → `start_time`, `run name` → `run_name`).
    public var key: String
    public var comparator: FilterComparator
    public var value: FilterValue

    public init(entity: SearchEntity, key: String, comparator: FilterComparator, value: FilterValue) {
        self.entity = entity
        self.key = key
        self.comparator = comparator
        self.value = value
    }

    public var description: String {
        let lhs = "\(entity.rawValue).\(Self.quoteKey(key))"
        switch value {
        case .none: return "\(lhs) \(comparator.rawValue)"
        default: return "\(lhs) \(comparator.rawValue) \(value)"
        }
    }

    /// Backticks, or double quotes for a key holding a backtick (quoted text is verbatim, so a
    /// key holding both cannot be written back; such keys cannot come out of the parser).
    static func quoteKey(_ key: String) -> String {
        key.contains("`") ? "\"\(key)\"" : "`\(key)`"
    }
}

/// The entity a filter or order-by key names; raw values are MLflow's canonical type names.
public enum SearchEntity: String, Sendable, Hashable, Codable, CaseIterable {
    case metric
    case parameter
    case tag
    case attribute
    case dataset

    /// MLflow's spellings: `metric(s)`, `param(s)`/`parameter(s)`, `tag(s)`,
    /// `attribute(s)`/`attr`/`run`, `dataset(s)`; case-sensitive as in MLflow.
    public init?(spelling: String) {
        switch spelling {
        case "metric", "metrics": self = .metric
        case "parameter", "parameters", "param", "params": self = .parameter
        case "tag", "tags": self = .tag
        case "attribute", "attributes", "attr", "run": self = .attribute
        case "dataset", "datasets": self = .dataset
        default: return nil
        }
    }
}

/// A filter comparator; raw values as written in MLflow filters.
public enum FilterComparator: String, Sendable, Hashable, Codable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case greaterThan = ">"
    case greaterThanOrEqual = ">="
    case lessThan = "<"
    case lessThanOrEqual = "<="
    case like = "LIKE"
    case ilike = "ILIKE"
    case `in` = "IN"
    case notIn = "NOT IN"
    case isNull = "IS NULL"
    case isNotNull = "IS NOT NULL"

    public static let numeric: [FilterComparator] = [.equal, .notEqual, .greaterThan, .greaterThanOrEqual, .lessThan, .lessThanOrEqual]
    public static let paramOrTag: [FilterComparator] = [.equal, .notEqual, .like, .ilike, .isNull, .isNotNull]
    public static let stringAttribute: [FilterComparator] = [.equal, .notEqual, .like, .ilike, .in, .notIn]
}

/// The right-hand side of a clause.
public enum FilterValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case string(String)
    case list([String])
    /// `IS NULL` / `IS NOT NULL` take no value.
    case none

    public var description: String {
        switch self {
        case .number(let d):
            if d.isInfinite { return d > 0 ? "1e999" : "-1e999" }
            if d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) }
            return "\(d)"
        case .string(let s): return FilterValue.quote(s)
        case .list(let items): return "(" + items.map(FilterValue.quote).joined(separator: ", ") + ")"
        case .none: return ""
        }
    }

    /// Quotes with `'` unless the text holds one, then `"` (the parser keeps text verbatim, so
    /// there is no escaping).
    static func quote(_ s: String) -> String {
        s.contains("'") ? "\"\(s)\"" : "'\(s)'"
    }
}

/// The run attributes MLflow lets one filter and order by.
public enum RunAttribute: String, Sendable, Hashable, Codable, CaseIterable {
    case runID = "run_id"
    case runName = "run_name"
    case status
    case userID = "user_id"
    case artifactURI = "artifact_uri"
    case startTime = "start_time"
    case endTime = "end_time"

    /// MLflow's order_by key, with its alias `created`/`Created` (start_time). Filter keys and
    /// their aliases (`run name`, …) are in `SearchGrammar.runs`.
    init?(orderKey: String) {
        switch orderKey {
        case "created", "Created": self = .startTime
        default: self.init(rawValue: orderKey)
        }
    }

    var isNumeric: Bool { self == .startTime || self == .endTime }
}

/// The dataset fields a filter may compare (`datasets.name`, `datasets.digest`, `datasets.context`).
public enum DatasetField: String, Sendable, Hashable, Codable, CaseIterable {
    case name
    case digest
    case context
}
