/// One entry of an artifact listing, as MLflow's `FileInfo` message: `path` relative to the run's
/// artifact root (`model/MLmodel`), whether it is a directory, and the size of a file (nil for a
/// directory, where MLflow omits `file_size`). Encodes with MLflow's field names.
///
/// ```swift
/// let files = try store.list(path: "model")
/// // [FileInfo(path: "model/MLmodel", isDir: false, fileSize: 412), FileInfo(path: "model/weights", isDir: true, fileSize: nil)]
/// ```
public struct FileInfo: Codable, Sendable, Hashable {
    public var path: String
    public var isDir: Bool
    public var fileSize: Int64?

    public init(path: String, isDir: Bool, fileSize: Int64?) {
        self.path = path
        self.isDir = isDir
        self.fileSize = fileSize
    }

    enum CodingKeys: String, CodingKey {
        case path
        case isDir = "is_dir"
        case fileSize = "file_size"
    }
}
