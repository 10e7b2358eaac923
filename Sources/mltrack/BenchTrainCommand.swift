import ArgumentParser

/// `mltrack bench-train MODEL …`: times a trainer on a benchmark file for `make bench` (hidden).
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-train",
        abstract: "Time a trainer on a benchmark input; prints one JSON line (used by make bench).",
        shouldDisplay: false,
        subcommands: [BenchTrainLogisticCommand.self, BenchTrainALSCommand.self]
    )
}
