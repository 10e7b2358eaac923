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
        guard modelKind == LogisticModel.flavor else {
            throw ModelPackageError(path: path, "is a \(modelKind) package; batch scoring of a table needs a \(LogisticModel.flavor) model")
        }
        let model = try model(as: LogisticModel.self)
        let pipeline = try pipeline(as: FittedPipeline.self)
        guard pipeline.featureNames == model.featureNames else {
            throw ModelPackageError(path: path, "the pipeline's features do not match the model's (the package is inconsistent)")
        }
        if table.rowCount == 0 { return [] }
        return try model.predictProbabilities(try pipeline.transform(table))
    }
}
