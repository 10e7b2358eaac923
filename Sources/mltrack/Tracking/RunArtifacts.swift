import Tracking

/// The one place the CLI opens the artifact store of a run (`runs show`, `artifacts list/get`,
/// `models register`, `mltrack run`). Local artifact URIs (a path or `file://`) open a
/// ``LocalArtifactStore``. A run on a tracking server has a remote URI (`mlflow-artifacts:/…`,
/// `http(s)://…`); reading and writing it over the server's artifact proxy is the HTTP artifact
/// store's part: when `ArtifactStores.open(uri:trackingURI:)` exists, the body of ``open(_:tracking:)``
/// becomes that single call. Until then a remote URI is refused with an error naming it (never
/// mistaken for a relative local path).
///
/// ```swift
/// let artifacts = try RunArtifacts.open(run.info.artifactUri, tracking: try options.resolvedURI())
/// ```
enum RunArtifacts {
    static func open(_ artifactURI: String, tracking: TrackingURI) throws -> any ArtifactStore {
        if let colon = artifactURI.firstIndex(of: ":"), artifactURI[..<colon].count > 1,
           artifactURI[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }),
           !artifactURI.hasPrefix("file:") {
            throw TrackingError(.invalidParameterValue,
                                "artifact URI '\(artifactURI)' (tracking store \(tracking)) is remote; this build of mltrack reads and writes only local artifacts (file:// or a path)")
        }
        return try LocalArtifactStore(root: artifactURI)
    }
}
