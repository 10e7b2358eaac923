import ArgumentParser
import Tracking

/// `mltrack experiments restore EXPERIMENT`.
struct ExperimentsRestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a deleted experiment and its runs."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The experiment: its name or id.")
    var experiment: String

    func run() throws {
        let store = try options.openStore()
        let exp = try resolveExperiment(experiment, in: store)
        try cliErrors { try store.restoreExperiment(id: exp.experimentId) }
        if options.json { try options.printJSON(["experiment": try cliErrors { try store.getExperiment(id: exp.experimentId) }]) } else { print("restored experiment \(exp.experimentId) (\(exp.name))") }
    }
}
