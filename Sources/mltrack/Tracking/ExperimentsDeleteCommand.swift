import ArgumentParser
import Tracking

/// `mltrack experiments delete EXPERIMENT`.
struct ExperimentsDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Mark an experiment and its runs deleted (reversible with restore).",
        discussion: "Nothing is removed from disk; deleted experiments keep their name and show with --view deleted."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The experiment: its name or id.")
    var experiment: String

    func run() throws {
        let store = try options.openStore()
        let exp = try resolveExperiment(experiment, in: store)
        try cliErrors { try store.deleteExperiment(id: exp.experimentId) }
        if options.json { try options.printJSON(["experiment": try cliErrors { try store.getExperiment(id: exp.experimentId) }]) } else { print("deleted experiment \(exp.experimentId) (\(exp.name))") }
    }
}
