/// Registered models and versions in MLflow's REST JSON shapes (`registered_model`, `model_version`
/// objects of `model-registry` responses): snake_case fields, the version number as a string, tags
/// as `[{"key", "value"}]`, a model's aliases as `[{"alias", "version"}]`. For `--format json`.
///
/// ```swift
/// print(try TrackingJSON.text(["registered_models": models.map(RegistryJSON.Model.init)]))
/// ```
public enum RegistryJSON {
    /// `{"key": …, "value": …}`.
    public struct Tag: Encodable, Sendable, Hashable {
        public var key: String
        public var value: String
    }

    /// `{"alias": …, "version": "3"}`.
    public struct Alias: Encodable, Sendable, Hashable {
        public var alias: String
        public var version: String
    }

    /// MLflow's `ModelVersion` message.
    public struct Version: Encodable, Sendable, Hashable {
        public var name: String
        public var version: String
        public var creationTimestamp: Int64
        public var lastUpdatedTimestamp: Int64
        public var description: String
        public var userId: String?
        public var currentStage: String
        public var source: String
        public var runId: String?
        public var status: String
        public var statusMessage: String?
        public var tags: [Tag]
        public var aliases: [String]

        public init(_ v: ModelVersion) {
            name = v.name
            version = String(v.version)
            creationTimestamp = v.creationTimestamp
            lastUpdatedTimestamp = v.lastUpdatedTimestamp
            description = v.description
            userId = v.userId
            currentStage = v.currentStage.rawValue
            source = v.source
            runId = v.runId
            status = v.status.rawValue
            statusMessage = v.statusMessage
            tags = v.tags.sorted { $0.key < $1.key }.map { Tag(key: $0.key, value: $0.value) }
            aliases = v.aliases
        }

        enum CodingKeys: String, CodingKey {
            case name, version, creationTimestamp = "creation_timestamp", lastUpdatedTimestamp = "last_updated_timestamp"
            case description, userId = "user_id", currentStage = "current_stage", source, runId = "run_id", status
            case statusMessage = "status_message", tags, aliases
        }
    }

    /// MLflow's `RegisteredModel` message.
    public struct Model: Encodable, Sendable, Hashable {
        public var name: String
        public var creationTimestamp: Int64
        public var lastUpdatedTimestamp: Int64
        public var description: String
        public var userId: String?
        public var latestVersions: [Version]
        public var tags: [Tag]
        public var aliases: [Alias]

        public init(_ m: RegisteredModel) {
            name = m.name
            creationTimestamp = m.creationTimestamp
            lastUpdatedTimestamp = m.lastUpdatedTimestamp
            description = m.description
            userId = m.userId
            latestVersions = m.latestVersions.map(Version.init)
            tags = m.tags.sorted { $0.key < $1.key }.map { Tag(key: $0.key, value: $0.value) }
            aliases = m.aliases.sorted { $0.key < $1.key }.map { Alias(alias: $0.key, version: String($0.value)) }
        }

        enum CodingKeys: String, CodingKey {
            case name, creationTimestamp = "creation_timestamp", lastUpdatedTimestamp = "last_updated_timestamp"
            case description, userId = "user_id", latestVersions = "latest_versions", tags, aliases
        }
    }
}
