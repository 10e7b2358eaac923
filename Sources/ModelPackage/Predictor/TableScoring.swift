import Features
import GoldTables
import Trainers

extension LoadedPackage {
    /// P(y = 1) for every row of `table`, for a `logistic_regression` package: its fitted pipeline
    /// transforms the whole table at once (the same bits as scoring each row as JSON through the
    /// standard ``Predictor``), then the model applies. Throws for another kind of package, a
    /// missing input column (named), or a value the pipeline cannot take.
    ///
    /// ```swift
    /// let p = try ModelPackage.load(from: dir).probabilities(for: try GoldTable.open(path).read())
    /// ```
    public func probabilities(for table: Table) throws -> [Double] {
        try probabilities(for: table, options: ScoringOptions())
    }

    /// ``probabilities(for:)`` scored with `options`: with `unknownCategories: .reject` a category
    /// never seen at fit throws a `FeatureError` naming the column, the row (0-based) and the
    /// value, as the standard predictor does for the same row. Same bits as that predictor.
    ///
    /// ```swift
    /// let p = try package.probabilities(for: table, options: ScoringOptions(unknownCategories: .reject))
    /// ```
    public func probabilities(for table: Table, options: ScoringOptions) throws -> [Double] {
        guard modelKind == LogisticModel.flavor else {
            throw ModelPackageError(path: path, "is a \(modelKind) package; batch scoring of a table needs a \(LogisticModel.flavor) model")
        }
        let model = try model(as: LogisticModel.self)
        let pipeline = try pipeline(as: FittedPipeline.self)
        // Byte-wise, like the standard predictor: canonically equivalent names are distinct features.
        guard pipeline.featureNames.map({ Array($0.utf8) }) == model.featureNames.map({ Array($0.utf8) }) else {
            throw ModelPackageError(path: path, "the pipeline's features do not match the model's (the package is inconsistent)")
        }
        if table.rowCount == 0 { return [] }
        return try model.predictProbabilities(try pipeline.transform(table, unknownCategories: options.unknownCategories))
    }
}
