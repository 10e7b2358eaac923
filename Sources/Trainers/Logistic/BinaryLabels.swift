import Features
import GoldTables

/// Reads a binary label column as 0/1 doubles (what ``LogisticRegression/fit(x:y:sampleWeights:featureNames:progress:)``
/// takes): a boolean column (true → 1), or an integer or floating-point column holding only 0 and 1.
/// Anything else — another value, a null, a string column — throws a ``FeatureError`` naming the
/// column and the first offending row (0-based).
///
/// ```swift
/// let y = try BinaryLabels.values(of: table, column: "churned")   // [0, 1, 0, …]
/// ```
public enum BinaryLabels {
    public static func values(of table: Table, column name: String) throws -> [Double] {
        guard let c = table.column(named: name) else {
            throw FeatureError(column: name, "no such label column (columns: \(table.schema.names.joined(separator: ", ")))")
        }
        if let v = c.validity, let r = v.firstIndex(of: false) {
            throw FeatureError(column: name, "row \(r): null label (labels must be 0/1 or true/false)")
        }
        func check<T: BinaryInteger>(_ v: [T]) throws -> [Double] {
            var out = [Double](repeating: 0, count: v.count)
            for r in 0 ..< v.count {
                switch v[r] {
                case 0: break
                case 1: out[r] = 1
                default: throw FeatureError(column: name, "row \(r): label \(v[r]) is not 0 or 1 (a binary label is needed)")
                }
            }
            return out
        }
        func checkFloat<T: BinaryFloatingPoint>(_ v: [T]) throws -> [Double] {
            var out = [Double](repeating: 0, count: v.count)
            for r in 0 ..< v.count {
                if v[r] == 1 { out[r] = 1 } else if v[r] != 0 {
                    throw FeatureError(column: name, "row \(r): label \(Double(v[r])) is not 0 or 1 (a binary label is needed)")
                }
            }
            return out
        }
        switch (c.type, c.data) {
        case (.bool, .bool(let v)): return v.map { $0 ? 1 : 0 }
        case (.int8, .int32(let v)), (.int16, .int32(let v)), (.int32, .int32(let v)): return try check(v)
        case (.int64, .int64(let v)): return try check(v)
        case (.float32, .float(let v)): return try checkFloat(v)
        case (.float64, .double(let v)): return try checkFloat(v)
        default:
            throw FeatureError(column: name, "a label must be a boolean or a 0/1 integer or float column, not \(c.type.description)")
        }
    }
}
