import ArgumentParser

/// `mltrack experiments …`: list and administer experiments.
struct ExperimentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiments",
        abstract: "List, create, rename, delete and restore experiments in the tracking store.",
        discussion: "An experiment is a named group of runs. Commands that take EXPERIMENT accept its name or its numeric id.",
        subcommands: [ExperimentsListCommand.self, ExperimentsCreateCommand.self, ExperimentsRenameCommand.self,
                      ExperimentsDeleteCommand.self, ExperimentsRestoreCommand.self]
    )
}
