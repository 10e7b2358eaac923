/// A Parquet file could not be read: its bytes are malformed, truncated, or use a feature this
/// reader does not support. The message names the file and, where known, the column, row group,
/// page and byte offset.
public struct ParquetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or dataset folder) the error is about.
    public var path: String
    /// What is wrong, with the location inside the file where known.
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// An error raised deep inside a decoder, before the file path is known; `ParquetFile` rewraps it
/// as a ``ParquetError`` with the file and column.
struct PQDecodeError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
