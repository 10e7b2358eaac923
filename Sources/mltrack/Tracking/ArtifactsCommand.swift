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

/// The local artifact store of a run.
func artifactStore(of runId: String, in store: any TrackingStore) throws -> LocalArtifactStore {
    try cliErrors { try LocalArtifactStore(root: try store.getRun(id: runId).info.artifactUri) }
}
