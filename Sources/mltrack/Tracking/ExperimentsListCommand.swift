import ArgumentParser
import Tracking

/// `mltrack experiments list`.
struct ExperimentsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List experiments: id, name, stage, creation time, artifact location.",
        discussion: "Newest first (MLflow's order). With --format json prints {\"experiments\": [...]} as MLflow's experiments/search does."
    )

    @OptionGroup var options: TrackingOptions

    @Option(help: "Which experiments: active, deleted or all.")
    var view: ViewOption = .active

    func run() throws {
        let store = try options.openStore()
        let items = try cliErrors { try store.allExperiments(viewType: view.viewType) }
        if options.json {
            try options.printJSON(TrackingJSON.ExperimentsPage(experiments: items, nextPageToken: nil))
        } else {
            print(TrackingTables.experiments(items), terminator: "")
        }
    }
}
