import Foundation
import ModelPackage
import Testing

@Suite struct PredictorTests {
    @Test func requiredInputsAreEnforcedAndExtrasDropped() throws {
        let (dir, model, pipeline) = try Fixture.savePackage(seed: 21)
        let predictor = try Fixture.registry().load(from: dir)
        #expect(predictor.modelKind == "tiny_linear")
        var rows = Fixture.rows(3, seed: 4)
        rows[1].removeValue(forKey: "x2")
        rows[1].removeValue(forKey: "x0")
        #expect(throws: PredictionError.missingInputs(["x0", "x2"], row: 1)) { try predictor.predict(rows: rows) }

        // Extra columns never reach the model.
        let seen = SeenColumns()
        let manifest = predictor.manifest
        let spy = Predictor<Double>(manifest: manifest) { rows in
            seen.record(rows.flatMap(\.keys))
            return model.predict(try pipeline.transform(rows))
        }
        var extra = Fixture.rows(2, seed: 5)
        extra[0]["unrelated"] = 1
        let out = try spy.predict(rows: extra)
        #expect(!seen.names.contains("unrelated"))
        #expect(out == model.predict(try pipeline.transform(Fixture.rows(2, seed: 5))))
    }

    @Test func modelFailuresAndWrongCountsAreReported() throws {
        let (dir, _, _) = try Fixture.savePackage()
        let manifest = try ModelPackage.load(from: dir).manifest
        struct Boom: Error {}
        let failing = Predictor<Double>(manifest: manifest) { _ in throw Boom() }
        #expect(throws: PredictionError.self) { try failing.predict(rows: Fixture.rows(1, seed: 1)) }
        let short = Predictor<Double>(manifest: manifest) { _ in [] }
        #expect(throws: PredictionError.modelFailed("the tiny_linear model returned 0 predictions for 2 rows")) {
            try short.predict(rows: Fixture.rows(2, seed: 1))
        }
    }
}

/// Collects the column names a score closure saw (thread-safe).
final class SeenColumns: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: Set<String> = []
    func record(_ names: [String]) { lock.withLock { seen.formUnion(names) } }
    var names: Set<String> { lock.withLock { seen } }
}
