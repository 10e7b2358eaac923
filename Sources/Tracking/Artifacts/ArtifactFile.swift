/// One stored artifact file with its content hash: what a `log` call returns and what the run's
/// ``ArtifactManifest`` lists, so the tracking layer can record it.
///
/// ```swift
/// let f = try store.log(data: Data("hello".utf8), at: "notes/hello.txt")
/// f.path      // "notes/hello.txt"
/// f.fileSize  // 5
/// f.sha256    // "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
/// ```
public struct ArtifactFile: Codable, Sendable, Hashable {
    /// Path relative to the run's artifact root, `/`-separated.
    public var path: String
    public var fileSize: Int64
    /// Lower-case hex SHA-256 of the file's bytes.
    public var sha256: String

    public init(path: String, fileSize: Int64, sha256: String) {
        self.path = path
        self.fileSize = fileSize
        self.sha256 = sha256
    }

    enum CodingKeys: String, CodingKey {
        case path
        case fileSize = "file_size"
        case sha256
    }
}
