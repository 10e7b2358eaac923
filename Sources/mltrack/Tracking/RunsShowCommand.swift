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
        let (r, exp, files) = try cliErrors {
            let r = try store.getRun(id: runId)
            let exp = try? store.getExperiment(id: r.info.experimentId)
            let files = try options.artifacts(of: r.info).listAll()
            return (r, exp, files)
        }
        if options.json {
            try options.printJSON(ShowJSON(run: r, files: files))
        } else {
            print(RunReport(run: r, experimentName: exp?.name, artifacts: files).render(), terminator: "")
        }
    }
}
