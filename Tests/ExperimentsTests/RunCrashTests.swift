import Foundation
import ModelPackage
import Testing
import Tracking
@testable import Experiments

@Suite struct RunCrashTests {
    /// `mltrack run` SIGKILLed at seeded random moments, eight times on one store: the store always
    /// opens and lists every run, every listed artifact is whole (a listed `model/` loads with its
    /// checksums, a listed `spec.yaml` parses), and `collectGarbage` then marks exactly the killed
    /// RUNNING runs FAILED.
    @Test func sigkillAtRandomMomentsLeavesAConsistentStore() throws {
        guard let binary = MLTrackCLI.binary else { return }
        let db = try TestPaths.tempDir("runner-sigkill").appendingPathComponent("m.db").path
        var rng = SeededGenerator(seed: 11)
        for _ in 0 ..< 8 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["run", ExperimentRunnerTests.churn, "--tracking-uri", db, "--quiet", "--no-register"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0.01 ..< 0.25, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        let store = try SQLiteTrackingStore(path: db)
        let experiments = try store.allExperiments()
        let runs = try experiments.flatMap { try store.searchRuns(experimentIds: [$0.experimentId]).items }
        var running: Set<String> = []
        for run in runs {
            #expect(try store.getRun(id: run.info.runId).info.runId == run.info.runId)
            if run.info.status == .running { running.insert(run.info.runId) }
            let artifacts = try LocalArtifactStore(root: run.info.artifactUri)
            let top = Set(try artifacts.list(path: "").map(\.path))
            if top.contains("model") {
                let dir = URL(fileURLWithPath: artifacts.root).appendingPathComponent("model")
                #expect(throws: Never.self) { _ = try ModelPackage.load(from: dir) }
            }
            if top.contains("spec.yaml") {
                #expect(throws: Never.self) { _ = try ExperimentSpec(yaml: String(decoding: try artifacts.read(path: "spec.yaml"), as: UTF8.self)) }
            }
            if run.info.status == .finished { #expect(top.contains("model") && top.contains("spec.yaml")) }
        }
        let marked = try ExperimentRunner.collectGarbage(store: store)
        #expect(Set(marked) == running)
        for id in marked { #expect(try store.getRun(id: id).info.status == .failed) }
    }
}
