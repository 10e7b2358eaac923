import Features
import Foundation
import GoldTables
import Testing
import Tracking
import Trainers
@testable import Experiments

/// Collects progress from the training thread.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [TrainingProgress] = []
    func add(_ p: TrainingProgress) { lock.lock(); items.append(p); lock.unlock() }
    var all: [TrainingProgress] { lock.lock(); defer { lock.unlock() }; return items }
}

@Suite struct ReportArtifactsTests {
    static let root = TestPaths.packageRoot

    /// The churn job on the sample customers table: every report file is produced, the SVGs parse,
    /// and logging them into a run's artifact store records each with its SHA-256.
    @Test func churnRunReportsLogIntoTheArtifactStore() throws {
        let table = try GoldTable.open(Self.root.appendingPathComponent("Experiments/gold/customers").path).read()
        let spec = try FeatureSpec.load(path: Self.root.appendingPathComponent("Experiments/features/churn.yaml").path)
        let log = ProgressLog()
        let result = try LogisticTrainingRun(spec: spec, label: "churned").run(table) { log.add($0) }
        let files = try ReportArtifacts.logistic(result, progress: log.all)
        #expect(files.map(\.path) == ["plots/roc.svg", "plots/precision_recall.svg", "plots/calibration.svg",
                                      "plots/loss.svg", "drivers.csv", "drivers.md"])
        for f in files where f.path.hasSuffix(".svg") {
            #expect(SVGScan.parse(String(decoding: f.data, as: UTF8.self)) != nil, "\(f.path) is not valid XML")
        }
        let roc = try #require(SVGScan.parse(String(decoding: files[0].data, as: UTF8.self)))
        let auc = try #require(result.metrics?.rocAUC)
        #expect(roc.text("title") == ["ROC curve (AUC = \(String(format: "%.3f", auc)))"])
        let drivers = String(decoding: files[4].data, as: UTF8.self).split(separator: "\n")
        #expect(drivers.count == 1 + result.model.featureNames.count + 1)
        #expect(String(decoding: files[5].data, as: UTF8.self).contains("standard deviation"))

        let store = try LocalArtifactStore(root: try TestPaths.tempDir("reports").appendingPathComponent("artifacts").path)
        for f in files { try store.log(data: f.data, at: f.path) }
        let manifest = try store.manifest()
        #expect(manifest.files.map(\.path) == files.map(\.path).sorted())
        for f in files {
            var sha = GoldSHA256()
            f.data.withUnsafeBytes { sha.update($0) }
            #expect(manifest.file(f.path)?.sha256 == GoldSHA256.hex(sha.finalize()))
        }
        #expect(try store.list(path: "plots").map(\.path) == ["plots/calibration.svg", "plots/loss.svg",
                                                              "plots/precision_recall.svg", "plots/roc.svg"])
    }

    @Test func alsRunReports() throws {
        let table = try GoldTable.open(Self.root.appendingPathComponent("Experiments/gold/interactions").path).read()
        let log = ProgressLog()
        let job = ALSTrainingRun(user: "user_id", item: "item_id", weight: .count,
                                 parameters: .init(factors: 8, iterations: 3, seed: 3, threads: 1))
        let result = try job.run(table) { log.add($0) }
        let files = try ReportArtifacts.als(result, progress: log.all, topItems: 5, sampleUsers: 2, k: 3)
        #expect(files.map(\.path) == ["plots/loss.svg", "top_items.csv", "sample_recommendations.csv"])
        let loss = try #require(SVGScan.parse(String(decoding: files[0].data, as: UTF8.self)))
        #expect(loss.all("circle", cssClass: "point").count == 3)
        let top = String(decoding: files[1].data, as: UTF8.self).split(separator: "\n")
        #expect(top.count == 6)
        let best = try #require(result.model.itemPopularity.indices.max { a, b in
            let (x, y) = (result.model.itemPopularity[a], result.model.itemPopularity[b])
            return x != y ? x < y : a > b   // the most popular, lowest index among ties
        })
        #expect(top[1] == "1,\(result.model.items.ids[best]),\(result.model.itemPopularity[best])")
        #expect(String(decoding: files[2].data, as: UTF8.self).split(separator: "\n").count == 1 + 2 * 3)
    }
}
