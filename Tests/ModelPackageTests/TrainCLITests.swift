import Features
import Foundation
import GoldTables
import ModelPackage
import Testing
import TestSupport
import Trainers

/// `mltrack train logistic|als`, `predict` and `recommend` end to end, through the built binary on
/// the shipped sample tables.
@Suite struct TrainCLITests {
    static let binary = MLTrackCLI.binary

    static let root = TestPaths.packageRoot
    static let customers = root.appendingPathComponent("Experiments/gold/customers").path
    static let interactions = root.appendingPathComponent("Experiments/gold/interactions").path
    static let churnSpec = root.appendingPathComponent("Experiments/features/churn.yaml").path

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func run(_ args: [String]) throws -> MLTrackCLI.Run { try MLTrackCLI.run(args) }

    func json(_ text: String) throws -> [String: Any] {
        guard let o = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Failure(description: "not a JSON object: \(text)")
        }
        return o
    }

    /// The documented generating model's log-odds (docs/synthetic-data.md) for row r of customers.
    static func trueLogOdds(_ t: Table, _ r: Int) throws -> Double {
        func value(_ name: String) throws -> Value {
            guard let i = t.schema.index(of: name) else { throw Failure(description: "no column \(name)") }
            return t.row(r)[i]
        }
        func number(_ name: String) throws -> Double {
            switch try value(name) {
            case .int(let i): return Double(i)
            case .double(let d): return d
            case .bool(let b): return b ? 1 : 0
            default: throw Failure(description: "\(name) is not numeric")
            }
        }
        func text(_ name: String) throws -> String {
            guard case .string(let s) = try value(name) else { throw Failure(description: "\(name) is not a string") }
            return s
        }
        let contract = try text("contract")
        var z = -0.5 - 0.03 * (try number("tenure_months")) + 0.15 * ((try number("monthly_charges")) - 70) / 10
        z += contract == "one-year" ? -1.1 : contract == "two-year" ? -2.2 : 0
        z += 0.4 * (try number("senior")) - 0.3 * (try number("partner")) + 0.25 * (try number("support_calls"))
        z += try text("payment_method") == "electronic check" ? 0.5 : 0
        return z
    }

    @Test(.enabled(if: TrainCLITests.binary != nil, "needs the built mltrack binary"))
    func trainLogisticPredictAndEvaluate() throws {
        let dir = try TestPaths.tempDir("train-logistic")
        let pkg = dir.appendingPathComponent("churn").path
        let train = try run(["train", "logistic", Self.customers, "--features", Self.churnSpec, "--label", "churned",
                             "--out", pkg, "--json", "--test-fraction", "0.2", "--seed", "42"])
        #expect(train.status == 0, "\(train.err)")
        let summary = try json(train.out)
        let test = try #require(summary["test"] as? [String: Any])
        let printedAUC = try #require(test["roc_auc"] as? Double)
        #expect(test["rows"] as? Int == 1000)
        // Progress lines on stderr: iteration, loss, elapsed.
        #expect(train.err.contains("logistic iter   1  loss "))

        // The package loads and scores like the library on the same rows.
        let loaded = try ModelPackage.load(from: URL(fileURLWithPath: pkg))
        #expect(loaded.modelKind == "logistic_regression")
        #expect(loaded.manifest.lineage?.tableFormat == "delta" && loaded.manifest.lineage?.rowCount == 5000)
        #expect(loaded.manifest.lineage?.tablePath == URL(fileURLWithPath: Self.customers).standardizedFileURL.path)
        #expect(loaded.manifest.signature?.inputs.contains { $0.name == "total_charges" && !$0.required } == true)
        #expect(loaded.manifest.signature?.inputs.contains { $0.name == "churned" || $0.name == "customer_id" } == false)

        // `mltrack predict` over the whole table; the test rows are Split.random's (seed 42).
        let pred = try run(["predict", pkg, Self.customers, "--id", "customer_id"])
        #expect(pred.status == 0 && pred.err.isEmpty, "\(pred.err)")
        let lines = pred.out.split(separator: "\n")
        #expect(lines.count == 5000)
        let table = try GoldTable.open(Self.customers).read()
        let labels = try BinaryLabels.values(of: table, column: "churned")
        let split = try Split.random(rowCount: 5000, testFraction: 0.2, seed: 42)
        var probabilities: [Double] = []
        for r in split.test {
            let row = try json(String(lines[r]))
            #expect(row["customer_id"] as? String == String(format: "C%08d", r + 1))
            // Parse the printed text with Double(_:) (exact), not through JSONSerialization's number.
            let text = try #require(lines[r].split(separator: "\"probability\":").last?.dropLast())
            let p = try #require(Double(String(text)))
            #expect(row["label"] as? Int == (p >= 0.5 ? 1 : 0))
            probabilities.append(p)
        }
        let testLabels = split.test.map { labels[$0] }
        let csv = try run(["predict", pkg, Self.customers, "--format", "csv", "--limit", "2", "--id", "customer_id"])
        let csvLines = csv.out.split(separator: "\n").map(String.init)
        #expect(csvLines.count == 3 && csvLines[0] == "customer_id,probability,label")
        #expect(csvLines[1].hasPrefix("C00000001,") && lines[0].contains(csvLines[1].split(separator: ",")[1]))
        let recomputed = try ClassificationMetrics.rocAUC(labels: testLabels, scores: probabilities)
        #expect(abs(recomputed - printedAUC) < 1e-12)

        // The standard JSON-row predictor gives the same probabilities as the batch path.
        let predictor = try PredictorRegistry<FeatureValue>.standard.predictor(for: loaded)
        let inputs = loaded.manifest.signature?.inputs.map(\.name) ?? []
        let example = try InputExample(table: table.rows(at: Array(split.test.prefix(20))), columns: inputs, limit: 20)
        let rows = example.data.map { values in
            Dictionary(uniqueKeysWithValues: zip(example.columns, values.map(\.featureValue)))
        }
        let served = try predictor.predict(rows: rows)
        let batch = try loaded.probabilities(for: table.rows(at: Array(split.test.prefix(20))))
        for (j, record) in served.enumerated() {
            #expect(record["probability"]?.doubleValue == batch[j])
            #expect(batch[j] == probabilities[j])
        }

        // Floor from the documented generating model: its own log-odds are the best possible score,
        // so their AUC on these test rows bounds what any model can reach; a correctly fitted
        // logistic model on 4 000 rows must come within a few hundredths of it.
        let oracle = try ClassificationMetrics.rocAUC(labels: testLabels, scores: split.test.map { try Self.trueLogOdds(table, $0) })
        #expect(oracle > 0.75)
        #expect(printedAUC > oracle - 0.03, "trained AUC \(printedAUC) vs the generating model's \(oracle)")
        #expect(printedAUC < oracle + 0.02, "trained AUC \(printedAUC) vs the generating model's \(oracle)")
    }

    @Test(.enabled(if: TrainCLITests.binary != nil, "needs the built mltrack binary"))
    func badTrainingInputsFailWithOneLine() throws {
        let dir = try TestPaths.tempDir("train-bad")
        let out = dir.appendingPathComponent("m").path
        let unknownField = dir.appendingPathComponent("unknown.yaml").path
        try Data("numeric:\n  - column: tenure_months\n    scale: true\n".utf8).write(to: URL(fileURLWithPath: unknownField))
        let small = dir.appendingPathComponent("small.yaml").path
        try Data("numeric: [tenure_months]\n".utf8).write(to: URL(fileURLWithPath: small))
        let cases: [([String], String)] = [
            (["--features", Self.churnSpec, "--label", "no_such"], "Error: no_such: no such label column"),
            (["--features", small, "--label", "support_calls"], "Error: support_calls: row "),
            (["--features", small, "--label", "contract"], "Error: contract: a label must be a boolean or a 0/1"),
            (["--features", unknownField, "--label", "churned"], "numeric[0].scale: unknown key 'scale'"),
            (["--features", Self.churnSpec, "--label", "tenure_months"], "Error: tenure_months: the label column is also a feature"),
            (["--features", Self.churnSpec, "--label", "churned", "--split-time", "nope", "--cutoff", "2024-01-01"], "nope: no such column"),
        ]
        for (args, expected) in cases {
            let r = try run(["train", "logistic", Self.customers, "--out", out] + args)
            #expect(r.status != 0, "\(args)")
            #expect(r.out.isEmpty, "\(args)")
            #expect(r.err.split(separator: "\n").count == 1 && r.err.contains(expected), "\(args): \(r.err)")
        }
        // A usage error: the first line says what is wrong (ArgumentParser adds the usage lines).
        let both = try run(["train", "logistic", Self.customers, "--out", out, "--features", Self.churnSpec, "--label", "churned",
                            "--c", "1", "--l2", "1"])
        #expect(both.status != 0 && both.err.hasPrefix("Error: Give --c or --l2, not both.\n"))
        let nonBinary = try run(["train", "logistic", Self.customers, "--out", out, "--features", small, "--label", "support_calls"])
        #expect(nonBinary.err.contains("is not 0 or 1"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test(.enabled(if: TrainCLITests.binary != nil, "needs the built mltrack binary"))
    func trainALSAndRecommend() throws {
        let dir = try TestPaths.tempDir("train-als")
        let pkg = dir.appendingPathComponent("recs").path
        let train = try run(["train", "als", Self.interactions, "--user", "user_id", "--item", "item_id", "--weight", "count",
                             "--out", pkg, "--factors", "16", "--iterations", "8", "--alpha", "5", "--regularization", "0.05",
                             "--seed", "7", "--json", "--quiet"])
        #expect(train.status == 0 && train.err.isEmpty, "\(train.err)")
        let summary = try json(train.out)
        let test = try #require(summary["test"] as? [String: Any])
        let precision = try #require(test["precision"] as? Double)
        // Popularity alone (the cold-start list) is the baseline a factor model must beat: in the
        // sample data a user's items follow their taste as well as popularity (docs/synthetic-data.md).
        let baseline = try #require(summary["popularity_baseline"] as? [String: Any])
        let ndcg = try #require(test["ndcg"] as? Double)
        #expect(precision > (baseline["precision"] as? Double ?? 1), "\(test) vs \(baseline)")
        #expect(ndcg > (baseline["ndcg"] as? Double ?? 1), "\(test) vs \(baseline)")
        let model = try ModelPackage.load(from: URL(fileURLWithPath: pkg)).model(as: ALSModel.self)
        let events = try GoldTable.open(Self.interactions).read()
        let all = try Interactions.build(from: events, user: "user_id", item: "item_id", weight: .count)
        let (trainM, heldOut) = try Split.perUser(all.matrix, testFraction: 0.2, seed: 7)
        let library = try model.rankingMetrics(heldOut: heldOut, k: 10)
        #expect(abs(library.precision - precision) < 1e-12)
        #expect(trainM.nonZeros == summary["train_interactions"] as? Int)

        // A known user: k distinct items, none seen in training.
        let user = "u00042"
        let rec = try run(["recommend", pkg, "--user", user, "--k", "10"])
        #expect(rec.status == 0 && rec.err.isEmpty, "\(rec.err)")
        let items = rec.out.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(items.count == 10 && Set(items).count == 10)
        let u = try #require(all.users.index(of: user))
        let seen = Set(trainM.row(u).columns.compactMap { all.items.id(at: Int($0)) })
        #expect(seen.isDisjoint(with: items))

        // An unknown user: the most popular items, said on stderr.
        let cold = try run(["recommend", pkg, "--user", "nobody", "--k", "5"])
        #expect(cold.status == 0 && cold.err.contains("unknown to the model"))
        let coldItems = cold.out.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(coldItems == model.popular(k: 5).compactMap { model.items.id(at: $0.item) })

        let similar = try run(["recommend", pkg, "--similar-to", "i0007", "--k", "3"])
        #expect(similar.status == 0 && similar.out.split(separator: "\n").count == 3 && !similar.out.contains("i0007"))
        let wrongKind = try run(["predict", pkg, Self.customers])
        #expect(wrongKind.status != 0 && wrongKind.err.hasSuffix("is a als package; batch scoring of a table needs a logistic_regression model\n"))
        let unknownItem = try run(["recommend", pkg, "--similar-to", "zz"])
        #expect(unknownItem.status != 0 && unknownItem.err.split(separator: "\n").count == 1)
    }
}
