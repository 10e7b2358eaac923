import ArgumentParser

/// `mltrack train …`: train a model on a Gold table and save it as a model package.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a Gold table, evaluate it on held-out rows and save a model package.",
        subcommands: [TrainLogisticCommand.self, TrainALSCommand.self]
    )
}
