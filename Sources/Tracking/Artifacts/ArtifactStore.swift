import Foundation

/// Where a run's artifacts live: files and directories under one artifact root, addressed by
/// relative `/`-separated paths (MLflow's `ArtifactRepository` for one run's `artifact_uri`).
/// ``LocalArtifactStore`` is the local-files implementation; an object store can follow.
///
/// Paths are validated by every call (``ArtifactPath``): relative, no `..`, `.` or empty
/// components, no NUL or backslash, never through a symlink leading outside the root. Writes are
/// atomic: a reader sees the old artifact or the new one, never part of one.
///
/// ```swift
/// let store: any ArtifactStore = LocalArtifactStore(root: "/work/mltrack/artifacts/1/\(runID)/artifacts")
/// let f = try store.log(file: "churn.yaml", at: "spec/churn.yaml")   // f.sha256
/// try store.log(directory: packageDir, at: "model")
/// try store.list(path: "model")                                        // [FileInfo]
/// let bytes = try store.read(path: "spec/churn.yaml")
/// ```
public protocol ArtifactStore: Sendable {
    /// The run's artifact URI (`file:///abs/…/artifacts` for a local store).
    var uri: String { get }
    /// Copies a local file to `path` (replacing a file already there); returns its size and hash.
    @discardableResult func log(file: String, at path: String) throws -> ArtifactFile
    /// Copies a local directory tree to `path` as one atomic step (replacing a directory already
    /// there); an empty `path` logs each top-level entry of `directory` at the root. Returns every
    /// file logged, sorted by path.
    @discardableResult func log(directory: String, at path: String) throws -> [ArtifactFile]
    /// Writes bytes to `path` (replacing a file already there).
    @discardableResult func log(data: Data, at path: String) throws -> ArtifactFile
    /// The direct children of directory `path` ("" is the root), sorted by path; `[]` when `path`
    /// is missing or a file, as MLflow answers.
    func list(path: String) throws -> [FileInfo]
    /// The bytes of the file at `path`.
    func read(path: String) throws -> Data
    /// Copies the file or directory at `path` ("" is every artifact) to the local `destination`,
    /// which must not exist.
    func download(path: String, to destination: String) throws
    /// Removes the file or directory at `path` ("" removes every artifact); false when nothing
    /// was there.
    @discardableResult func delete(path: String) throws -> Bool
    /// The hashes of every logged file.
    func manifest() throws -> ArtifactManifest
}
