/// The per-run index of logged artifact files and their SHA-256, kept by ``LocalArtifactStore``
/// next to the artifacts (`.mltrack-manifest.json`, hidden from listings) and rewritten atomically
/// under a lock on every log and delete.
///
/// ```swift
/// let m = try store.manifest()
/// m.file("model/MLmodel")?.sha256
/// ```
public struct ArtifactManifest: Codable, Sendable, Hashable {
    /// Format version of the JSON file.
    public var version: Int
    /// Every artifact file, sorted by path (byte-wise).
    public var files: [ArtifactFile]

    public init(version: Int = 1, files: [ArtifactFile] = []) {
        self.version = version
        self.files = files
    }

    /// The entry for a file path, nil when the manifest does not list it.
    public func file(_ path: String) -> ArtifactFile? {
        files.first { $0.path.utf8.elementsEqual(path.utf8) }
    }

    /// Removes `path` and everything under `path/` (all entries for an empty path).
    mutating func remove(under path: String) {
        if path.isEmpty { files.removeAll(); return }
        let prefix = path + "/"
        files.removeAll { $0.path.utf8.elementsEqual(path.utf8) || $0.path.hasPrefix(prefix) }
    }

    /// Replaces or adds entries, keeping the list sorted by path bytes.
    mutating func upsert(_ entries: [ArtifactFile]) {
        var byPath: [String: ArtifactFile] = [:]
        for f in files { byPath[f.path] = f }
        for f in entries { byPath[f.path] = f }
        files = byPath.values.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }
}
