import Features
import Linalg
import Trainers

extension PredictorRegistry where Value == FeatureValue {
    /// The model kinds mltrack serves, scoring JSON rows:
    /// - `logistic_regression` (with its fitted pipeline): `{"probability": p, "label": 0|1}`;
    /// - `als`: rows `{"user_id": id, "k": n}` (k defaults to 10) → `{"item_ids": [...], "scores": [...]}`,
    ///   the most popular items for an unknown user.
    ///
    /// Unknown categories go to `__unknown__` (``ScoringOptions`` defaults); see
    /// ``standard(options:)`` for strict scoring.
    public static var standard: PredictorRegistry<FeatureValue> { standard(options: ScoringOptions()) }

    /// The standard kinds scored with `options`: with `unknownCategories: .reject` a logistic
    /// predictor refuses a category never seen at fit with ``PredictionError/invalidInput(column:row:_:)``
    /// (`column contract, row 0: unknown category 'two-year' (not seen when …)`); an ALS row
    /// without `k` gets `defaultK` recommendations.
    ///
    /// ```swift
    /// let registry = PredictorRegistry<FeatureValue>.standard(options: .init(unknownCategories: .reject))
    /// ```
    public static func standard(options: ScoringOptions) -> PredictorRegistry<FeatureValue> {
        let policy = options.unknownCategories
        let defaultK = min(max(options.defaultK, 1), 10_000)
        var r = PredictorRegistry<FeatureValue>()
        r.register(kind: LogisticModel.flavor) { loaded in
            let model = try loaded.model(as: LogisticModel.self)
            let pipeline = try loaded.pipeline(as: FittedPipeline.self)
            // Columns are matched by position when scoring: a pipeline whose features differ from
            // the model's (in name or order) would score silently wrong, so it is refused here.
            // Byte-wise: String's == would equate canonically equivalent (distinct) category names.
            let bytes = { (names: [String]) in names.map { Array($0.utf8) } }
            guard bytes(pipeline.featureNames) == bytes(model.featureNames) else {
                let at = zip(pipeline.featureNames, model.featureNames).enumerated()
                    .first { !$0.element.0.utf8.elementsEqual($0.element.1.utf8) }?.offset
                    ?? min(pipeline.featureNames.count, model.featureNames.count)
                throw ModelPackageError(path: loaded.path,
                    "the pipeline's features (\(pipeline.featureNames.count)) do not match the model's (\(model.featureNames.count)) from position \(at)")
            }
            return Predictor(manifest: loaded.manifest) { rows in try Self.scoreLogistic(model, pipeline, rows, policy) }
        }
        r.register(ALSModel.self) { model, rows in
            try rows.enumerated().map { i, row in
                let user: String
                switch row["user_id"] {
                case .string(let s): user = s
                case .number(let d) where d == d.rounded() && abs(d) < 1e15: user = String(Int64(d))
                default: throw PredictionError.invalidInput(column: "user_id", row: i, "needs a string or integer id")
                }
                var k = defaultK
                switch row["k"] ?? .null {
                case .null: break
                case .number(let d) where d >= 1 && d <= 10_000 && d == d.rounded(): k = Int(d)
                default:
                    // A string or boolean k is refused too, not silently replaced by the default.
                    throw PredictionError.invalidInput(column: "k", row: i, "must be an integer in 1...10000")
                }
                let recs = model.recommend(user: user, k: k, excludeSeen: true)
                return ["item_ids": .array(recs.map { .string($0.item) }),
                        "scores": .array(recs.map { .double(Double($0.score)) })]
            }
        }
        return r
    }

    /// Probabilities and 0/1 labels of JSON rows through `pipeline` (whose features are the model's).
    static func scoreLogistic(_ model: LogisticModel, _ pipeline: FittedPipeline, _ rows: [[String: FeatureValue]],
                              _ policy: UnknownCategoryPolicy) throws -> [[String: ModelValue]] {
        var values: [Double] = []
        values.reserveCapacity(rows.count * pipeline.featureNames.count)
        for (i, row) in rows.enumerated() {
            do { values += try pipeline.transform(row: row, unknownCategories: policy) } catch let e as FeatureError {
                throw PredictionError.invalidInput(column: e.column, row: i, e.message)
            }
        }
        let x = try Matrix(rows: rows.count, columns: pipeline.featureNames.count, values: values)
        return try model.predictProbabilities(x).map { p in
            ["probability": .double(p), "label": .int(p >= 0.5 ? 1 : 0)]
        }
    }
}
