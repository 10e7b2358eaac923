import ArgumentParser
import Experiments
import GoldTables

/// The `mltrack` command: ML lifecycle tooling over lakehouse Gold tables.
@main
struct MLTrack: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mltrack",
        abstract: "Train, track, register and serve models on Delta Lake and Parquet Gold tables.",
        discussion: "`mltrack --version` prints the version.",
        subcommands: [
            GoldCommand.self, TrainCommand.self, PredictCommand.self, RecommendCommand.self, ScoreCommand.self, RunCommand.self,
            ExperimentsCommand.self, RunsCommand.self, ArtifactsCommand.self, ModelsCommand.self, AuditCommand.self,
            ServeCommand.self, ServerCommand.self,
            BenchTrainCommand.self,
        ]
    )

    // `mltrack --version` is answered here rather than through `CommandConfiguration.version`:
    // with the latter, ArgumentParser answers any failed validation whose arguments contain
    // `--version` (the Delta time-travel option of the `gold` subcommands) by printing the tool
    // version and exiting 0; a root `--version` flag would capture the subcommands' option instead.
    static func main() {
        // Keep freed column buffers for the next row group instead of returning them to the kernel.
        GoldMemory.retainFreedMemory()
        let args = Array(CommandLine.arguments.dropFirst())
        if args == ["--version"] {
            print(MLTrackVersion.current)
            return
        }
        main(args)
    }
}

/// `mltrack gold …`: inspect, export and synthesise Gold tables.
struct GoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gold",
        abstract: "Inspect, export and synthesise Gold tables (Delta Lake, Parquet, CSV).",
        subcommands: [
            GoldSchemaCommand.self, GoldHeadCommand.self, GoldHistoryCommand.self, GoldStatsCommand.self,
            GoldCatCommand.self, GoldSynthCommand.self, GoldBenchScanCommand.self, GoldBenchWriteCommand.self,
        ]
    )
}
