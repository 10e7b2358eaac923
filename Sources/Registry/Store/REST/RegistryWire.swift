import Foundation
import Tracking

/// MLflow's model-registry JSON shapes (mlflow-compat.md §2) as ``RESTRegistryStore`` sends and
/// reads them: snake_case fields, unset fields omitted, versions as strings (numbers accepted),
/// int64 as numbers (strings accepted), unknown fields ignored, `run_id: ""` read as no run.
///
/// ```swift
/// let v = try MLflowWire.decode(RegistryWire.ModelVersionResponse.self, from: body).model_version.model
/// ```
enum RegistryWire {
    // MARK: Entities

    typealias KeyValue = MLflowWire.KeyValue

    struct Alias: Decodable {
        var alias: String
        var version: Int
        enum K: String, CodingKey { case alias, version }
        init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: K.self)
            alias = try c.decode(String.self, forKey: .alias)
            version = try c.flexibleInt(.version) ?? 0
        }
    }

    struct WireModelVersion: Decodable {
        var model: ModelVersion
        enum K: String, CodingKey {
            case name, version, creation_timestamp, last_updated_timestamp, user_id, current_stage, description, source,
                 run_id, status, status_message, tags, aliases, model_id, run_link
        }
        init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: K.self)
            let runId = try c.decodeIfPresent(String.self, forKey: .run_id) ?? ""
            let userId = try c.decodeIfPresent(String.self, forKey: .user_id) ?? ""
            let message = try c.decodeIfPresent(String.self, forKey: .status_message) ?? ""
            let tags = try c.decodeIfPresent([KeyValue].self, forKey: .tags) ?? []
            let modelId = try c.decodeIfPresent(String.self, forKey: .model_id) ?? ""
            let runLink = try c.decodeIfPresent(String.self, forKey: .run_link) ?? ""
            model = ModelVersion(
                name: try c.decode(String.self, forKey: .name),
                version: try c.flexibleInt(.version) ?? 0,
                creationTimestamp: try c.int64(.creation_timestamp) ?? 0,
                lastUpdatedTimestamp: try c.int64(.last_updated_timestamp) ?? 0,
                description: try c.decodeIfPresent(String.self, forKey: .description) ?? "",
                source: try c.decodeIfPresent(String.self, forKey: .source) ?? "",
                runId: runId.isEmpty ? nil : runId,
                status: ModelVersionStatus(rawValue: try c.decodeIfPresent(String.self, forKey: .status) ?? "READY") ?? .ready,
                statusMessage: message.isEmpty ? nil : message,
                currentStage: (try? ModelStage(parsing: try c.decodeIfPresent(String.self, forKey: .current_stage) ?? "None")) ?? .none,
                tags: Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }),
                aliases: (try c.decodeIfPresent([String].self, forKey: .aliases) ?? []).sorted(),
                userId: userId.isEmpty ? nil : userId,
                modelId: modelId.isEmpty ? nil : modelId,
                runLink: runLink.isEmpty ? nil : runLink)
        }
    }

    /// A registered model with every tag as the server has it (``RESTRegistryStore`` keeps its
    /// promotion records in `mltrack.promotion.*` tags and hides them from ``RegisteredModel/tags``).
    struct WireRegisteredModel: Decodable {
        var model: RegisteredModel
        var rawTags: [KeyValue]
        enum K: String, CodingKey { case name, creation_timestamp, last_updated_timestamp, user_id, description, latest_versions, tags, aliases }
        init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: K.self)
            rawTags = try c.decodeIfPresent([KeyValue].self, forKey: .tags) ?? []
            let userId = try c.decodeIfPresent(String.self, forKey: .user_id) ?? ""
            let aliases = try c.decodeIfPresent([Alias].self, forKey: .aliases) ?? []
            let latest = (try c.decodeIfPresent([WireModelVersion].self, forKey: .latest_versions) ?? []).map(\.model)
            model = RegisteredModel(
                name: try c.decode(String.self, forKey: .name),
                creationTimestamp: try c.int64(.creation_timestamp) ?? 0,
                lastUpdatedTimestamp: try c.int64(.last_updated_timestamp) ?? 0,
                description: try c.decodeIfPresent(String.self, forKey: .description) ?? "",
                tags: Dictionary(rawTags.filter { !$0.key.hasPrefix(RESTRegistryStore.promotionTagPrefix) }.map { ($0.key, $0.value) },
                                 uniquingKeysWith: { _, last in last }),
                aliases: Dictionary(aliases.map { ($0.alias, $0.version) }, uniquingKeysWith: { _, last in last }),
                latestVersions: RegistryWire.byStage(latest),
                userId: userId.isEmpty ? nil : userId)
        }
    }

    /// Versions in stage order (None, Staging, Production, Archived), then by version descending.
    static func byStage(_ versions: [ModelVersion]) -> [ModelVersion] {
        let rank = Dictionary(uniqueKeysWithValues: ModelStage.allCases.enumerated().map { ($0.element, $0.offset) })
        return versions.sorted { (rank[$0.currentStage] ?? 0, -$0.version) < (rank[$1.currentStage] ?? 0, -$1.version) }
    }

    // MARK: Responses

    struct RegisteredModelResponse: Decodable { var registered_model: WireRegisteredModel }
    struct ModelVersionResponse: Decodable { var model_version: WireModelVersion }
    enum ModelVersionsKey: WireListKey { static let name = "model_versions" }
    enum RegisteredModelsKey: WireListKey { static let name = "registered_models" }
    /// `get-latest-versions` (no token) and `model-versions/search`.
    typealias ModelVersionsResponse = WireListPage<ModelVersionsKey, WireModelVersion>
    typealias SearchRegisteredModelsResponse = WireListPage<RegisteredModelsKey, WireRegisteredModel>
    struct DownloadURIResponse: Decodable {
        var artifact_uri: String
        enum CodingKeys: String, CodingKey { case artifact_uri }
        init(from d: any Decoder) throws {
            artifact_uri = try d.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .artifact_uri) ?? ""
        }
    }
    /// `runs/get`, only as far as the run's artifact root.
    struct RunArtifactResponse: Decodable {
        struct Run: Decodable { var info: Info }
        struct Info: Decodable { var artifact_uri: String? }
        var run: Run
    }

    // MARK: Requests

    struct CreateRegisteredModel: Encodable { var name: String; var tags: [KeyValue]?; var description: String? }
    struct Name: Encodable { var name: String }
    struct Rename: Encodable { var name: String; var new_name: String }
    struct UpdateModel: Encodable { var name: String; var description: String }
    struct SetModelTag: Encodable { var name: String; var key: String; var value: String }
    struct DeleteModelTag: Encodable { var name: String; var key: String }
    struct CreateModelVersion: Encodable {
        var name: String; var source: String; var run_id: String?; var description: String?; var tags: [KeyValue]?
        var run_link: String?; var model_id: String?
    }
    struct NameVersion: Encodable { var name: String; var version: String }
    struct UpdateVersion: Encodable { var name: String; var version: String; var description: String }
    struct TransitionStage: Encodable { var name: String; var version: String; var stage: String; var archive_existing_versions: Bool }
    struct SetVersionTag: Encodable { var name: String; var version: String; var key: String; var value: String }
    struct DeleteVersionTag: Encodable { var name: String; var version: String; var key: String }
    struct SetAlias: Encodable { var name: String; var alias: String; var version: String }
    struct DeleteAlias: Encodable { var name: String; var alias: String }
    struct LatestVersions: Encodable { var name: String; var stages: [String]? }
}

extension KeyedDecodingContainer {
    /// A version number sent as a string (MLflow) or a number.
    func flexibleInt(_ key: Key) throws -> Int? {
        try int64(key).map { Int($0) }
    }
}

extension MLflowWire.KeyValue {
    /// A tag map as MLflow's `[{key, value}]`, sorted by key; nil (the field left out) when empty.
    static func list(_ tags: [String: String]) -> [MLflowWire.KeyValue]? {
        tags.isEmpty ? nil : tags.sorted { $0.key < $1.key }.map { MLflowWire.KeyValue(key: $0.key, value: $0.value) }
    }
}
