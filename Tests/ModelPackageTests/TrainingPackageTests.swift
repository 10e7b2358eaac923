import Features
import Foundation
import GoldTables
import ModelPackage
import Testing
import TestSupport
import Trainers

/// The package helpers the training commands use: table cells as JSON values, input examples,
/// the logistic signature and batch scoring of a table.
@Suite struct TrainingPackageTests {
    static func table() throws -> Table {
        try Table([
            Column(Field("n", .int32, nullable: false), data: .int32([3, 7, 1, 5])),
            Column(Field("x", .float64), data: .double([0.5, -1.25, 2, 0]), validity: [true, true, false, true]),
            Column(Field("c", .string, nullable: false), data: .bytes(ByteArrayBuffer(strings: ["a", "b", "a", "c"]))),
            Column(Field("d", .date, nullable: false), data: .int32([19_000, 19_500, 20_000, 18_000])),
            Column(Field("y", .bool, nullable: false), data: .bool([false, true, false, true])),
            Column(Field("id", .int64, nullable: false), data: .int64([10, 11, 12, 13])),
        ])
    }

    @Test func modelValuesOfTableCells() {
        #expect(ModelValue(Value.null) == .null)
        #expect(ModelValue(Value.bool(true)) == .bool(true))
        #expect(ModelValue(Value.int(-4)) == .int(-4))
        #expect(ModelValue(Value.float(0.5)) == .double(0.5))
        #expect(ModelValue(Value.string("é")) == .string("é"))
        #expect(ModelValue(Value.date(0)) == .string("1970-01-01"))
        #expect(ModelValue(Value.decimal(unscaled: -1230, scale: 2)) == .string("-12.30"))
        #expect(ModelValue.int(3).featureValue == .number(3))
        #expect(ModelValue.null.featureValue == .null)
    }

    @Test func inputExampleAndSignatureFromTheTable() throws {
        let t = try Self.table()
        let ex = try InputExample(table: t, columns: ["c", "x", "d"], limit: 3)
        #expect(ex.columns == ["c", "x", "d"])
        #expect(ex.data == [[.string("a"), .double(0.5), .string("2022-01-08")],
                            [.string("b"), .double(-1.25), .string("2023-05-23")],
                            [.string("a"), .null, .string("2024-10-04")]])
        #expect(throws: (any Error).self) { try InputExample(table: t, columns: ["nope"]) }

        let spec = try FeatureSpec(numeric: [NumericFeatureSpec(column: "n"), NumericFeatureSpec(column: "x")],
                                   categorical: [CategoricalFeatureSpec(column: "c")], drop: ["y", "id"])
        let pipeline = try FeaturePipeline(spec).fit(t)
        let sig = try ModelSignature.logistic(pipeline: pipeline, schema: t.schema)
        #expect(sig.inputs == [ColumnSpec("n", .integer), ColumnSpec("x", .double, required: false), ColumnSpec("c", .string)])
        #expect(sig.outputs.map(\.name) == ["probability", "label"])
        let other = Schema(t.schema.fields.filter { $0.name != "x" })
        #expect(throws: ModelPackageError.self) { try ModelSignature.logistic(pipeline: pipeline, schema: other) }
    }

    @Test func batchScoringOfATableEqualsTheJSONRowPredictor() throws {
        let t = try Self.table()
        let spec = try FeatureSpec(numeric: [NumericFeatureSpec(column: "n", standardize: true), NumericFeatureSpec(column: "x")],
                                   categorical: [CategoricalFeatureSpec(column: "c")],
                                   dates: [DateFeatureSpec(column: "d", derive: [.ageDays, .dayOfWeek], standardize: true)],
                                   drop: ["y", "id"])
        let r = try LogisticTrainingRun(spec: spec, label: "y", split: .random(testFraction: 0, seed: 1),
                                        parameters: .init(regularization: .c(0.5))).run(t)
        let dir = try TestPaths.tempDir("train-pkg").appendingPathComponent("m")
        try ModelPackage.save(model: r.model, pipeline: r.pipeline,
                              signature: try ModelSignature.logistic(pipeline: r.pipeline, schema: t.schema), lineage: nil, to: dir)
        let loaded = try ModelPackage.load(from: dir)
        let batch = try loaded.probabilities(for: t)
        #expect(batch == (try r.model.predictProbabilities(r.pipeline.transform(t))))
        let ex = try InputExample(table: t, columns: loaded.manifest.signature?.inputs.map(\.name) ?? [], limit: 4)
        let rows = ex.data.map { Dictionary(uniqueKeysWithValues: zip(ex.columns, $0.map(\.featureValue))) }
        let served = try PredictorRegistry<FeatureValue>.standard.predictor(for: loaded).predict(rows: rows)
        #expect(served.map { $0["probability"]?.doubleValue } == batch.map { Optional($0) })
        #expect(served.map { $0["label"] } == batch.map { .int($0 >= 0.5 ? 1 : 0) })
        #expect(try loaded.probabilities(for: t.slice(0 ..< 0)).isEmpty)
        #expect(throws: FeatureError.self) { try loaded.probabilities(for: t.project(["n", "x", "c"])) }

        // Strict mode: the same bits on rows whose categories were seen at fit, row and table paths.
        let strict = ScoringOptions(unknownCategories: .reject)
        let strictPredictor = try PredictorRegistry<FeatureValue>.standard(options: strict).predictor(for: loaded)
        #expect(try loaded.probabilities(for: t, options: strict).map(\.bitPattern) == batch.map(\.bitPattern))
        #expect(try strictPredictor.predict(rows: rows) == served)
        #expect(try loaded.probabilities(for: t, options: ScoringOptions()) == batch)
        // An unseen category: refused naming column, row and value on both paths; bucketed by default.
        var unseenRows = rows
        unseenRows[2]["c"] = "z"
        let unseen = try Table(t.columns.map { $0.name == "c" ? Column(Field("c", .string, nullable: false),
                                                                        data: .bytes(ByteArrayBuffer(strings: ["a", "b", "z", "c"]))) : $0 })
        let message = "unknown category 'z' (not seen when the model was trained; known: a, b, c)"
        #expect(throws: PredictionError.invalidInput(column: "c", row: 2, message)) { try strictPredictor.predict(rows: unseenRows) }
        #expect(throws: FeatureError(column: "c", "row 2: " + message)) { try loaded.probabilities(for: unseen, options: strict) }
        let bucketed = try loaded.probabilities(for: unseen)
        let bucketServed = try PredictorRegistry<FeatureValue>.standard.predictor(for: loaded).predict(rows: unseenRows)
        #expect(bucketServed.map { $0["probability"]?.doubleValue?.bitPattern } == bucketed.map { Optional($0.bitPattern) })
        #expect(bucketed[0] == batch[0] && bucketed[2] != batch[2])
    }
}
