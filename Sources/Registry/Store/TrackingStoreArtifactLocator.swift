import Tracking

/// The ``RunArtifactLocator`` over a `TrackingStore`: a run's artifact root is its `RunInfo.artifactUri`,
/// so the registry resolves `runs:/<run_id>/<path>` against the tracking store it shares a file with.
/// An unknown run is the tracking store's `RESOURCE_DOES_NOT_EXIST`.
///
/// ```swift
/// let tracking = try SQLiteTrackingStore(path: "mltrack/mltrack.db")
/// let runs = TrackingStoreArtifactLocator(store: tracking)
/// let root = try await runs.artifactURI(runId: runId)   // file:///…/artifacts/1/<run_id>/artifacts
/// ```
public struct TrackingStoreArtifactLocator: RunArtifactLocator {
    public let store: any TrackingStore

    public init(store: any TrackingStore) {
        self.store = store
    }

    public func artifactURI(runId: String) async throws -> String {
        try store.getRun(id: runId).info.artifactUri
    }
}
