/// Opens the ``ArtifactStore`` an artifact URI names: `file:` URIs and plain paths are local files
/// (``LocalArtifactStore``); `mlflow-artifacts:` URIs (resolved against an http(s) tracking URI)
/// and `http(s)://…/api/2.0/mlflow-artifacts/artifacts/…` URIs go through a tracking server's
/// artifact proxy (``HTTPArtifactStore``). Anything else (`s3://`, …) is an error naming the URI.
///
/// ```swift
/// let run = try store.getRun(id: runID)
/// let artifacts = try ArtifactStores.open(uri: run.info.artifactUri, trackingURI: try TrackingURI.resolve())
/// try artifacts.listAll()
/// ```
public enum ArtifactStores {
    public static func open(uri: String, trackingURI: TrackingURI?) throws -> any ArtifactStore {
        let lower = uri.lowercased()
        if lower.hasPrefix("mlflow-artifacts:") || lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            var tracking: String?
            if case let .http(u)? = trackingURI { tracking = u }
            return try HTTPArtifactStore(uri: uri, trackingURI: tracking)
        }
        if lower.hasPrefix("file:") { return try LocalArtifactStore(root: uri) }
        if let colon = uri.firstIndex(of: ":"), uri[..<colon].count > 1,
           uri[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) {
            throw TrackingError(.invalidParameterValue,
                                "artifact URI '\(uri)': the scheme '\(uri[..<colon])' is not supported; mltrack reads file:, mlflow-artifacts: and http(s) artifact-proxy URIs")
        }
        return try LocalArtifactStore(root: uri)
    }
}
