import ArgumentParser
import Tracking

/// `mltrack artifacts list RUN [PATH]`.
struct ArtifactsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List a run's artifacts under PATH (default: the root): path and size in bytes.",
        discussion: "Directories end in `/`. With --format json prints {\"root_uri\", \"files\"} as MLflow's artifacts/list does."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The run id.")
    var runId: String

    @Argument(help: "A directory inside the run's artifacts (relative, `/`-separated).")
    var path: String = ""

    @Flag(name: .shortAndLong, help: "List everything below PATH, not only its direct children.")
    var recursive = false

    func run() throws {
        let store = try options.openStore()
        let artifacts = try artifactStore(of: runId, in: store, options: options)
        let files = try cliErrors { recursive ? try artifacts.listAll(path: path) : try artifacts.list(path: path) }
        if options.json {
            try options.printJSON(TrackingJSON.ArtifactList(rootUri: artifacts.uri, files: files))
        } else {
            print(TrackingTables.files(files), terminator: "")
        }
    }
}
