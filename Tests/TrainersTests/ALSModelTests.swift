import Features
import Foundation
import Linalg
import Testing
@testable import Trainers

@Suite struct ALSModelTests {
    /// A hand-built model: 3 users, 5 items, k = 2.
    static func handModel() throws -> ALSModel {
        let training = try SparseMatrix<Float>(rows: 3, columns: 5, entries: [
            (0, 0, 1), (0, 4, 1), (1, 0, 2), (1, 1, 1), (1, 2, 1), (2, 2, 1),
        ])
        // item factors: 0 ↑x, 1 mostly x, 2 ↑y, 3 −x, 4 2·x
        let items = try Matrix<Float>(rows: 5, columns: 2, values: [1, 0, 0.9, 0.1, 0, 1, -1, 0, 2, 0])
        let users = try Matrix<Float>(rows: 3, columns: 2, values: [1, 0.5, 0, 1, -1, 0])
        return try ALSModel(parameters: .init(factors: 2), userFactors: users, itemFactors: items,
                            users: IdMap(ids: ["a", "b", "c"]), items: IdMap(ids: ["i0", "i1", "i2", "i3", "i4"]),
                            training: training)
    }

    @Test func recommendScoresExcludesSeenAndBreaksTies() throws {
        let m = try Self.handModel()
        // user a = (1, 0.5): scores i0 1, i1 0.95, i2 0.5, i3 −1, i4 2.
        let all = m.recommend(user: "a", k: 5, excludeSeen: false)
        #expect(all.map(\.item) == ["i4", "i0", "i1", "i2", "i3"])
        #expect(abs(all[2].score - 0.95) < 1e-6)
        let unseen = m.recommend(user: "a", k: 5, excludeSeen: true)
        #expect(unseen.map(\.item) == ["i1", "i2", "i3"])  // i0, i4 seen; fewer than k remain
        // user b = (0, 1): scores i0 0, i1 0.1, i2 1, i3 0, i4 0 — ties at 0 by index.
        #expect(m.recommend(user: "b", k: 4, excludeSeen: false).map(\.item) == ["i2", "i1", "i0", "i3"])
        #expect(m.recommend(user: "b", k: 0, excludeSeen: false).isEmpty)
    }

    @Test func coldStartIsMostPopularThenIndex() throws {
        let m = try Self.handModel()
        // popularity: i0 2, i1 1, i2 2, i3 0, i4 1
        #expect(m.itemPopularity == [2, 1, 2, 0, 1])
        let cold = m.recommend(user: "nobody", k: 4, excludeSeen: true)
        #expect(cold.map(\.item) == ["i0", "i2", "i1", "i4"])
        #expect(cold.map(\.score) == [2, 2, 1, 1])
        #expect(m.recommend(userIndex: 99, k: 2, excludeSeen: false).map(\.item) == [0, 2])
    }

    @Test func similarItemsByCosine() throws {
        let m = try Self.handModel()
        let s = try m.similarItems(item: "i0", k: 3)
        #expect(s.map(\.item) == ["i4", "i1", "i2"])
        #expect(abs(s[0].score - 1) < 1e-6)
        #expect(abs(s[1].score - Float(0.9 / (0.81 + 0.01).squareRoot())) < 1e-6)
        #expect(try m.similarItems(item: "i0", k: 10).count == 4)  // never the item itself
        #expect(throws: ALSError.unknownItem("zzz")) { try m.similarItems(item: "zzz", k: 3) }
    }

    @Test func rankingMetricsOnHeldOutInteractions() throws {
        let m = try Self.handModel()
        // a: unseen ranking [i1, i2, i3] → top-2 [i1, i2], held out {i1}; b: nothing held out (skipped);
        // c = (−1, 0): unseen ranking [i3, i1, i0, i4] → top-2 [i3, i1], held out {i3}.
        let heldOut = try SparseMatrix<Float>(rows: 3, columns: 5, entries: [(0, 1, 1), (2, 3, 1)])
        let r = try m.rankingMetrics(heldOut: heldOut, k: 2)
        #expect(r.users == 2)
        #expect(r.precision == 0.5)
        #expect(r.recall == 1)
        #expect(r.ndcg == 1)
        #expect(r.map == 1)
        #expect(r.coverage == 3.0 / 5)  // {i1, i2, i3}
        #expect(throws: MetricError.self) { try m.rankingMetrics(heldOut: SparseMatrix<Float>(rows: 2, columns: 5, entries: []), k: 2) }
    }

    @Test func batchTopKMatchesAFullSortPerUser() throws {
        let data = try ALSImplicitTests.small(users: 700, items: 90, seed: 13)  // > 2 blocks of 256 users
        let model = try ALS(.init(factors: 6, regularization: 0.1, alpha: 4, iterations: 2, seed: 5, threads: 2)).fit(data)
        let batch = model.recommendAll(k: 7, excludeSeen: true)
        #expect(batch.count == data.users.count)
        for u in stride(from: 0, to: data.users.count, by: 37) {
            let seen = Set(data.matrix.row(u).columns.map { Int($0) })
            if seen.isEmpty {
                #expect(batch[u].map(\.item) == model.popular(k: 7).map(\.item))
                continue
            }
            let scores = (0 ..< data.items.count).map { i in
                zip(model.userFactors.row(u), model.itemFactors.row(i)).map { $0 * $1 }.reduce(0, +)
            }
            let expected = (0 ..< data.items.count).filter { !seen.contains($0) }.sorted { (scores[$0], -$0) > (scores[$1], -$1) }
            #expect(batch[u].allSatisfy { !seen.contains($0.item) })
            for (j, got) in batch[u].enumerated() { #expect(abs(got.score - scores[expected[j]]) <= 1e-5) }
            #expect(model.recommend(userIndex: u, k: 7, excludeSeen: true).map(\.item) == batch[u].map(\.item))
        }
    }

    /// The per-task score buffer (block × items floats) stays within 64 MiB whatever the catalog.
    @Test func scoringBlockIsBoundedForLargeCatalogs() {
        #expect(ALSModel.scoringBlockRows(items: 90) == 256)
        #expect(ALSModel.scoringBlockRows(items: 65_536) == 256)
        for items in [65_537, 1_000_000, 20_000_000, 100_000_000] {
            let rows = ALSModel.scoringBlockRows(items: items)
            #expect(rows >= 1 && (rows == 1 || rows * items * 4 <= 64 << 20), "\(items) items: \(rows) rows")
        }
        #expect(ALSModel.scoringBlockRows(items: 1_000_000) == 16)
    }

    @Test func codableRoundTripAndDamagedModels() throws {
        let data = try ALSImplicitTests.small(users: 40, items: 25, seed: 3)
        let model = try ALS(.init(factors: 4, iterations: 2, seed: 9)).fit(data)
        let json = try JSONEncoder().encode(model)
        let back = try JSONDecoder().decode(ALSModel.self, from: json)
        #expect(back.userFactors == model.userFactors)
        #expect(back.itemFactors == model.itemFactors)
        #expect(back.parameters == model.parameters)
        #expect(back.recommend(user: "3", k: 5, excludeSeen: true).map(\.item)
            == model.recommend(user: "3", k: 5, excludeSeen: true).map(\.item))
        // Drop one user factor value: the decoder names the inconsistency instead of crashing.
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object["userFactors"] = (object["userFactors"] as? [Any] ?? []).dropLast().map { $0 }
        let damaged = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: ALSError.self) { try JSONDecoder().decode(ALSModel.self, from: damaged) }
        object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object["seenItems"] = [Int](repeating: 999, count: (object["seenItems"] as? [Any])?.count ?? 0)
        #expect(throws: ALSError.self) { try JSONDecoder().decode(ALSModel.self, from: try JSONSerialization.data(withJSONObject: object)) }
    }

    /// A model built or decoded with out-of-range parameters (factors 0 with empty factor
    /// matrices reached BLAS with a zero leading dimension) or with a user's seen items out of
    /// order (excludeSeen would then miss some) is rejected.
    @Test func inconsistentParametersOrSeenOrderAreRejected() throws {
        let users = IdMap(ids: ["a", "b"]), items = IdMap(ids: ["p", "q", "r"])
        let training = try SparseMatrix<Float>(rows: 2, columns: 3, entries: [(0, 0, 1), (1, 2, 1)])
        #expect(throws: ALSError.self) {
            try ALSModel(parameters: .init(factors: 0), userFactors: Matrix(rows: 2, columns: 0),
                         itemFactors: Matrix(rows: 3, columns: 0), users: users, items: items, training: training)
        }
        #expect(throws: ALSError.self) {
            try ALSModel(parameters: .init(factors: 1, threads: -1), userFactors: Matrix(rows: 2, columns: 1),
                         itemFactors: Matrix(rows: 3, columns: 1), users: users, items: items, training: training)
        }
        let data = try ALSImplicitTests.small(users: 30, items: 20, seed: 4)
        let model = try ALS(.init(factors: 3, iterations: 1, seed: 2)).fit(data)
        var object = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(model)) as? [String: Any])
        var seen = try #require(object["seenItems"] as? [Int])
        let pointers = try #require(object["seenRowPointers"] as? [Int])
        let u = try #require((0 ..< data.users.count).first { pointers[$0 + 1] - pointers[$0] >= 2 })
        seen[pointers[u] ..< pointers[u + 1]].reverse()
        object["seenItems"] = seen
        let damaged = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: ALSError.self) { try JSONDecoder().decode(ALSModel.self, from: damaged) }
    }

    /// No users, no items or a single cell: both feedbacks fit, recommend (an unknown user gets
    /// every item, by popularity, capped at k), round-trip through JSON and evaluate without trapping.
    @Test(arguments: [(0, 0), (0, 3), (3, 0), (1, 1)])
    func degenerateShapesFitRecommendAndDecode(shape: (users: Int, items: Int)) throws {
        let (u, i) = shape
        let entries: [(row: Int, column: Int, value: Float)] = u > 0 && i > 0 ? [(0, 0, 1)] : []
        let m = try SparseMatrix<Float>(rows: u, columns: i, entries: entries)
        let data = try Interactions(matrix: m, users: IdMap(ids: (0 ..< u).map { "u\($0)" }),
                                    items: IdMap(ids: (0 ..< i).map { "i\($0)" }))
        for feedback in [ALS.Feedback.implicit, .explicit] {
            let model = try ALS(.init(factors: 3, feedback: feedback, iterations: 2)).fit(data) { _ in }
            #expect(model.recommendAll(k: 5, excludeSeen: true).count == u)
            // Popularity order: i0 (the one cell, if any) first, the rest by index.
            #expect(model.recommend(user: "nobody", k: 5, excludeSeen: true).map(\.item) == (0 ..< i).map { "i\($0)" })
            if i > 0 { #expect(try model.similarItems(itemIndex: 0, k: 4).count == i - 1) }
            let back = try JSONDecoder().decode(ALSModel.self, from: JSONEncoder().encode(model))
            #expect(back.userFactors == model.userFactors && back.itemFactors == model.itemFactors)
            #expect(try model.rankingMetrics(heldOut: m, k: 3).users == entries.count)
        }
    }

    @Test func parametersDecodeWithDefaultsAndValidate() throws {
        let p = try JSONDecoder().decode(ALS.Parameters.self, from: Data(#"{"factors": 16, "feedback": "explicit"}"#.utf8))
        #expect(p.factors == 16)
        #expect(p.feedback == .explicit)
        #expect(p.cgSteps == 3)
        #expect(p.iterations == ALS.Parameters().iterations)
        let data = try ALSImplicitTests.small(users: 5, items: 5)
        for bad in [ALS.Parameters(factors: 0), .init(regularization: -1), .init(alpha: .nan), .init(cgSteps: 0), .init(threads: -2)] {
            #expect(throws: ALSError.self) { try ALS(bad).fit(data) }
        }
    }

    @Test func nonFiniteInteractionNamesUserAndItem() throws {
        let m = try SparseMatrix<Float>(rows: 2, columns: 2, entries: [(0, 0, 1), (1, 1, .infinity)])
        let data = try Interactions(matrix: m, users: IdMap(ids: ["x", "y"]), items: IdMap(ids: ["p", "q"]))
        #expect(throws: ALSError.invalidValue(user: "y", item: "q", value: .infinity)) { try ALS().fit(data) }
    }

    /// Finite values that overflow Float32 in the solve (ratings near Float's maximum; α·r past
    /// it) stop the fit with the iteration named, not a "damaged model" error at the end.
    @Test func overflowingFactorsNameTheIteration() throws {
        let m = try SparseMatrix<Float>(rows: 2, columns: 2, entries: [(0, 0, 3e38), (1, 1, -3e38), (1, 0, 2e38)])
        let data = try Interactions(matrix: m, users: IdMap(ids: ["x", "y"]), items: IdMap(ids: ["p", "q"]))
        #expect(throws: ALSError.nonFiniteFactors(iteration: 1)) {
            try ALS(.init(factors: 2, regularization: 0.1, feedback: .explicit, iterations: 3)).fit(data)
        }
        #expect(throws: ALSError.nonFiniteFactors(iteration: 1)) {
            try ALS(.init(factors: 2, alpha: 10, iterations: 3)).fit(data)
        }
    }

    @Test func explicitWithoutRegularizationReportsSingularRow() throws {
        // User 0 rated a single item with k = 2 and λ = 0: rank-1 normal equations.
        let m = try SparseMatrix<Float>(rows: 2, columns: 2, entries: [(0, 0, 4), (1, 0, 3), (1, 1, 2)])
        let data = try Interactions(matrix: m, users: IdMap(ids: ["x", "y"]), items: IdMap(ids: ["p", "q"]))
        #expect(throws: ALSError.self) {
            try ALS(.init(factors: 2, regularization: 0, feedback: .explicit, iterations: 1)).fit(data)
        }
    }
}
