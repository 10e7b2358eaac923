import Foundation

/// Reads the actions of a Parquet checkpoint (classic, multi-part part, V2 or sidecar).
enum DeltaCheckpointReader {
    static func read(path: String, table: String, file: String) throws -> [DeltaAction] {
        throw DeltaError.corruptLog(table: table, file: file, line: nil, message: "Parquet checkpoints are not readable yet")
    }
}
