import Tracking

/// The files behind the artifact proxy: one directory tree (`--artifacts-destination`) addressed by
/// the relative paths of `mlflow-artifacts:/<path>` URIs. Writes under a run's or logged model's
/// artifact root (`<exp>/<run>/artifacts/…`, `<exp>/models/<id>/artifacts/…`) go through a
/// ``LocalArtifactStore`` rooted there, so that directory keeps the same SHA-256 manifest a local
/// run has (and `LocalArtifactStore(root:)` over it, as the web UI opens it, agrees); other paths
/// use a store rooted at the destination itself. Every call is synchronous (run it off the event
/// loops) and validates symlinks: nothing outside the destination is ever read or written.
///
/// ```swift
/// let storage = try ArtifactProxyStorage(destination: "/srv/mlartifacts")
/// let (store, upload) = try storage.beginUpload(try ArtifactPath("1/abc/artifacts/notes.txt"))
/// try upload.write(Array("hello".utf8)); try store.commit(upload)
/// try storage.list(try ArtifactPath("1/abc/artifacts", allowRoot: true))   // [FileInfo(path: "notes.txt", …)]
/// ```
public struct ArtifactProxyStorage: Sendable {
    /// The store rooted at the destination.
    public let root: LocalArtifactStore

    public init(destination: String) throws {
        root = try LocalArtifactStore(root: destination)
    }

    /// The run or logged-model artifact root a path lies strictly inside: the components up to
    /// the first `artifacts` component at depth 2…4, and the rest.
    static func split(_ p: ArtifactPath) -> (scope: String, rest: String)? {
        let c = p.components
        guard c.count > 2 else { return nil }
        for i in 1 ..< min(4, c.count) where c[i] == "artifacts" && i + 1 < c.count {
            return (c[...i].joined(separator: "/"), c[(i + 1)...].joined(separator: "/"))
        }
        return nil
    }

    /// The store and path a write or delete of `p` goes through (nil: the scope does not exist
    /// and `create` is false).
    func target(_ p: ArtifactPath, create: Bool) throws -> (LocalArtifactStore, String)? {
        guard let split = Self.split(p) else { return (root, p.description) }
        guard let dir = try root.directory(split.scope, create: create) else { return nil }
        return (try LocalArtifactStore(root: dir), split.rest)
    }

    /// Starts a streamed write of the file at `p`; commit it with the returned store.
    public func beginUpload(_ p: ArtifactPath) throws -> (LocalArtifactStore, ArtifactUpload) {
        guard let t = try target(p, create: true) else {
            throw TrackingError(.internalError, "artifact path '\(p)': cannot create its directory")
        }
        return (t.0, try t.0.beginUpload(at: t.1))
    }

    /// The absolute path of the existing file at `p`.
    public func file(_ p: ArtifactPath) throws -> String {
        try root.existingFile(p.description)
    }

    /// The directory's entries as MLflow's proxy lists them: basenames; `[]` for a missing path or
    /// a file.
    public func list(_ p: ArtifactPath) throws -> [FileInfo] {
        try root.list(path: p.description).map { f in
            FileInfo(path: f.path.split(separator: "/").last.map(String.init) ?? f.path, isDir: f.isDir, fileSize: f.fileSize)
        }
    }

    /// Removes the file or directory at `p` (nothing there: nothing happens).
    public func delete(_ p: ArtifactPath) throws {
        guard let t = try target(p, create: false) else { return }
        try t.0.delete(path: t.1)
    }
}
