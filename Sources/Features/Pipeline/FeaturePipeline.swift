import GoldTables

/// Fits a ``FeatureSpec`` on a table: learns means, medians, standard deviations, category lists
/// and reference dates, and returns them as a ``FittedPipeline`` (a Codable value that turns
/// tables, or single JSON rows at serving time, into feature vectors).
///
/// ```swift
/// let table = try GoldTable.open("Experiments/gold/customers").read()
/// let fitted = try FeaturePipeline(try FeatureSpec.load(path: "Experiments/features/churn.yaml")).fit(table)
/// let x = try fitted.transform(table)        // Matrix<Double>, rows × fitted.featureNames.count
/// ```
public struct FeaturePipeline: Sendable, Hashable {
    public let spec: FeatureSpec

    public init(_ spec: FeatureSpec) {
        self.spec = spec
    }

    /// Learns the state from `table`. Throws a ``FeatureError`` naming a column that is missing,
    /// of an unsupported type (binary, nested/json) or unusable (no values to take a mean from).
    public func fit(_ table: Table) throws -> FittedPipeline {
        try FittedPipeline(
            spec: spec,
            numeric: spec.numeric.map { try FittedNumeric.fit($0, table: table) },
            boolean: spec.boolean.map { try FittedBoolean.fit($0, table: table) },
            categorical: spec.categorical.map { try FittedCategorical.fit($0, table: table) },
            dates: spec.dates.map { try FittedDate.fit($0, table: table) },
            trainingRows: table.rowCount)
    }
}
