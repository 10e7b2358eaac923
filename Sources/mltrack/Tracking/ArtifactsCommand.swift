import ArgumentParser
import Tracking

/// `mltrack artifacts …`: a run's logged files.
struct ArtifactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "artifacts",
        abstract: "List and download the files a run logged.",
        subcommands: [ArtifactsListCommand.self, ArtifactsGetCommand.self]
    )
}

/// The artifact store of a run (local files or the tracking server's artifact proxy).
func artifactStore(of runId: String, in store: any TrackingStore, options: TrackingOptions) throws -> any ArtifactStore {
    try options.artifacts(of: try cliErrors { try store.getRun(id: runId).info })
}
