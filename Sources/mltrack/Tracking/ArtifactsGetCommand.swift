import ArgumentParser
import Tracking

/// `mltrack artifacts get RUN PATH --out DEST`.
struct ArtifactsGetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Copy a run's artifact (file or directory) to a local path.",
        discussion: "DEST must not exist; the copy appears there whole or not at all."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The run id.")
    var runId: String

    @Argument(help: "The artifact's path inside the run (\"\" copies every artifact).")
    var path: String

    @Option(help: "Where to put the copy (must not exist).")
    var out: String

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out must name a path.") }
    }

    func run() throws {
        let store = try options.openStore()
        let artifacts = try artifactStore(of: runId, in: store, options: options)
        try cliErrors { try artifacts.download(path: path, to: out) }
        if options.json { try options.printJSON(["path": path, "out": out]) } else { print("copied \(path.isEmpty ? "all artifacts" : path) to \(out)") }
    }
}
