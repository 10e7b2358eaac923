import ArgumentParser
import Experiments
import Foundation
import Linalg
import Tracking

/// `mltrack runs reproduce RUN_ID`: reruns a run from what it recorded (its `spec.yaml` at the
/// Delta version of its dataset input: same params and seeds) into a new run tagged
/// `mltrack.reproduces`, and reports whether every metric matches to a relative 1e-9 (exit 1 when
/// not). Belongs under the `runs` command group.
struct RunsReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Rerun a run from its recorded spec and table version and compare the metrics."
    )

    @Argument(help: "The run to reproduce.")
    var runId: String

    @Option(name: .customLong("tracking-uri"), help: "The tracking store: sqlite:///abs/path.db, sqlite:rel.db, a path, or http(s)://host:port of a tracking server (mltrack server or mlflow server).")
    var trackingURI: String?

    @Option(help: "Threads for BLAS and mltrack's loops.")
    var threads = 2

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func run() throws {
        Parallel.configure(threads: threads)
        let uri = try TrackingURI.resolve(explicit: trackingURI)
        let store = try uri.openStore()
        let runner = ExperimentRunner(store: store, artifacts: ExperimentRunner.artifacts(trackingURI: uri))
        let id = runId
        let report = try blockingAwait { try await runner.reproduce(runId: id) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            var lines = ["reproduced \(report.originalRunId) as \(report.newRunId): \(report.matches ? "metrics match" : "METRICS DIFFER")"]
            if !report.datasetMatches {
                lines.append("  DIFF  dataset digest  \(report.originalDigest ?? "-")  \(report.newDigest ?? "-")")
            }
            let width = report.comparisons.map(\.key.count).max() ?? 0
            for c in report.comparisons {
                let a = c.original.map(fmt) ?? "-", b = c.reproduced.map(fmt) ?? "-"
                lines.append("  \(c.matches ? "same" : "DIFF")  \(c.key.padding(toLength: width, withPad: " ", startingAt: 0))  \(a)  \(b)")
            }
            print(lines.joined(separator: "\n"))
        }
        if !report.matches { throw ExitCode(1) }
    }
}
