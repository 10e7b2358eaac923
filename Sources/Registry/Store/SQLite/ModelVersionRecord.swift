import GRDB

/// A row of `model_versions`; stage and status are kept as stored text and checked by
/// ``model(tags:aliases:)``.
///
/// ```swift
/// let rows = try ModelVersionRecord.fetchAll(db, sql: "SELECT * FROM model_versions WHERE name = ?", arguments: ["churn"])
/// ```
struct ModelVersionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "model_versions"

    var name: String
    var version: Int
    var creationTime: Int64
    var lastUpdatedTime: Int64
    var description: String
    var userId: String?
    var currentStage: String
    var source: String
    var runId: String?
    var status: String
    var statusMessage: String?
    var modelId: String?
    var runLink: String?

    enum CodingKeys: String, CodingKey {
        case name, version, description, source, status
        case creationTime = "creation_time", lastUpdatedTime = "last_updated_time", userId = "user_id"
        case currentStage = "current_stage", runId = "run_id", statusMessage = "status_message"
        case modelId = "model_id", runLink = "run_link"
    }

    /// The entity; a stored stage or status that is not one of ours is `INTERNAL_ERROR` naming the version.
    func model(tags: [String: String], aliases: [String]) throws -> ModelVersion {
        guard let stage = ModelStage(rawValue: currentStage) else {
            throw RegistryError(.internalError, "Model Version (name=\(name), version=\(version)) has an unknown stored stage '\(currentStage)'")
        }
        guard let state = ModelVersionStatus(rawValue: status) else {
            throw RegistryError(.internalError, "Model Version (name=\(name), version=\(version)) has an unknown stored status '\(status)'")
        }
        return ModelVersion(name: name, version: version, creationTimestamp: creationTime, lastUpdatedTimestamp: lastUpdatedTime,
                            description: description, source: source, runId: runId, status: state, statusMessage: statusMessage,
                            currentStage: stage, tags: tags, aliases: aliases.sorted(), userId: userId,
                            modelId: modelId, runLink: runLink)
    }
}
