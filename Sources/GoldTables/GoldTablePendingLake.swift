import Foundation

// TEMPORARY (csv-cli branch only, until `parquet-read` is merged): reports that the Parquet reader
// is absent from this build. Replaced by the ParquetDataset opener in GoldTable.swift on merge.
extension GoldTable {
    static func openParquet(_ path: String) throws -> GoldTable {
        throw GoldTableError(path: path, "Parquet reading is not in this build yet")
    }
    func parquetRowCount() throws -> Int? { nil }
}
