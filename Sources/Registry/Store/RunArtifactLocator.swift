/// The one thing the registry needs from the tracking store to resolve `runs:/<run_id>/<path>`: a run's
/// artifact URI. Defined here, small, so the registry does not depend on the tracking store's shape;
/// the lead adapts the `TrackingStore` to it.
///
/// ```swift
/// struct TrackingRuns: RunArtifactLocator {
///     let store: any TrackingStore
///     func artifactURI(runId: String) async throws -> String { try await store.run(id: runId).info.artifactURI }
/// }
/// ```
public protocol RunArtifactLocator: Sendable {
    /// The run's artifact root URI; throws (e.g. `RESOURCE_DOES_NOT_EXIST`) for an unknown run.
    func artifactURI(runId: String) async throws -> String
}
