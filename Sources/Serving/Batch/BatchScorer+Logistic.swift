import Features
import GoldTables
import Trainers

extension BatchScorer {
    /// The output rows of one input batch for a logistic model: the pipeline transforms the batch
    /// as a table (the same bits as the JSON row path, see `LoadedPackage.probabilities(for:)`),
    /// the model applies, and `label` is `probability ≥ 0.5`.
    static func scoreLogistic(_ batch: Table, model: LogisticModel, pipeline: FittedPipeline, plan: BatchPlan,
                              constants: BatchConstants, firstRow: Int) throws -> Table {
        let n = batch.rowCount
        var columns = try plan.ids(of: batch)
        let probabilities: [Double]
        if n == 0 {
            probabilities = []
        } else {
            do {
                probabilities = try model.predictProbabilities(try pipeline.transform(batch))
            } catch let e as FeatureError {
                throw ServingError(.invalidParameterValue,
                                   "input rows \(firstRow)..<\(firstRow + n): column \(e.column): \(e.message)")
            }
        }
        columns.append(Column(BatchPlan.logisticOutputs[0], data: .double(probabilities)))
        columns.append(Column(BatchPlan.logisticOutputs[1], data: .int64(probabilities.map { $0 >= 0.5 ? 1 : 0 })))
        columns += constants.columns(rows: n)
        return try Table(columns)
    }
}
