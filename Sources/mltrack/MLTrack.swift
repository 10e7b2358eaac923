import ArgumentParser
import GoldTables

/// The `mltrack` command: ML lifecycle tooling over lakehouse Gold tables.
@main
struct MLTrack: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mltrack",
        abstract: "Train, track, register and serve models on Delta Lake and Parquet Gold tables.",
        version: MLTrackVersion.current,
        subcommands: [GoldCommand.self]
    )
}

enum MLTrackVersion {
    static let current = "0.1.0"
}

/// `mltrack gold …`: inspect, export and synthesise Gold tables.
struct GoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gold",
        abstract: "Inspect, export and synthesise Gold tables (Delta Lake, Parquet, CSV).",
        subcommands: [
            GoldSchemaCommand.self, GoldHeadCommand.self, GoldHistoryCommand.self, GoldStatsCommand.self,
            GoldCatCommand.self, GoldSynthCommand.self, GoldBenchScanCommand.self,
        ]
    )
}
