import GRDB

/// A row of `registered_model_tags`.
///
/// ```swift
/// let tag = RegisteredModelTagRecord(name: "churn", key: "team", value: "growth")
/// try tag.upsert(db)
/// ```
struct RegisteredModelTagRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "registered_model_tags"

    var name: String
    var key: String
    var value: String
}
