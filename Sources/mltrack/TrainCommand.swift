import ArgumentParser
import Foundation
import GoldTables
import ModelPackage

/// `mltrack train …`: train a model on a Gold table and save it as a model package.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a Gold table, evaluate it on held-out rows and save a model package.",
        subcommands: [TrainLogisticCommand.self, TrainALSCommand.self]
    )
}

/// The training lineage of a table, its path made absolute (a package outlives the working directory).
func lineage(_ gold: GoldTable) throws -> TrainingLineage {
    var l = TrainingLineage(try gold.lineage())
    l.tablePath = l.tablePath.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    return l
}
