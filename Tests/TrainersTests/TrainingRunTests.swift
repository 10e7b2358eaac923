import Features
import Foundation
import GoldTables
import Linalg
import Testing
import Trainers

@Suite struct BinaryLabelsTests {
    @Test func readsBooleanIntegerAndFloatLabels() throws {
        let t = try Table([
            Column(Field("b", .bool), data: .bool([true, false, true])),
            Column(Field("i", .int32), data: .int32([0, 1, 1])),
            Column(Field("l", .int64), data: .int64([1, 0, 0])),
            Column(Field("d", .float64), data: .double([0, 0, 1])),
        ])
        #expect(try BinaryLabels.values(of: t, column: "b") == [1, 0, 1])
        #expect(try BinaryLabels.values(of: t, column: "i") == [0, 1, 1])
        #expect(try BinaryLabels.values(of: t, column: "l") == [1, 0, 0])
        #expect(try BinaryLabels.values(of: t, column: "d") == [0, 0, 1])
    }

    @Test func namesTheColumnAndRowOfABadLabel() throws {
        let t = try Table([
            Column(Field("i", .int64), data: .int64([0, 1, 1, 2])),
            Column(Field("d", .float64), data: .double([0, 0.5, 1, 1])),
            Column(Field("n", .bool), data: .bool([true, false, true, true]), validity: [true, true, false, true]),
            Column(Field("s", .string), data: .bytes(ByteArrayBuffer(strings: ["0", "1", "0", "1"]))),
        ])
        func message(_ column: String) -> String {
            do { _ = try BinaryLabels.values(of: t, column: column); return "" } catch { return "\(error)" }
        }
        #expect(message("i") == "i: row 3: label 2 is not 0 or 1 (a binary label is needed)")
        #expect(message("d") == "d: row 1: label 0.5 is not 0 or 1 (a binary label is needed)")
        #expect(message("n") == "n: row 2: null label (labels must be 0/1 or true/false)")
        #expect(message("s").hasPrefix("s: a label must be a boolean or a 0/1 integer or float column"))
        #expect(message("zz").hasPrefix("zz: no such label column"))
    }
}

@Suite struct LogisticTrainingRunTests {
    /// 400 rows: x ~ N(0, 1), g ∈ {a, b}, y ~ Bernoulli(σ(1.5·x − 1 + [g = b])).
    static func table() throws -> Table {
        var g = SeededGenerator(seed: 11)
        var x: [Double] = [], group: [String] = [], y: [Bool] = []
        for _ in 0 ..< 400 {
            let v = g.normal(), b = Double.random(in: 0 ..< 1, using: &g) < 0.5
            let p = 1 / (1 + exp(-(1.5 * v - 1 + (b ? 1 : 0))))
            x.append(v)
            group.append(b ? "b" : "a")
            y.append(Double.random(in: 0 ..< 1, using: &g) < p)
        }
        return try Table([
            Column(Field("x", .float64), data: .double(x)),
            Column(Field("g", .string), data: .bytes(ByteArrayBuffer(strings: group))),
            Column(Field("y", .bool), data: .bool(y)),
        ])
    }

    @Test func fitsThePipelineOnTrainingRowsOnlyAndScoresTheTestRows() throws {
        let t = try Self.table()
        let spec = try FeatureSpec(numeric: [NumericFeatureSpec(column: "x", standardize: true)],
                                   categorical: [CategoricalFeatureSpec(column: "g")], drop: ["y"])
        let job = LogisticTrainingRun(spec: spec, label: "y", split: .random(testFraction: 0.25, seed: 3))
        let r = try job.run(t)
        // The same split as Split.random; the mean learned from the 300 training rows only.
        let split = try Split.random(rowCount: 400, testFraction: 0.25, seed: 3)
        #expect(r.split == split)
        #expect(r.pipeline.trainingRows == 300)
        guard case .double(let x) = t.columns[0].data else { throw TableError("x") }
        let trainMean = split.train.map { x[$0] }.reduce(0, +) / 300
        #expect(abs((r.pipeline.numeric[0].transform.center ?? .nan) - trainMean) < 1e-12)
        // The model is LogisticRegression on the training matrix; metrics are recomputed from its probabilities.
        let train = try t.rows(at: split.train), test = try t.rows(at: split.test)
        guard case .bool(let yAll) = t.columns[2].data else { throw TableError("y") }
        let direct = try LogisticRegression().fit(x: r.pipeline.transform(train), y: split.train.map { yAll[$0] ? 1 : 0 },
                                                  featureNames: r.pipeline.featureNames)
        #expect(r.model == direct)
        let p = try direct.predictProbabilities(r.pipeline.transform(test))
        #expect(r.testProbabilities == p)
        let labels = split.test.map { yAll[$0] ? 1.0 : 0 }
        #expect(r.testLabels == labels)
        #expect(r.metrics?.rocAUC == (try ClassificationMetrics.rocAUC(labels: labels, scores: p)))
        #expect(r.metrics?.confusion == (try ClassificationMetrics.confusionMatrix(labels: labels, scores: p)))
        #expect((r.metrics?.rocAUC ?? 0) > 0.7)
    }

    @Test func refusesALabelUsedAsAFeatureAndReportsMissingMetrics() throws {
        let t = try Self.table()
        let leaky = try FeatureSpec(numeric: [NumericFeatureSpec(column: "x")], boolean: [BooleanFeatureSpec(column: "y")])
        #expect(throws: FeatureError.self) { try LogisticTrainingRun(spec: leaky, label: "y").run(t) }
        let spec = try FeatureSpec(numeric: [NumericFeatureSpec(column: "x")])
        let none = try LogisticTrainingRun(spec: spec, label: "y", split: .random(testFraction: 0, seed: 1)).run(t)
        #expect(none.metrics == nil && none.metricsNote == "no test rows" && none.split.train.count == 400)
    }
}

@Suite struct ALSTrainingRunTests {
    /// 30 users × 12 items, each user rating 6 distinct items 1 … 5.
    static func table() throws -> Table {
        var g = SeededGenerator(seed: 5)
        var users: [String] = [], items: [String] = [], ratings: [Int32] = []
        for u in 0 ..< 30 {
            var pool = Array(0 ..< 12)
            for j in 0 ..< 6 {
                pool.swapAt(j, j + Int(g.next() % UInt64(12 - j)))
                users.append("u\(u)")
                items.append("i\(pool[j])")
                ratings.append(Int32(1 + (u + pool[j]) % 5))
            }
        }
        return try Table([
            Column(Field("user", .string), data: .bytes(ByteArrayBuffer(strings: users))),
            Column(Field("item", .string), data: .bytes(ByteArrayBuffer(strings: items))),
            Column(Field("rating", .int32), data: .int32(ratings)),
        ])
    }

    @Test func explicitRunMatchesANaiveEvaluation() throws {
        let t = try Self.table()
        let params = ALS.Parameters(factors: 4, regularization: 0.1, feedback: .explicit, iterations: 5, seed: 9)
        let r = try ALSTrainingRun(user: "user", item: "item", weight: .column("rating"), parameters: params,
                                   testFraction: 0.34, k: 3).run(t)
        let all = try Interactions.build(from: t, user: "user", item: "item", weight: .column("rating"))
        let (train, test) = try Split.perUser(all.matrix, testFraction: 0.34, seed: 9)
        #expect(r.train == train && r.test == test && test.nonZeros == 60)
        let model = try ALS(params).fit(try Interactions(matrix: train, users: all.users, items: all.items))
        #expect(r.model.userFactors == model.userFactors && r.model.itemFactors == model.itemFactors)
        // RMSE and MAE from naive dot products over the held-out entries.
        var se = 0.0, ae = 0.0
        for u in 0 ..< test.rows {
            let row = test.row(u)
            for (i, v) in zip(row.columns, row.values) {
                var s = 0.0
                for f in 0 ..< 4 { s += Double(model.userFactors[u, f]) * Double(model.itemFactors[Int(i), f]) }
                se += (s - Double(v)) * (s - Double(v))
                ae += abs(s - Double(v))
            }
        }
        #expect(abs((r.rmse ?? .nan) - (se / 60).squareRoot()) < 1e-5)
        #expect(abs((r.mae ?? .nan) - ae / 60) < 1e-5)
        #expect(r.ranking == (try model.rankingMetrics(heldOut: test, k: 3)))
    }

    @Test func implicitRunHasNoRatingErrorsAndNoTestWithoutHoldOut() throws {
        let t = try Self.table()
        let params = ALS.Parameters(factors: 4, iterations: 2, seed: 1)
        let r = try ALSTrainingRun(user: "user", item: "item", weight: .count, parameters: params, testFraction: 0.2).run(t)
        #expect(r.rmse == nil && r.ranking != nil)
        // The popularity baseline from a naive ranking: most training users first, ties by index,
        // each user's training items skipped.
        let m = r.model
        let order = (0 ..< m.items.count).sorted { (m.itemPopularity[$0], -$0) > (m.itemPopularity[$1], -$1) }
        var lists: [[Int]] = [], truth: [[Int]] = []
        for u in 0 ..< r.test.rows where !r.test.row(u).columns.isEmpty {
            let seen = Set(r.train.row(u).columns.map { Int($0) })
            lists.append(Array(order.filter { !seen.contains($0) }.prefix(10)))
            truth.append(r.test.row(u).columns.map { Int($0) })
        }
        let naive = try RankingMetrics.evaluate(recommended: lists, relevant: truth, k: 10, catalogSize: m.items.count)
        #expect(r.popularityBaseline == naive)
        let none = try ALSTrainingRun(user: "user", item: "item", weight: .one, parameters: params, testFraction: 0).run(t)
        #expect(none.ranking == nil && none.test.nonZeros == 0 && none.train.nonZeros == 180)
    }
}
