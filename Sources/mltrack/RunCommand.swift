import ArgumentParser
import Experiments
import Foundation
import Linalg
import Registry
import Tracking

/// `mltrack run SPEC [--set path=value …] [--experiment NAME]`: runs an experiment spec end to end
/// with ``ExperimentRunner`` — reads the Gold table, fits, evaluates, records the run in the
/// tracking store, registers the model and requests the spec's alias under its policy.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment spec: train, evaluate, track, register and promote.",
        discussion: """
        SPEC is an experiment spec (Experiments/*.yaml; fields in docs/design/experiment-spec.md). \
        Every run records its params, metrics (train_loss per iteration, test and train metrics, \
        fit_seconds, peak_rss_mb), the model package, reports, the spec and the dataset in the \
        tracking store (--tracking-uri, else MLTRACK_TRACKING_URI, else ./mltrack/mltrack.db). A \
        spec with a sweep makes one parent run and one child run per grid point. A failing run \
        ends FAILED with its error; Ctrl-C (or SIGTERM) ends it KILLED (exit status 130, or 143). Progress goes to \
        stderr, the summary to stdout.
        """
    )

    @Argument(help: "The experiment spec (YAML).")
    var spec: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a spec field: path=value (repeatable), e.g. trainer.params.l2=0.5.", valueName: "path=value"))
    var overrides: [String] = []

    @Option(help: "Record the runs in this experiment instead of the spec's name (created if missing).")
    var experiment: String?

    @Option(name: .customLong("run-name"), help: "Name of the run (a sweep's parent); default: a generated name.")
    var runName: String?

    @Option(name: .customLong("tracking-uri"), help: "The tracking store: sqlite:///abs/path.db, sqlite:rel.db, a path, or http(s)://host:port of a tracking server (mltrack server or mlflow server).")
    var trackingURI: String?

    @Flag(name: .customLong("no-register"), help: "Do not register the model (nor promote it).")
    var noRegister = false

    @Option(help: "Threads for BLAS and mltrack's loops.")
    var threads = 2

    @Flag(help: "Print no progress lines.")
    var quiet = false

    @Flag(help: "Print the outcome as one JSON object.")
    var json = false

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be ≥ 1.") }
        for o in overrides where !o.contains("=") {
            throw ValidationError("--set takes path=value, got '\(o)'.")
        }
    }

    func run() throws {
        Parallel.configure(threads: threads)
        let spec = try ExperimentSpec.load(path: self.spec, overrides: overrides)
        let uri = try cliErrors { try TrackingURI.resolve(explicit: trackingURI) }
        let store = try cliErrors { try uri.openStore() }
        let registry = noRegister ? nil : try RegistryStoreFactory.make(tracking: store)
        let runner = ExperimentRunner(store: store, artifacts: ExperimentRunner.artifacts(trackingURI: uri), registry: registry, sourceName: self.spec)
        let stale = (try? ExperimentRunner.collectGarbage(store: store)) ?? []
        if !stale.isEmpty, !quiet {
            status("marked \(stale.count) stale RUNNING run(s) FAILED (their process is gone): \(stale.joined(separator: ", "))")
        }

        // Ctrl-C (SIGINT) or SIGTERM: end the active runs KILLED, then exit 128 + the signal.
        var sources: [any DispatchSourceSignal] = []
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let killed = runner.killActiveRuns(reason: "interrupted (\(name))")
                FileHandle.standardError.write(Data("\ninterrupted (\(name)): run(s) \(killed.joined(separator: ", ")) marked KILLED\n".utf8))
                Foundation.exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }

        let quiet = self.quiet, experiment = self.experiment, runName = self.runName, register = !noRegister
        let handler = quiet ? nil : Self.progressPrinter()
        let outcome = try blockingAwait {
            try await runner.run(spec: spec, experimentName: experiment, runName: runName, register: register, progress: handler)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
            print(String(decoding: try encoder.encode(outcome), as: UTF8.self))
        } else {
            print(RunSummary.text(outcome, spec: spec))
        }
    }
}

extension RunCommand {
    /// Status lines and training iterations on standard error.
    static func progressPrinter() -> RunEventHandler {
        { (event: RunEvent) -> Void in
            switch event {
            case .status(let line):
                status(line)
            case let .training(run, p):
                let loss = p.loss.map { String(format: "%.6g", $0) } ?? "-"
                let iteration = String(format: "%3d", p.iteration), seconds = String(format: "%7.2f", p.elapsed)
                status("\(run) iter \(iteration)  loss \(loss.padding(toLength: 14, withPad: " ", startingAt: 0)) \(seconds)s  \(p.detail)")
            }
        }
    }
}

/// One line on standard error.
private func status(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
