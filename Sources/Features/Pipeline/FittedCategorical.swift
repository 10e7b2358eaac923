import GoldTables

/// A fitted one-hot feature over a string or integer column.
///
/// Features, in order: `<column>=<category>` for each kept category (byte-wise sorted strings,
/// numerically sorted integers), `<column>=__null__` when null was kept as a category, and
/// `<column>=__unknown__` (infrequent at fit, unseen, or a null not kept), always present.
///
/// ```swift
/// let c = try FittedCategorical(column: "contract", type: .string,
///                               categories: ["month-to-month", "one-year"], nullCategory: false)
/// // features: contract=month-to-month, contract=one-year, contract=__unknown__
/// ```
public struct FittedCategorical: Sendable, Hashable, Codable {
    public static let unknownName = "__unknown__"
    public static let nullName = "__null__"

    public let column: String
    public let type: DataType
    /// The categories with their own feature, in feature order.
    public let categories: [String]
    /// True when null has its own feature (after the categories).
    public let nullCategory: Bool

    private let byteLookup: [ArraySlice<UInt8>: Int]
    private let integerLookup: [Int64: Int]

    /// Validates the state: unique categories, none spelled like a reserved name, integers for an
    /// integer column.
    public init(column: String, type: DataType, categories: [String], nullCategory: Bool) throws {
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
        self.column = column
        self.type = type
        self.categories = categories
        self.nullCategory = nullCategory
        self.byteLookup = bytes
        self.integerLookup = ints
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
            var kept: [[UInt8]] = []
            for (k, n) in counts where n >= spec.minFrequency { kept.append(Array(k)) }
            kept.sort { $0.lexicographicallyPrecedes($1) }
            var names: [String] = []
            for k in kept {
                guard let s = String(validating: k, as: UTF8.self) else {
                    throw FeatureError(column: name, "a category is not valid UTF-8")
                }
                names.append(s)
            }
            return try FittedCategorical(column: name, type: c.type, categories: names, nullCategory: keepNull)
        case .integer?:
            let values = try ColumnValues.integers(c, name: name)
            var counts: [Int64: Int] = [:]
            for i in 0 ..< values.count where !c.isNull(i) { counts[values[i], default: 0] += 1 }
            let kept = counts.filter { $0.value >= spec.minFrequency }.keys.sorted()
            return try FittedCategorical(column: name, type: c.type, categories: kept.map { String($0) }, nullCategory: keepNull)
        default:
            throw FeatureError(column: name, "a categorical feature needs a string or integer column, not \(c.type.description)")
        }
    }

    // MARK: Transform

    func write(_ table: Table, into out: UnsafeMutableBufferPointer<Double>, width total: Int, offset: Int) throws {
        let c = try ColumnValues.find(column, in: table)
        try ColumnValues.check(c, fittedType: type, name: column)
        let valid = c.validity
        switch (InputKind(c.type), c.data) {
        case (.string?, .dictionary(let idx, let dict)):
            var map = [Int](repeating: unknownIndex, count: dict.count)
            for k in 0 ..< dict.count { map[k] = byteLookup[dict.slice(k)] ?? unknownIndex }
            for r in 0 ..< idx.count {
                let k = Int(idx[r])
                let j: Int
                if let v = valid, !v[r] {
                    j = nullIndex
                } else {
                    guard k >= 0, k < map.count else { throw FeatureError(column: column, "row \(r): dictionary index out of range") }
                    j = map[k]
                }
                out[r * total + offset + j] = 1
            }
        case (.string?, .bytes(let b)):
            for r in 0 ..< b.count {
                let j = (valid.map { !$0[r] } ?? false) ? nullIndex : (byteLookup[b.slice(r)] ?? unknownIndex)
                out[r * total + offset + j] = 1
            }
        case (.integer?, _):
            let values = try ColumnValues.integers(c, name: column)
            for r in 0 ..< values.count {
                let j = (valid.map { !$0[r] } ?? false) ? nullIndex : (integerLookup[values[r]] ?? unknownIndex)
                out[r * total + offset + j] = 1
            }
        default:
            throw FeatureError(column: column, "was \(type.description) at fit but is \(c.type.description) now")
        }
    }

    func write(_ value: FeatureValue, into out: inout [Double], offset: Int) throws {
        let j: Int
        switch (value, InputKind(type)) {
        case (.null, _): j = nullIndex
        case (.string(let s), .string?): j = byteLookup[Array(s.utf8)[...]] ?? unknownIndex
        case (.number(let d), .integer?): j = integerLookup[try ColumnValues.integer(d, name: column)] ?? unknownIndex
        default:
            throw FeatureError(column: column, "expected \(InputKind(type) == .integer ? "an integer" : "a string") or null, got \(value)")
        }
        out[offset + j] = 1
    }

    // MARK: Codable

    enum CodingKeys: String, CodingKey { case column, type, categories, nullCategory }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let column = try c.decode(String.self, forKey: .column)
        do {
            try self.init(column: column, type: c.decode(DataType.self, forKey: .type),
                          categories: c.decode([String].self, forKey: .categories),
                          nullCategory: c.decode(Bool.self, forKey: .nullCategory))
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
    }

    public static func == (a: FittedCategorical, b: FittedCategorical) -> Bool {
        a.column == b.column && a.type == b.type && a.categories == b.categories && a.nullCategory == b.nullCategory
    }

    public func hash(into h: inout Hasher) {
        h.combine(column)
        h.combine(type)
        h.combine(categories)
        h.combine(nullCategory)
    }
}
