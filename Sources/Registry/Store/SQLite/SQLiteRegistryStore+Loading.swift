import GRDB
import Tracking

/// Reading models and versions with their tags, aliases and latest versions in a few bulk queries.
extension SQLiteRegistryStore {
    /// A SQL condition over `registered_models m` or `model_versions v`, with its arguments.
    struct Condition {
        var sql: String
        var arguments: StatementArguments

        static let all = Condition(sql: "1", arguments: [])
    }

    struct VersionKey: Hashable {
        var name: String
        var version: Int
    }

    /// The versions whose row `v` satisfies `condition`, with tags and aliases, in no particular order.
    static func fetchVersions(_ db: Database, where condition: Condition) throws -> [ModelVersion] {
        var tags: [VersionKey: [String: String]] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT t.name, t.version, t.key, t.value FROM model_version_tags t
            JOIN model_versions v ON v.name = t.name AND v.version = t.version WHERE \(condition.sql)
            """, arguments: condition.arguments) {
            tags[VersionKey(name: r["name"], version: r["version"]), default: [:]][r["key"]] = r["value"] as String
        }
        var aliases: [VersionKey: [String]] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT a.name, a.version, a.alias FROM registered_model_aliases a
            JOIN model_versions v ON v.name = a.name AND v.version = a.version WHERE \(condition.sql)
            """, arguments: condition.arguments) {
            aliases[VersionKey(name: r["name"], version: r["version"]), default: []].append(r["alias"])
        }
        return try Row.fetchAll(db, sql: "SELECT v.* FROM model_versions v WHERE \(condition.sql)", arguments: condition.arguments)
            .map { row in
                var v = try version(row)
                let key = VersionKey(name: v.name, version: v.version)
                v.tags = tags[key] ?? [:]
                v.aliases = (aliases[key] ?? []).sorted()
                return v
            }
    }

    /// The models whose row `m` satisfies `condition`, with tags, aliases and latest versions.
    static func fetchModels(_ db: Database, where condition: Condition) throws -> [RegisteredModel] {
        var tags: [String: [String: String]] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT t.name, t.key, t.value FROM registered_model_tags t JOIN registered_models m ON m.name = t.name
            WHERE \(condition.sql)
            """, arguments: condition.arguments) {
            tags[r["name"], default: [:]][r["key"]] = r["value"] as String
        }
        var aliases: [String: [String: Int]] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT a.name, a.alias, a.version FROM registered_model_aliases a JOIN registered_models m ON m.name = a.name
            WHERE \(condition.sql)
            """, arguments: condition.arguments) {
            aliases[r["name"], default: [:]][r["alias"]] = r["version"] as Int
        }
        // For each (model, stage), the highest version.
        let latest = try fetchVersions(db, where: Condition(sql: """
            (v.name, v.version) IN (SELECT x.name, MAX(x.version) FROM model_versions x
                                    JOIN registered_models m ON m.name = x.name
                                    WHERE \(condition.sql) GROUP BY x.name, x.current_stage)
            """, arguments: condition.arguments))
        let latestByModel = Dictionary(grouping: latest, by: \.name)
        return try Row.fetchAll(db, sql: "SELECT m.* FROM registered_models m WHERE \(condition.sql)", arguments: condition.arguments)
            .map { row in
                let name: String = row["name"]
                return RegisteredModel(name: name, creationTimestamp: row["creation_time"], lastUpdatedTimestamp: row["last_updated_time"],
                                       description: row["description"], tags: tags[name] ?? [:], aliases: aliases[name] ?? [:],
                                       latestVersions: stageOrdered(latestByModel[name] ?? []), userId: row["user_id"])
            }
    }

    /// One model, or `RESOURCE_DOES_NOT_EXIST`.
    static func fetchModel(_ db: Database, _ name: String) throws -> RegisteredModel {
        guard let m = try fetchModels(db, where: Condition(sql: "m.name = ?", arguments: [name])).first else {
            throw notFound(model: name)
        }
        return m
    }

    /// One version, or `RESOURCE_DOES_NOT_EXIST` (for the model, then the version).
    static func fetchVersion(_ db: Database, _ name: String, _ version: Int) throws -> ModelVersion {
        guard let v = try fetchVersions(db, where: Condition(sql: "v.name = ? AND v.version = ?", arguments: [name, version])).first else {
            try requireModel(db, name)
            throw notFound(model: name, version: version)
        }
        return v
    }

    /// The highest version of each stage among `versions` (one model's), in stage order.
    static func stageOrdered(_ versions: [ModelVersion], stages: [ModelStage] = []) -> [ModelVersion] {
        let wanted = stages.isEmpty ? ModelStage.allCases : ModelStage.allCases.filter(stages.contains)
        return wanted.compactMap { stage in
            versions.filter { $0.currentStage == stage }.max(by: { $0.version < $1.version })
        }
    }

    /// A `model_versions` row without its tags and aliases; a stored stage or status that is not one
    /// of ours is `INTERNAL_ERROR` naming the version.
    static func version(_ row: Row) throws -> ModelVersion {
        let name: String = row["name"]
        let number: Int = row["version"]
        let stageText: String = row["current_stage"]
        guard let stage = ModelStage(rawValue: stageText) else {
            throw RegistryError(.internalError, "Model Version (name=\(name), version=\(number)) has an unknown stored stage '\(stageText)'")
        }
        let statusText: String = row["status"]
        guard let status = ModelVersionStatus(rawValue: statusText) else {
            throw RegistryError(.internalError, "Model Version (name=\(name), version=\(number)) has an unknown stored status '\(statusText)'")
        }
        return ModelVersion(name: name, version: number, creationTimestamp: row["creation_time"],
                            lastUpdatedTimestamp: row["last_updated_time"], description: row["description"],
                            source: row["source"], runId: row["run_id"], status: status, statusMessage: row["status_message"],
                            currentStage: stage, userId: row["user_id"])
    }
}
