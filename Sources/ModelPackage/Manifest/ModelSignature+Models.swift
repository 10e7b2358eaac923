import Features
import GoldTables

extension ModelSignature {
    /// The signature of a logistic model behind `pipeline`: one input per column the pipeline
    /// reads, typed from `schema` (the training table's; required unless the field is nullable:
    /// the pipeline imputes nulls), and the outputs `probability` (double) and `label` (long).
    /// Throws naming an input column the schema lacks.
    ///
    /// ```swift
    /// let sig = try ModelSignature.logistic(pipeline: fitted, schema: gold.schema)
    /// ```
    public static func logistic(pipeline: FittedPipeline, schema: Schema) throws -> ModelSignature {
        let inputs = try pipeline.inputs.map { input in
            guard let field = schema.fields.first(where: { $0.name == input.name })
                ?? schema.fields.first(where: { $0.name.lowercased() == input.name.lowercased() }) else {
                throw ModelPackageError(path: input.name, "the pipeline's input column is not in the table's schema")
            }
            return ColumnSpec(field)
        }
        return ModelSignature(inputs: inputs, outputs: [ColumnSpec("probability", .double), ColumnSpec("label", .long)])
    }

    /// The signature of an ALS recommender as the standard predictor serves it: inputs `user_id`
    /// (string) and an optional `k` (long); outputs `item_ids` (array of strings) and `scores`
    /// (array of doubles).
    public static var als: ModelSignature {
        ModelSignature(inputs: [ColumnSpec("user_id", .string), ColumnSpec("k", .long, required: false)],
                       outputs: [ColumnSpec("item_ids", .array(.string)), ColumnSpec("scores", .array(.double))])
    }
}
