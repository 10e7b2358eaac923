import Foundation
import Testing
import Trainers

@Suite struct RankingMetricsTests {
    @Test func handComputedSingleUser() throws {
        // ranked [3, 1, 2, 9, 7], relevant {1, 7, 8}, k = 5: hits at positions 2 and 5.
        let s = RankingMetrics.scores([3, 1, 2, 9, 7], relevant: [1, 7, 8], k: 5)
        #expect(abs(s.precision - 2.0 / 5) < 1e-12)
        #expect(abs(s.recall - 2.0 / 3) < 1e-12)
        let dcg = 1 / log2(3.0) + 1 / log2(6.0)
        let idcg = 1 / log2(2.0) + 1 / log2(3.0) + 1 / log2(4.0)
        #expect(abs(s.ndcg - dcg / idcg) < 1e-12)
        // AP@5 = (P@2 + P@5) / min(5, 3) = (1/2 + 2/5) / 3
        #expect(abs(s.averagePrecision - (0.5 + 0.4) / 3) < 1e-12)
    }

    @Test func idealDCGUsesMinOfKAndRelevant() throws {
        // k = 2, 5 relevant items, both top-2 relevant: NDCG = 1, AP = 1, recall = 2/5.
        let s = RankingMetrics.scores([4, 5, 6], relevant: [4, 5, 6, 7, 8], k: 2)
        #expect(s.ndcg == 1)
        #expect(s.averagePrecision == 1)
        #expect(abs(s.recall - 0.4) < 1e-12)
        #expect(s.precision == 1)
    }

    @Test func shortListsAndDuplicatesAndMisses() throws {
        // A list shorter than k still divides precision by k; a repeated item counts once.
        let s = RankingMetrics.scores([2, 2], relevant: [2], k: 4)
        #expect(s.precision == 0.25)
        #expect(s.recall == 1)
        #expect(s.ndcg == 1)
        let miss = RankingMetrics.scores([0, 1, 3], relevant: [9], k: 3)
        #expect(miss == (0, 0, 0, 0))
    }

    @Test func macroAverageSkipsUsersWithoutRelevantItemsAndCoverage() throws {
        let m = try RankingMetrics.evaluate(recommended: [[0, 1], [2, 3], [1, 4]], relevant: [[1], [], [4, 5]], k: 2,
                                            catalogSize: 10)
        #expect(m.users == 2)
        // user 0: hit at 2; user 2: hit at 2.
        #expect(abs(m.precision - 0.5) < 1e-12)
        #expect(abs(m.recall - (1.0 + 0.5) / 2) < 1e-12)
        let ndcg0 = (1 / log2(3.0)) / 1, ndcg2 = (1 / log2(3.0)) / (1 + 1 / log2(3.0))
        #expect(abs(m.ndcg - (ndcg0 + ndcg2) / 2) < 1e-12)
        #expect(abs(m.map - (0.5 + 0.5 / 2) / 2) < 1e-12)
        // distinct items {0, 1, 2, 3, 4} of 10 (the skipped user's list counts for coverage).
        #expect(m.coverage == 0.5)
    }

    @Test func badInputsThrow() {
        #expect(throws: MetricError.self) { try RankingMetrics.evaluate(recommended: [[0]], relevant: [], k: 1, catalogSize: 3) }
        #expect(throws: MetricError.self) { try RankingMetrics.evaluate(recommended: [[0]], relevant: [[0]], k: 0, catalogSize: 3) }
        #expect(throws: MetricError.self) { try RankingMetrics.evaluate(recommended: [[5]], relevant: [[0]], k: 1, catalogSize: 3) }
    }
}
