import Testing
import Tracking

/// Random filter-like strings never crash the parser: each either parses (and its canonical text
/// parses back to the same filter) or throws `TrackingError(.invalidParameterValue)`.
@Suite struct RunFilterFuzzTests {
    static let pieces = [
        "metrics.", "params.", "tags.", "attributes.", "datasets.", "run.", "auc", "l2", "status",
        "run_id", "start_time", "name", "context", "`a.b`", "\"k k\"", "'v'", "\"it's\"", "'x''y'",
        "'a\\'b'", "=", "!=", ">", ">=", "<", "<=", "==", "<>", "!", "LIKE", "ilike", "IN", "NOT",
        "IS", "NULL", "AND", "and", "OR", "(", ")", ",", "1", "-0.5", ".5", "1e3", "5.", "1e", "+1",
        "'%_'", " ", " ", " ", "`", "'", "\"", ";", "é", "\u{0}", "-", ".",
    ]

    @Test func randomFiltersParseOrThrowCleanly() throws {
        var rng = SeededGenerator(seed: 20261121)
        var parsedCount = 0
        for _ in 0..<20000 {
            let n = Int.random(in: 1...9, using: &rng)
            let text = (0..<n).map { _ in Self.pieces.randomElement(using: &rng) ?? "" }.joined()
            do {
                let filter = try RunFilter.parse(text)
                parsedCount += 1
                #expect(try RunFilter.parse(filter.description) == filter, "\(text) → \(filter)")
            } catch let error as TrackingError {
                #expect(error.code == .invalidParameterValue)
            }
            _ = try? RunOrdering.parse([text])
        }
        #expect(parsedCount > 50)
    }

    @Test func validClausesJoinedByAndAlwaysParse() throws {
        let clauses = [
            "metrics.auc > 0.8", "params.`l 2` = \"it's\"", "tags.t LIKE '%_'", "run_id IN ('a', 'b')",
            "attributes.end_time <= -1e3", "datasets.context NOT IN ('x')", "tags.x IS NOT NULL",
            "created = .5", "metric.`a`b` != 1e999",
        ]
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let picked = (0..<Int.random(in: 1...5, using: &rng)).map { _ in clauses.randomElement(using: &rng) ?? "" }
            let joiner = [" AND ", " and ", "  AnD\n"].randomElement(using: &rng) ?? " AND "
            let text = picked.joined(separator: joiner)
            do {
                let filter = try RunFilter.parse(text)
                #expect(filter.clauses.count == picked.count)
                #expect(try RunFilter.parse(filter.description) == filter)
            } catch {
                // only the deliberately odd backtick key may fail
                #expect(text.contains("`a`b`"), "\(text): \(error)")
            }
        }
    }
}
