import ArgumentParser

/// `mltrack bench-train …`: times trainers for `make bench` (hidden).
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-train",
        abstract: "Time trainers on a table; each subcommand prints one JSON line (used by make bench).",
        shouldDisplay: false,
        subcommands: [BenchTrainLogisticCommand.self]
    )
}
