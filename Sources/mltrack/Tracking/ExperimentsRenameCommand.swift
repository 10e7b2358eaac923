import ArgumentParser
import Tracking

/// `mltrack experiments rename EXPERIMENT NEW_NAME`.
struct ExperimentsRenameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename",
        abstract: "Rename an experiment (a deleted one must be restored first)."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "The experiment: its name or id.")
    var experiment: String

    @Argument(help: "The new name.")
    var newName: String

    func validate() throws {
        if newName.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("NEW_NAME must not be empty.") }
    }

    func run() throws {
        let store = try options.openStore()
        let exp = try resolveExperiment(experiment, in: store)
        try cliErrors { try store.renameExperiment(id: exp.experimentId, newName: newName) }
        let renamed = try cliErrors { try store.getExperiment(id: exp.experimentId) }
        if options.json { try options.printJSON(["experiment": renamed]) } else { print("renamed experiment \(exp.experimentId): '\(exp.name)' → '\(newName)'") }
    }
}
