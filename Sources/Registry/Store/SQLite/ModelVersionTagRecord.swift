import GRDB

/// A row of `model_version_tags`.
///
/// ```swift
/// let tag = ModelVersionTagRecord(name: "churn", version: 3, key: "validated", value: "yes")
/// try tag.upsert(db)
/// ```
struct ModelVersionTagRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "model_version_tags"

    var name: String
    var version: Int
    var key: String
    var value: String
}
