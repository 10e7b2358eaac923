import GRDB

/// A row of `registered_model_aliases`: `alias` of model `name` points at `version`.
///
/// ```swift
/// let row = RegisteredModelAliasRecord(name: "churn", alias: "champion", version: 3)
/// try row.upsert(db)   // moves the alias if it existed
/// ```
struct RegisteredModelAliasRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "registered_model_aliases"

    var name: String
    var alias: String
    var version: Int
}
