import ArgumentParser
import Tracking

/// `mltrack runs show RUN`.
struct RunsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run: info, params, latest metrics, tags, dataset inputs and artifacts.",
        discussion: "With --format json prints {\"run\": {...}} as MLflow's runs/get does, plus \"files\" (the artifact listing)."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The run id.")
    var runId: String

    struct ShowJSON: Encodable {
        var run: Run
        var files: [FileInfo]
    }

    func run() throws {
        let store = try options.openStore()
        let tracking = try options.resolvedURI()
        let (r, exp) = try cliErrors {
            let r = try store.getRun(id: runId)
            return (r, try? store.getExperiment(id: r.info.experimentId))
        }
        // Artifacts that cannot be listed (a server down, an unknown URI scheme) do not hide the
        // run: it is still shown, with a warning on stderr.
        var files: [FileInfo] = []
        do {
            files = try ArtifactStores.open(uri: r.info.artifactUri, trackingURI: tracking).listAll()
        } catch let e as TrackingError {
            warn("artifacts of run \(r.info.runId) not listed: \(e.message)")
        }
        if options.json {
            try options.printJSON(ShowJSON(run: r, files: files))
        } else {
            print(RunReport(run: r, experimentName: exp?.name, artifacts: files).render(), terminator: "")
        }
    }
}
