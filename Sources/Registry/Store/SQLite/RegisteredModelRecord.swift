import GRDB

/// A row of `registered_models` (see ``RegistrySchema``).
///
/// ```swift
/// try RegisteredModelRecord(name: "churn", creationTime: now, lastUpdatedTime: now, description: "").insert(db)
/// ```
struct RegisteredModelRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "registered_models"

    var name: String
    var creationTime: Int64
    var lastUpdatedTime: Int64
    var description: String
    var userId: String?
    /// The highest version number ever allocated (0: none yet).
    var lastVersion: Int = 0

    enum CodingKeys: String, CodingKey {
        case name, description
        case creationTime = "creation_time", lastUpdatedTime = "last_updated_time", userId = "user_id", lastVersion = "last_version"
    }
}
