import GoldTables

/// A fitted one-hot feature over a string or integer column.
///
/// Features, in order: `<column>=<category>` for each kept category (byte-wise sorted strings,
/// numerically sorted integers), `<column>=__null__` when null was kept as a category, and
/// `<column>=__unknown__` (infrequent at fit, unseen, or a null not kept), always present.
///
/// It also records the categories seen at fit but too rare to keep (``infrequent``), so that
/// strict scoring (``UnknownCategoryPolicy/reject``) can refuse only the values never seen.
///
/// ```swift
/// let c = try FittedCategorical(column: "contract", type: .string,
///                               categories: ["month-to-month", "one-year"], nullCategory: false,
///                               infrequent: ["two-year"])
/// // features: contract=month-to-month, contract=one-year, contract=__unknown__
/// ```
public struct FittedCategorical: Sendable, Hashable, Codable {
    public static let unknownName = "__unknown__"
    public static let nullName = "__null__"
    /// The most infrequent categories recorded: a column with more (an id used as a category)
    /// records none (``infrequent`` is nil), which keeps packages small; strict scoring then
    /// buckets that column as before.
    public static let maxInfrequent = 100_000

    public let column: String
    public let type: DataType
    /// The categories with their own feature, in feature order.
    public let categories: [String]
    /// True when null has its own feature (after the categories).
    public let nullCategory: Bool
    /// The categories seen at fit but fewer than `min_frequency` times (they share
    /// `__unknown__`), sorted like ``categories``; nil when not known (a package written before
    /// they were recorded, or more than ``maxInfrequent`` of them).
    public let infrequent: [String]?

    private let byteLookup: [ArraySlice<UInt8>: Int]
    private let integerLookup: [Int64: Int]
    /// The infrequent categories as bytes (string column) or integers (integer column); nil when
    /// ``infrequent`` is nil.
    private let infrequentBytes: Set<ArraySlice<UInt8>>?
    private let infrequentIntegers: Set<Int64>?

    /// Validates the state: unique categories, none spelled like a reserved name, integers for an
    /// integer column; infrequent ones likewise, distinct from the kept ones, at most
    /// ``maxInfrequent``.
    public init(column: String, type: DataType, categories: [String], nullCategory: Bool,
                infrequent: [String]? = nil) throws {
        let kind = InputKind(type)
        guard kind == .string || kind == .integer else {
            throw FeatureError(column: column, "a categorical feature needs a string or integer column, not \(type.description)")
        }
        var bytes: [ArraySlice<UInt8>: Int] = [:]
        var ints: [Int64: Int] = [:]
        for (i, c) in categories.enumerated() {
            guard c != Self.unknownName, c != Self.nullName else {
                throw FeatureError(column: column, "category '\(c)' collides with a reserved feature name")
            }
            if kind == .integer {
                guard let v = Int64(c) else { throw FeatureError(column: column, "category '\(c)' is not an integer") }
                guard ints.updateValue(i, forKey: v) == nil else { throw FeatureError(column: column, "category '\(c)' listed twice") }
            } else {
                guard bytes.updateValue(i, forKey: Array(c.utf8)[...]) == nil else {
                    throw FeatureError(column: column, "category '\(c)' listed twice")
                }
            }
        }
        var rareBytes: Set<ArraySlice<UInt8>>?
        var rareInts: Set<Int64>?
        if let infrequent {
            guard infrequent.count <= Self.maxInfrequent else {
                throw FeatureError(column: column, "\(infrequent.count) infrequent categories recorded, more than the \(Self.maxInfrequent) allowed")
            }
            var b = Set<ArraySlice<UInt8>>(), n = Set<Int64>()
            for c in infrequent {
                guard c != Self.unknownName, c != Self.nullName else {
                    throw FeatureError(column: column, "infrequent category '\(c)' collides with a reserved feature name")
                }
                if kind == .integer {
                    guard let v = Int64(c) else { throw FeatureError(column: column, "infrequent category '\(c)' is not an integer") }
                    guard ints[v] == nil, n.insert(v).inserted else {
                        throw FeatureError(column: column, "infrequent category '\(c)' listed twice")
                    }
                } else {
                    let k = Array(c.utf8)[...]
                    guard bytes[k] == nil, b.insert(k).inserted else {
                        throw FeatureError(column: column, "infrequent category '\(c)' listed twice")
                    }
                }
            }
            rareBytes = b
            rareInts = n
        }
        self.column = column
        self.type = type
        self.categories = categories
        self.nullCategory = nullCategory
        self.infrequent = infrequent
        self.byteLookup = bytes
        self.integerLookup = ints
        self.infrequentBytes = rareBytes
        self.infrequentIntegers = rareInts
    }

    /// The same state with `infrequent` recorded.
    func recording(infrequent: [String]) throws -> FittedCategorical {
        try FittedCategorical(column: column, type: type, categories: categories, nullCategory: nullCategory,
                              infrequent: infrequent)
    }

    var width: Int { categories.count + (nullCategory ? 1 : 0) + 1 }
    var unknownIndex: Int { width - 1 }
    var nullIndex: Int { nullCategory ? categories.count : unknownIndex }

    var names: [String] {
        categories.map { "\(column)=\($0)" } + (nullCategory ? ["\(column)=\(Self.nullName)"] : [])
            + ["\(column)=\(Self.unknownName)"]
    }

    // MARK: Fit

    static func fit(_ spec: CategoricalFeatureSpec, table: Table) throws -> FittedCategorical {
        let c = try ColumnValues.find(spec.column, in: table)
        let name = c.name  // as the table spells it (a spec may differ in case)
        var nulls = 0
        for i in 0 ..< c.count where c.isNull(i) { nulls += 1 }
        let keepNull = spec.nulls == .category && nulls > 0 && nulls >= spec.minFrequency
        switch InputKind(c.type) {
        case .string?:
            var counts: [ArraySlice<UInt8>: Int] = [:]
            switch c.data {
            case .dictionary(let idx, let dict):
                var perEntry = [Int](repeating: 0, count: dict.count)
                for i in 0 ..< idx.count where !c.isNull(i) {
                    let k = Int(idx[i])
                    guard k >= 0, k < dict.count else { throw FeatureError(column: name, "row \(i): dictionary index out of range") }
                    perEntry[k] += 1
                }
                for (k, n) in perEntry.enumerated() where n > 0 { counts[dict.slice(k), default: 0] += n }
            case .bytes(let b):
                for i in 0 ..< b.count where !c.isNull(i) { counts[b.slice(i), default: 0] += 1 }
            default:
                throw FeatureError(column: name, "string column without string storage")
            }
            var kept: [[UInt8]] = [], rare: [[UInt8]] = []
            for (k, n) in counts {
                if n >= spec.minFrequency { kept.append(Array(k)) } else { rare.append(Array(k)) }
            }
            func names(_ keys: [[UInt8]]) throws -> [String] {
                try keys.sorted { $0.lexicographicallyPrecedes($1) }.map { k in
                    guard let s = String(validating: k, as: UTF8.self) else {
                        throw FeatureError(column: name, "a category is not valid UTF-8")
                    }
                    return s
                }
            }
            return try FittedCategorical(column: name, type: c.type, categories: names(kept), nullCategory: keepNull,
                                         infrequent: rare.count <= maxInfrequent ? names(rare) : nil)
        case .integer?:
            let values = try ColumnValues.integers(c, name: name)
            var counts: [Int64: Int] = [:]
            for i in 0 ..< values.count where !c.isNull(i) { counts[values[i], default: 0] += 1 }
            let kept = counts.filter { $0.value >= spec.minFrequency }.keys.sorted()
            let rare = counts.filter { $0.value < spec.minFrequency }.keys.sorted()
            return try FittedCategorical(column: name, type: c.type, categories: kept.map { String($0) }, nullCategory: keepNull,
                                         infrequent: rare.count <= maxInfrequent ? rare.map { String($0) } : nil)
        default:
            throw FeatureError(column: name, "a categorical feature needs a string or integer column, not \(c.type.description)")
        }
    }

    // MARK: Transform

    /// Writes the one-hot features of every row. With `.reject`, a non-null value neither kept nor
    /// recorded as infrequent throws naming the row (nulls and bucket mode as before).
    func write(_ table: Table, into out: UnsafeMutableBufferPointer<Double>, width total: Int, offset: Int,
               unknownCategories policy: UnknownCategoryPolicy = .bucket) throws {
        let c = try ColumnValues.find(column, in: table)
        try ColumnValues.check(c, fittedType: type, name: column)
        let valid = c.validity
        let rareBytes = policy == .reject ? infrequentBytes : nil
        let rareIntegers = policy == .reject ? infrequentIntegers : nil
        switch (InputKind(c.type), c.data) {
        case (.string?, .dictionary(let idx, let dict)):
            var map = [Int](repeating: unknownIndex, count: dict.count)
            for k in 0 ..< dict.count { map[k] = byteLookup[dict.slice(k)] ?? unknownIndex }
            // Strict: which dictionary entries were never seen at fit (checked once per entry).
            let unseen = rareBytes.map { rare in
                (0 ..< dict.count).map { k in map[k] == unknownIndex && !rare.contains(dict.slice(k)) }
            }
            for r in 0 ..< idx.count {
                let k = Int(idx[r])
                let j: Int
                if let v = valid, !v[r] {
                    j = nullIndex
                } else {
                    guard k >= 0, k < map.count else { throw FeatureError(column: column, "row \(r): dictionary index out of range") }
                    if let unseen, unseen[k] { throw unknownCategory(String(decoding: dict.slice(k), as: UTF8.self), row: r) }
                    j = map[k]
                }
                out[r * total + offset + j] = 1
            }
        case (.string?, .bytes(let b)):
            for r in 0 ..< b.count {
                let isNull = valid.map { !$0[r] } ?? false
                let j = isNull ? nullIndex : (byteLookup[b.slice(r)] ?? unknownIndex)
                if let rareBytes, !isNull, j == unknownIndex, !rareBytes.contains(b.slice(r)) {
                    throw unknownCategory(String(decoding: b.slice(r), as: UTF8.self), row: r)
                }
                out[r * total + offset + j] = 1
            }
        case (.integer?, _):
            let values = try ColumnValues.integers(c, name: column)
            for r in 0 ..< values.count {
                let isNull = valid.map { !$0[r] } ?? false
                let j = isNull ? nullIndex : (integerLookup[values[r]] ?? unknownIndex)
                if let rareIntegers, !isNull, j == unknownIndex, !rareIntegers.contains(values[r]) {
                    throw unknownCategory(String(values[r]), row: r)
                }
                out[r * total + offset + j] = 1
            }
        default:
            throw FeatureError(column: column, "was \(type.description) at fit but is \(c.type.description) now")
        }
    }

    func write(_ value: FeatureValue, into out: inout [Double], offset: Int,
               unknownCategories policy: UnknownCategoryPolicy = .bucket) throws {
        let j: Int
        switch (value, InputKind(type)) {
        case (.null, _): j = nullIndex
        case (.string(let s), .string?):
            let key = Array(s.utf8)[...]
            j = byteLookup[key] ?? unknownIndex
            if policy == .reject, j == unknownIndex, let rare = infrequentBytes, !rare.contains(key) {
                throw unknownCategory(s, row: nil)
            }
        case (.number(let d), .integer?):
            let v = try ColumnValues.integer(d, name: column)
            j = integerLookup[v] ?? unknownIndex
            if policy == .reject, j == unknownIndex, let rare = infrequentIntegers, !rare.contains(v) {
                throw unknownCategory(String(v), row: nil)
            }
        default:
            throw FeatureError(column: column, "expected \(InputKind(type) == .integer ? "an integer" : "a string") or null, got \(value)")
        }
        out[offset + j] = 1
    }

    /// `row 3: unknown category 'two-year' (not seen when the model was trained; known:
    /// month-to-month, one-year)`: at most 10 known categories listed, a long value shortened.
    func unknownCategory(_ value: String, row: Int?) -> FeatureError {
        let shown = value.count > 80 ? String(value.prefix(80)) + "…" : value
        var known = categories.prefix(10).joined(separator: ", ")
        if categories.isEmpty { known = "none" }
        if categories.count > 10 { known += ", … (\(categories.count) in all)" }
        if let n = infrequent?.count, n > 0 { known += "; \(n) rarer one\(n == 1 ? "" : "s") shared by \(column)=\(Self.unknownName)" }
        return FeatureError(column: column, (row.map { "row \($0): " } ?? "")
            + "unknown category '\(shown)' (not seen when the model was trained; known: \(known))")
    }

    // MARK: Codable

    enum CodingKeys: String, CodingKey { case column, type, categories, nullCategory, infrequent }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let column = try c.decode(String.self, forKey: .column)
        do {
            try self.init(column: column, type: c.decode(DataType.self, forKey: .type),
                          categories: c.decode([String].self, forKey: .categories),
                          nullCategory: c.decode(Bool.self, forKey: .nullCategory),
                          infrequent: c.decodeIfPresent([String].self, forKey: .infrequent))
        } catch let e as FeatureError {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: e.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(column, forKey: .column)
        try c.encode(type, forKey: .type)
        try c.encode(categories, forKey: .categories)
        try c.encode(nullCategory, forKey: .nullCategory)
        try c.encodeIfPresent(infrequent, forKey: .infrequent)
    }

    public static func == (a: FittedCategorical, b: FittedCategorical) -> Bool {
        a.column == b.column && a.type == b.type && a.categories == b.categories && a.nullCategory == b.nullCategory
            && a.infrequent == b.infrequent
    }

    public func hash(into h: inout Hasher) {
        h.combine(column)
        h.combine(type)
        h.combine(categories)
        h.combine(nullCategory)
        h.combine(infrequent)
    }
}
