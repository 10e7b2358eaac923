import Foundation
import Features
import GoldTables
import Linalg
import ModelPackage
import Testing
import Trainers

@Suite struct ConcreteModelsTests {
    static let root = TestPaths.packageRoot

    @Test func churnLogisticModelWithPipelineRoundTrips() throws {
        let gold = try GoldTable.open(Self.root.appendingPathComponent("Experiments/gold/customers").path)
        let table = try gold.read()
        let spec = try FeatureSpec.load(path: Self.root.appendingPathComponent("Experiments/features/churn.yaml").path)
        let pipeline = try FeaturePipeline(spec).fit(table)
        let x = try pipeline.transform(table)
        guard case .bool(let churned)? = table.column(named: "churned")?.data else { Issue.record("churned"); return }
        let model = try LogisticRegression().fit(x: x, y: churned.map { $0 ? 1 : 0 }, featureNames: pipeline.featureNames)

        let dir = try TestPaths.tempDir("concrete").appendingPathComponent("churn")
        let signature = ModelSignature(inputs: pipeline.inputs.map(ColumnSpec.init),
                                       outputs: [ColumnSpec("probability", .double), ColumnSpec("label", .long)])
        try ModelPackage.save(model: model, pipeline: pipeline, signature: signature,
                              lineage: TrainingLineage(try gold.lineage(), trainingRunId: "r1"), to: dir)
        let loaded = try ModelPackage.load(from: dir)
        let back = try loaded.model(as: LogisticModel.self)
        #expect(back == model)
        #expect(try loaded.pipeline(as: FittedPipeline.self) == pipeline)

        let rows: [[String: FeatureValue]] = [
            ["signup_date": "2023-05-01", "tenure_months": 20, "monthly_charges": 70.5, "total_charges": 1400,
             "contract": "month-to-month", "payment_method": "electronic_check", "partner": false, "senior": true,
             "support_calls": 4, "last_active": "2024-12-20T10:00:00Z", "region": nil],
            ["signup_date": "2020-01-15", "tenure_months": 60, "monthly_charges": 20, "total_charges": nil,
             "contract": "two_year", "payment_method": "unseen", "partner": true, "senior": false,
             "support_calls": 0, "last_active": "2024-11-02T08:30:00Z", "region": "north", "extra": "dropped"],
        ]
        let predictor = try PredictorRegistry<FeatureValue>.standard.predictor(for: loaded)
        let out = try predictor.predict(rows: rows)
        let features = try rows.flatMap { try pipeline.transform(row: $0) }
        let expected = try model.predictProbabilities(Matrix(rows: rows.count, columns: pipeline.featureNames.count, values: features))
        #expect(out.map { $0["probability"] } == expected.map { .double($0) })

        // The same model with its features in another order than the pipeline's: scoring would
        // pair values with the wrong coefficients, so building the predictor is refused.
        var reordered = model
        reordered.featureNames.reverse()
        let mismatched = try TestPaths.tempDir("concrete").appendingPathComponent("churn-mismatch")
        try ModelPackage.save(model: reordered, pipeline: pipeline, signature: signature, lineage: nil, to: mismatched)
        #expect(throws: ModelPackageError.self) {
            try PredictorRegistry<FeatureValue>.standard.predictor(for: ModelPackage.load(from: mismatched))
        }
        print(try String(contentsOf: dir.appendingPathComponent("MLmodel"), encoding: .utf8))
    }

    /// A categorical column with both spellings of "é" (composed, decomposed): two features whose
    /// names Swift's String == calls equal. A model with those two names swapped must be refused,
    /// not matched to the pipeline (its coefficients would score the wrong category).
    @Test func pipelineAndModelNamesCompareByteWise() throws {
        let cities = ["\u{E9}", "e\u{301}", "x", "\u{E9}", "e\u{301}", "x", "\u{E9}", "x"]
        let table = try Table([Column(Field("city", .string), data: .bytes(ByteArrayBuffer(strings: cities)))])
        let pipeline = try FeaturePipeline(FeatureSpec(categorical: [CategoricalFeatureSpec(column: "city")])).fit(table)
        let x = try pipeline.transform(table)
        let model = try LogisticRegression().fit(x: x, y: [1, 0, 0, 1, 0, 1, 1, 0], featureNames: pipeline.featureNames)
        var swapped = model
        swapped.featureNames.swapAt(0, 2)  // byte order: "e\u{301}" < "x" < "\u{E9}"
        #expect(swapped.featureNames == model.featureNames)  // canonically equivalent
        let dir = try TestPaths.tempDir("concrete").appendingPathComponent("nfd")
        try ModelPackage.save(model: swapped, pipeline: pipeline, signature: nil, lineage: nil, to: dir)
        #expect(throws: ModelPackageError.self) {
            try PredictorRegistry<FeatureValue>.standard.predictor(for: ModelPackage.load(from: dir))
        }
    }

    @Test func alsModelRoundTrips() throws {
        let table = try GoldTable.open(Self.root.appendingPathComponent("Experiments/gold/interactions").path).read()
        let interactions = try Interactions.build(from: table, user: "user_id", item: "item_id", weight: .count)
        let model = try ALS(ALS.Parameters(factors: 8, iterations: 3, seed: 3, threads: 1)).fit(interactions)
        let dir = try TestPaths.tempDir("concrete").appendingPathComponent("recs")
        try ModelPackage.save(model: model, signature: ModelSignature(
            inputs: [ColumnSpec("user_id", .string), ColumnSpec("k", .long, required: false)],
            outputs: [ColumnSpec("item_ids", .array(.string)), ColumnSpec("scores", .array(.double))]),
            lineage: nil, to: dir)
        let loaded = try ModelPackage.load(from: dir)
        let back = try loaded.model(as: ALSModel.self)
        #expect(back.userFactors == model.userFactors)
        #expect(back.itemFactors == model.itemFactors)
        #expect(back.itemPopularity == model.itemPopularity)
        #expect(back.seenRowPointers == model.seenRowPointers && back.seenItems == model.seenItems)
        let predictor = try PredictorRegistry<FeatureValue>.standard.predictor(for: loaded)
        let users = Array(model.users.ids.prefix(3)) + ["nobody"]
        let out = try predictor.predict(rows: users.map { ["user_id": .string($0), "k": 5] })
        for (i, u) in users.enumerated() {
            let expected = model.recommend(user: u, k: 5, excludeSeen: true)
            #expect(out[i]["item_ids"] == .array(expected.map { .string($0.item) }))
            #expect(out[i]["scores"] == .array(expected.map { .double(Double($0.score)) }))
        }
        // k absent or null means 10; out of range, fractional, a string or a boolean is an error.
        let defaults = try predictor.predict(rows: [["user_id": .string(users[0])], ["user_id": .string(users[0]), "k": nil]])
        let ten = model.recommend(user: users[0], k: 10, excludeSeen: true).map { ModelValue.string($0.item) }
        #expect(defaults.map { $0["item_ids"] } == [.array(ten), .array(ten)])
        // ScoringOptions.defaultK (a policy's serving.default_k) replaces the 10; an explicit k wins.
        let three = try PredictorRegistry<FeatureValue>.standard(options: ScoringOptions(defaultK: 3)).predictor(for: loaded)
            .predict(rows: [["user_id": .string(users[0])], ["user_id": .string(users[0]), "k": 5]])
        #expect(three[0]["item_ids"] == .array(model.recommend(user: users[0], k: 3, excludeSeen: true).map { .string($0.item) }))
        #expect(three[1]["item_ids"] == out[0]["item_ids"])
        for bad: FeatureValue in [0, 10_001, 2.5, "5", true] {
            #expect(throws: PredictionError.self) { try predictor.predict(rows: [["user_id": .string(users[0]), "k": bad]]) }
        }
    }
}
