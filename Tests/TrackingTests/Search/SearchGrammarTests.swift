import Testing
import Tracking

/// Experiments, registered-model and model-version filters against MLflow 3.17.2's parsers
/// (and, for registered models, its in-memory filter with the `mlflow.prompt.is_prompt` rule).
@Suite struct SearchGrammarTests {
    static let grammars: [(String, SearchGrammar)] = [
        ("experiments", .experiments), ("registered_models", .registeredModels), ("model_versions", .modelVersions),
    ]

    @Test func parsesAsMLflowDoes() throws {
        let fixture = try SearchFixture.load()
        for (name, grammar) in Self.grammars {
            let cases = try #require(fixture.grammars[name])
            #expect(cases.count >= 14)
            for c in cases {
                if let expected = c.clauses {
                    do {
                        let parsed = try RunFilter.parse(c.filter, grammar: grammar)
                        #expect(parsed.clauses.map(\.fixtureShape) == expected, "\(name): \(c.filter)")
                    } catch {
                        Issue.record("\(name): MLflow accepts \(c.filter), we threw \(error)")
                    }
                } else {
                    #expect(throws: TrackingError.self, "\(name): \(c.filter) (\(c.error ?? ""))") {
                        try RunFilter.parse(c.filter, grammar: grammar)
                    }
                }
            }
        }
    }

    @Test func registeredModelsMatchAsMLflowWithPromptRule() throws {
        let fixture = try SearchFixture.load()
        for c in try #require(fixture.grammars["registered_models"]) {
            guard let expected = c.matches else { continue }
            let filter = try RunFilter.parse(c.filter, grammar: .registeredModels)
            let got = fixture.models.filter { filter.matches($0, grammar: .registeredModels) }.map(\.name).sorted()
            #expect(got == expected, "\(c.filter)")
        }
    }

    @Test func runsOnlyEntitiesAreRefusedElsewhere() {
        for (_, grammar) in Self.grammars {
            #expect(throws: TrackingError.self) { try RunFilter.parse("metrics.auc > 1", grammar: grammar) }
            #expect(throws: TrackingError.self) { try RunFilter.parse("datasets.name = 'x'", grammar: grammar) }
        }
    }
}
