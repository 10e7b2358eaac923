import GoldTables

/// A fitted numeric feature: the column, its type at fit, and the learned imputation/scaling.
/// Feature name: the column name.
///
/// ```swift
/// let n = fitted.numeric[0]            // e.g. tenure_months
/// n.transform.apply(.nan)              // the value a null row gets
/// ```
public struct FittedNumeric: Sendable, Hashable, Codable {
    public var column: String
    public var type: DataType
    public var transform: NumericTransform

    public init(column: String, type: DataType, transform: NumericTransform) {
        self.column = column
        self.type = type
        self.transform = transform
    }

    static func fit(_ spec: NumericFeatureSpec, table: Table) throws -> FittedNumeric {
        let c = try ColumnValues.find(spec.column, in: table)
        guard let kind = InputKind(c.type), kind.isNumeric else {
            throw FeatureError(column: spec.column, "a numeric feature needs an integer, float or decimal column, not \(c.type.description)")
        }
        let values = try ColumnValues.doubles(c, name: spec.column)
        let t = try NumericTransform.fit(values, impute: spec.impute, standardize: spec.standardize, name: spec.column)
        return FittedNumeric(column: c.name, type: c.type, transform: t)
    }

    var names: [String] { [column] }

    func write(_ table: Table, into out: UnsafeMutableBufferPointer<Double>, width: Int, offset: Int) throws {
        let c = try ColumnValues.find(column, in: table)
        try ColumnValues.check(c, fittedType: type, name: column)
        let values = try ColumnValues.doubles(c, name: column)
        for r in 0 ..< values.count { out[r * width + offset] = transform.apply(values[r]) }
    }

    func write(_ value: FeatureValue, into out: inout [Double], offset: Int) throws {
        out[offset] = transform.apply(try ColumnValues.double(value, type: type, name: column))
    }
}
