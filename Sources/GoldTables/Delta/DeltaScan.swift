import Foundation

extension DeltaSnapshot {
    /// Streams the snapshot file by file, row group by row group.
    public func scan(columns: [String]?) throws -> any BatchStream {
        throw DeltaError.invalidArgument(table: tablePath, message: "data reading needs the Parquet reader")
    }
}
