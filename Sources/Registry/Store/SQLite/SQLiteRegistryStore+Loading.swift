import GRDB
import Tracking

/// Reading models and versions with their tags, aliases and latest versions in a few bulk queries.
extension SQLiteRegistryStore {
    /// A SQL condition over `registered_models m` or `model_versions v`, with its arguments.
    /// `cached`: the statements built on it are kept prepared per connection (for the few fixed
    /// shapes on hot paths, e.g. one model by name, which MLflow's client reads before most calls).
    struct Condition {
        var sql: String
        var arguments: StatementArguments
        var cached = false

        static let all = Condition(sql: "1", arguments: [])
    }

    /// Records of `sql` with the condition's arguments, through the statement cache when it says so.
    static func fetch<R: FetchableRecord>(_ type: R.Type, _ db: Database, _ sql: String, _ condition: Condition) throws -> [R] {
        if condition.cached { return try R.fetchAll(db.cachedStatement(sql: sql), arguments: condition.arguments) }
        return try R.fetchAll(db, sql: sql, arguments: condition.arguments)
    }

    struct VersionKey: Hashable {
        var name: String
        var version: Int
    }

    /// The versions whose row `v` satisfies `condition`, with tags and aliases, in no particular order.
    static func fetchVersions(_ db: Database, where condition: Condition) throws -> [ModelVersion] {
        var tags: [VersionKey: [String: String]] = [:]
        for t in try fetch(ModelVersionTagRecord.self, db, """
            SELECT t.* FROM model_version_tags t
            JOIN model_versions v ON v.name = t.name AND v.version = t.version WHERE \(condition.sql)
            """, condition) {
            tags[VersionKey(name: t.name, version: t.version), default: [:]][t.key] = t.value
        }
        var aliases: [VersionKey: [String]] = [:]
        for a in try fetch(RegisteredModelAliasRecord.self, db, """
            SELECT a.* FROM registered_model_aliases a
            JOIN model_versions v ON v.name = a.name AND v.version = a.version WHERE \(condition.sql)
            """, condition) {
            aliases[VersionKey(name: a.name, version: a.version), default: []].append(a.alias)
        }
        return try fetch(ModelVersionRecord.self, db, "SELECT v.* FROM model_versions v WHERE \(condition.sql)", condition)
            .map { r in
                let key = VersionKey(name: r.name, version: r.version)
                return try r.model(tags: tags[key] ?? [:], aliases: aliases[key] ?? [])
            }
    }

    /// The models whose row `m` satisfies `condition`, with tags, aliases and latest versions.
    static func fetchModels(_ db: Database, where condition: Condition) throws -> [RegisteredModel] {
        var tags: [String: [String: String]] = [:]
        for t in try fetch(RegisteredModelTagRecord.self, db, """
            SELECT t.* FROM registered_model_tags t JOIN registered_models m ON m.name = t.name WHERE \(condition.sql)
            """, condition) {
            tags[t.name, default: [:]][t.key] = t.value
        }
        var aliases: [String: [String: Int]] = [:]
        for a in try fetch(RegisteredModelAliasRecord.self, db, """
            SELECT a.* FROM registered_model_aliases a JOIN registered_models m ON m.name = a.name WHERE \(condition.sql)
            """, condition) {
            aliases[a.name, default: [:]][a.alias] = a.version
        }
        // For each (model, stage), the highest version.
        let latest = try fetchVersions(db, where: Condition(sql: """
            (v.name, v.version) IN (SELECT x.name, MAX(x.version) FROM model_versions x
                                    JOIN registered_models m ON m.name = x.name
                                    WHERE \(condition.sql) GROUP BY x.name, x.current_stage)
            """, arguments: condition.arguments, cached: condition.cached))
        let latestByModel = Dictionary(grouping: latest, by: \.name)
        return try fetch(RegisteredModelRecord.self, db, "SELECT m.* FROM registered_models m WHERE \(condition.sql)", condition)
            .map { r in
                RegisteredModel(name: r.name, creationTimestamp: r.creationTime, lastUpdatedTimestamp: r.lastUpdatedTime,
                                description: r.description, tags: tags[r.name] ?? [:], aliases: aliases[r.name] ?? [:],
                                latestVersions: stageOrdered(latestByModel[r.name] ?? []), userId: r.userId)
            }
    }

    /// One model, or `RESOURCE_DOES_NOT_EXIST`.
    static func fetchModel(_ db: Database, _ name: String) throws -> RegisteredModel {
        guard let m = try fetchModels(db, where: Condition(sql: "m.name = ?", arguments: [name], cached: true)).first else {
            throw notFound(model: name)
        }
        return m
    }

    /// One version, or `RESOURCE_DOES_NOT_EXIST` (for the model, then the version).
    static func fetchVersion(_ db: Database, _ name: String, _ version: Int) throws -> ModelVersion {
        guard let v = try fetchVersions(db, where: Condition(sql: "v.name = ? AND v.version = ?", arguments: [name, version], cached: true)).first else {
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
}
