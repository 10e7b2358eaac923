import Features
import GoldTables
import Trainers

extension BatchScorer {
    /// The output rows of one input batch for a logistic model: the pipeline transforms the batch
    /// as a table (the same bits as the JSON row path, see `LoadedPackage.probabilities(for:)`),
    /// the model applies, and `label` is `probability ≥ 0.5`.
    static func scoreLogistic(_ batch: Table, model: LogisticModel, pipeline: FittedPipeline, plan: BatchPlan,
                              constants: BatchConstants, firstRow: Int,
                              unknownCategories: UnknownCategoryPolicy = .bucket) throws -> Table {
        let n = batch.rowCount
        var columns = try plan.ids(of: batch)
        let probabilities: [Double]
        if n == 0 {
            probabilities = []
        } else {
            do {
                probabilities = try model.predictProbabilities(try pipeline.transform(batch, unknownCategories: unknownCategories))
            } catch let e as FeatureError {
                throw located(e, firstRow: firstRow, rows: n)
            }
        }
        columns.append(Column(BatchPlan.logisticOutputs[0], data: .double(probabilities)))
        columns.append(Column(BatchPlan.logisticOutputs[1], data: .int64(probabilities.map { $0 >= 0.5 ? 1 : 0 })))
        columns += constants.columns(rows: n)
        return try Table(columns)
    }

    /// A pipeline error of a slice starting at input row `firstRow`, named by input row: the
    /// pipeline's `row N: …` prefix counts within the slice, so it is shifted; without one, the
    /// slice's row range is named.
    static func located(_ e: FeatureError, firstRow: Int, rows n: Int) -> ServingError {
        let m = e.message
        if m.hasPrefix("row "), let colon = m.firstIndex(of: ":"),
           let r = Int(m[m.index(m.startIndex, offsetBy: 4) ..< colon]) {
            let rest = m[m.index(after: colon)...].drop { $0 == " " }
            return ServingError(.invalidParameterValue, "input row \(firstRow + r): column \(e.column): \(rest)")
        }
        return ServingError(.invalidParameterValue, "input rows \(firstRow)..<\(firstRow + n): column \(e.column): \(m)")
    }
}
