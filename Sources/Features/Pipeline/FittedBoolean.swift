import GoldTables

/// A fitted boolean feature: 1 for true, 0 for false, `fill` for null. Feature name: the column.
///
/// ```swift
/// fitted.boolean.first?.fill           // false unless the spec said true or most_frequent
/// ```
public struct FittedBoolean: Sendable, Hashable, Codable {
    public var column: String
    /// What a null becomes.
    public var fill: Bool

    public init(column: String, fill: Bool) {
        self.column = column
        self.fill = fill
    }

    static func fit(_ spec: BooleanFeatureSpec, table: Table) throws -> FittedBoolean {
        let c = try ColumnValues.find(spec.column, in: table)
        guard case .bool(let v) = c.data, case .bool = c.type else {
            throw FeatureError(column: spec.column, "a boolean feature needs a bool column, not \(c.type.description)")
        }
        switch spec.impute {
        case .false: return FittedBoolean(column: c.name, fill: false)
        case .true: return FittedBoolean(column: c.name, fill: true)
        case .mostFrequent:
            var trues = 0, falses = 0
            for i in 0 ..< v.count where !c.isNull(i) {
                if v[i] { trues += 1 } else { falses += 1 }
            }
            return FittedBoolean(column: c.name, fill: trues > falses)
        }
    }

    var names: [String] { [column] }

    func write(_ table: Table, into out: UnsafeMutableBufferPointer<Double>, width: Int, offset: Int) throws {
        let c = try ColumnValues.find(column, in: table)
        guard case .bool(let v) = c.data, case .bool = c.type else {
            throw FeatureError(column: column, "was bool at fit but is \(c.type.description) now")
        }
        let f: Double = fill ? 1 : 0
        if let valid = c.validity {
            for r in 0 ..< v.count { out[r * width + offset] = valid[r] ? (v[r] ? 1 : 0) : f }
        } else {
            for r in 0 ..< v.count { out[r * width + offset] = v[r] ? 1 : 0 }
        }
    }

    func write(_ value: FeatureValue, into out: inout [Double], offset: Int) throws {
        switch value {
        case .null: out[offset] = fill ? 1 : 0
        case .bool(let b): out[offset] = b ? 1 : 0
        default: throw FeatureError(column: column, "expected true, false or null, got \(value)")
        }
    }
}
