import Foundation
import Testing
import Tracking

/// Our parser, evaluator and ordering against what MLflow 3.17.2's own search code recorded in
/// Tests/Fixtures/mlflow-search/cases.json (no Python at test time).
@Suite struct MLflowSearchPeerTests {
    /// Filters MLflow's parser accepts that we refuse on purpose (docs/design/search.md, "Deviations").
    static let strictDeviations: Set<String> = [
        "metrics.auc > 0.8 params.l2 = '1.0'",   // two clauses without AND
        "metrics.auc > 0.8 AND",                 // dangling AND
        "AND metrics.auc > 0.8",                 // leading AND
    ]

    @Test func fixtureCoversEnoughCases() throws {
        let fixture = try SearchFixture.load()
        #expect(fixture.mlflow_version == "3.17.2")
        #expect(fixture.filters.count >= 60)
        #expect(fixture.filters.filter { $0.error != nil }.count >= 25)
        #expect(fixture.runs.count == 8)
    }

    @Test func parsedClausesMatchMLflow() throws {
        let fixture = try SearchFixture.load()
        for c in fixture.filters {
            if Self.strictDeviations.contains(c.filter) {
                #expect(c.error == nil, "MLflow accepts \(c.filter)")
                #expect(throws: TrackingError.self, "we refuse \(c.filter)") { try RunFilter.parse(c.filter) }
                continue
            }
            if let expected = c.clauses {
                do {
                    let parsed = try RunFilter.parse(c.filter)
                    #expect(parsed.clauses.map(\.fixtureShape) == expected, "filter \(c.filter)")
                } catch {
                    Issue.record("MLflow accepts \(c.filter) but we threw \(error)")
                }
            } else {
                do {
                    let parsed = try RunFilter.parse(c.filter)
                    Issue.record("MLflow refuses \(c.filter) (\(c.error ?? "")) but we parsed \(parsed)")
                } catch let error as TrackingError {
                    #expect(error.code == .invalidParameterValue, "filter \(c.filter)")
                }
            }
        }
    }

    @Test func matchingRunsMatchMLflow() throws {
        let fixture = try SearchFixture.load()
        for c in fixture.filters {
            guard let expected = c.matches, !Self.strictDeviations.contains(c.filter) else { continue }
            let filter = try RunFilter.parse(c.filter)
            let got = fixture.runs.filter { filter.matches($0) }.map(\.run_id).sorted()
            #expect(got == expected, "filter \(c.filter)")
        }
    }

    @Test func canonicalTextParsesBackToTheSameFilter() throws {
        let fixture = try SearchFixture.load()
        for c in fixture.filters where c.clauses != nil && !Self.strictDeviations.contains(c.filter) {
            let parsed = try RunFilter.parse(c.filter)
            #expect(try RunFilter.parse(parsed.description) == parsed, "filter \(c.filter) → \(parsed)")
        }
    }

    @Test func orderingMatchesMLflow() throws {
        let fixture = try SearchFixture.load()
        for c in fixture.orders {
            if let expected = c.run_ids {
                let ordering = try RunOrdering.parse(c.order_by)
                let got = fixture.runs.sorted(by: ordering.areInIncreasingOrder).map(\.run_id)
                #expect(got == expected, "order_by \(c.order_by)")
            } else {
                #expect(throws: TrackingError.self, "order_by \(c.order_by): \(c.error ?? "")") {
                    try RunOrdering.parse(c.order_by)
                }
            }
        }
    }
}
