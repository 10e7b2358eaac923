/// A parsed `order_by` list for run search, and the run comparator it implies.
///
/// Each item is `<identifier> [ASC|DESC]` (default `ASC`; keywords case-insensitive). As in
/// MLflow's SQL store: values first, then NaN metrics, then runs lacking the key, in both
/// directions; after the given keys `start_time DESC` (unless `start_time` was given) and
/// `run_id ASC` break ties. Strings compare byte-wise (SQLite's BINARY collation).
///
/// ```swift
/// let ordering = try RunOrdering.parse(["metrics.auc DESC", "params.l2"])
/// let sorted = runs.sorted(by: ordering.areInIncreasingOrder)
/// ```
public struct RunOrdering: Sendable, Hashable, CustomStringConvertible {
    /// One `order_by` item.
    public struct Key: Sendable, Hashable, CustomStringConvertible {
        /// `.metric`, `.parameter`, `.tag` or `.attribute` (datasets cannot be ordered by).
        public var entity: SearchEntity
        /// Canonical key (`created` → `start_time`).
        public var key: String
        public var ascending: Bool

        public init(entity: SearchEntity, key: String, ascending: Bool) {
            self.entity = entity
            self.key = key
            self.ascending = ascending
        }

        public var description: String { "\(entity.rawValue).\(RunFilterClause.quoteKey(key)) \(ascending ? "ASC" : "DESC")" }
    }

    /// The keys as given (without the implicit tail).
    public var keys: [Key]

    public init(keys: [Key] = []) {
        self.keys = keys
    }

    /// Parses MLflow `order_by` strings; an empty list is the default order.
    public static func parse(_ items: [String]) throws -> RunOrdering {
        var keys: [Key] = []
        for item in items {
            let key = try parseItem(item)
            if keys.contains(where: { $0.entity == key.entity && $0.key == key.key }) {
                throw TrackingError(.invalidParameterValue, "`order_by` contains duplicate fields: \(items)")
            }
            keys.append(key)
        }
        return RunOrdering(keys: keys)
    }

    static func parseItem(_ item: String) throws -> Key {
        let tokens = try FilterTokenizer.tokenize(item)
        func invalid(_ why: String) -> TrackingError {
            TrackingError(.invalidParameterValue, "Invalid order_by clause '\(item)'. \(why)")
        }
        guard let first = tokens.first, case .identifier(let segments, _) = first.kind else {
            throw invalid(tokens.isEmpty ? "Could not be parsed: it is empty." : "Could not be parsed: expected an identifier at position \(tokens[0].position), found '\(tokens[0].text)'.")
        }
        var ascending = true
        if tokens.count >= 2 {
            switch tokens[1].keyword {
            case "ASC": ascending = true
            case "DESC": ascending = false
            default: throw TrackingError(.invalidParameterValue, "Invalid ordering key in order_by clause '\(item)': '\(tokens[1].text)' at position \(tokens[1].position) is neither ASC nor DESC.")
            }
        }
        if tokens.count > 2 {
            throw invalid("Could not be parsed: unexpected '\(tokens[2].text)' at position \(tokens[2].position).")
        }
        let entity: SearchEntity
        let rawKey: String
        if segments.count == 1 {
            entity = .attribute; rawKey = segments[0]
        } else {
            guard let e = SearchEntity(spelling: segments[0]) else {
                throw TrackingError(.invalidParameterValue, "Invalid entity type '\(segments[0])' in order_by clause '\(item)'. Valid values are ['metric', 'parameter', 'tag', 'attribute']")
            }
            entity = e; rawKey = segments[1]
        }
        switch entity {
        case .attribute:
            guard let attribute = RunAttribute(orderKey: rawKey) else {
                throw TrackingError(.invalidParameterValue, "Invalid attribute key '\(rawKey)' specified in order_by clause '\(item)'. Valid keys are \(RunAttribute.allCases.map(\.rawValue)) (and 'created')")
            }
            return Key(entity: .attribute, key: attribute.rawValue, ascending: ascending)
        case .dataset:
            throw TrackingError(.invalidParameterValue, "Invalid identifier type 'dataset' in order_by clause '\(item)'; runs can be ordered by metrics, params, tags and attributes")
        default:
            return Key(entity: entity, key: rawKey, ascending: ascending)
        }
    }

    /// The keys with MLflow's implicit tail: `start_time DESC` unless given, then `run_id ASC`.
    public var effectiveKeys: [Key] {
        var all = keys
        if !keys.contains(where: { $0.entity == .attribute && $0.key == RunAttribute.startTime.rawValue }) {
            all.append(Key(entity: .attribute, key: RunAttribute.startTime.rawValue, ascending: false))
        }
        all.append(Key(entity: .attribute, key: RunAttribute.runID.rawValue, ascending: true))
        return all
    }

    public var description: String { effectiveKeys.map(\.description).joined(separator: ", ") }

    /// A strict weak order for `sorted(by:)`.
    public func areInIncreasingOrder(_ a: some SearchableRun, _ b: some SearchableRun) -> Bool {
        for key in effectiveKeys {
            let order = key.compare(a, b)
            if order != 0 { return order < 0 }
        }
        return false
    }
}

extension RunOrdering.Key {
    /// A sort value: present values first (rank 0), NaN metrics next (1), missing last (2).
    enum SortValue {
        case number(Double)
        case text(String)
        case nan
        case missing

        var rank: Int {
            switch self {
            case .number, .text: return 0
            case .nan: return 1
            case .missing: return 2
            }
        }
    }

    func value(of run: some SearchableRun) -> SortValue {
        switch entity {
        case .metric:
            guard let v = run.latestMetric(key) else { return .missing }
            return v.isNaN ? .nan : .number(v)
        case .parameter: return run.param(key).map(SortValue.text) ?? .missing
        case .tag: return run.tag(key).map(SortValue.text) ?? .missing
        case .attribute:
            guard let a = RunAttribute(rawValue: key) else { return .missing }
            if a.isNumeric { return run.numericAttribute(a).map { .number(Double($0)) } ?? .missing }
            return run.stringAttribute(a).map(SortValue.text) ?? .missing
        case .dataset: return .missing
        }
    }

    /// -1, 0 or 1: `a` before, tied with, or after `b` under this key.
    func compare(_ a: some SearchableRun, _ b: some SearchableRun) -> Int {
        let va = value(of: a), vb = value(of: b)
        if va.rank != vb.rank { return va.rank < vb.rank ? -1 : 1 }
        let c: Int
        switch (va, vb) {
        case (.number(let x), .number(let y)): c = x < y ? -1 : (x > y ? 1 : 0)
        case (.text(let x), .text(let y)): c = Self.compareBytes(x, y)
        default: c = 0
        }
        return ascending ? c : -c
    }

    static func compareBytes(_ x: String, _ y: String) -> Int {
        var i = x.utf8.makeIterator(), j = y.utf8.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let p?, let q?): if p != q { return p < q ? -1 : 1 }
            }
        }
    }
}
