import GRDB
import Tracking

/// Model versions: allocation, read, update, delete, legacy stages, tags.
extension SQLiteRegistryStore {
    /// Allocates `last_version + 1` inside the write transaction: `BEGIN IMMEDIATE` holds the file's
    /// write lock from the start, so concurrent creators (threads or processes) are serialised.
    public func createModelVersion(name: String, source: String, runId: String?, description: String,
                                   tags: [String: String]) throws -> ModelVersion {
        try createModelVersion(name: name, source: source, runId: runId, description: description, tags: tags, modelId: nil, runLink: nil)
    }

    /// As above, also keeping MLflow 3's `model_id` and the client's `run_link`.
    public func createModelVersion(name: String, source: String, runId: String?, description: String,
                                   tags: [String: String], modelId: String?, runLink: String?) throws -> ModelVersion {
        try write { tx in
            guard let last = try Int.fetchOne(tx.db, sql: "SELECT last_version FROM registered_models WHERE name = ?", arguments: [name]) else {
                throw Self.notFound(model: name)
            }
            guard !source.isEmpty else { throw RegistryError(.invalidParameterValue, "Model version source cannot be empty.") }
            for (k, v) in tags { try RegistryValidation.tag(key: k, value: v) }
            let version = last + 1
            try tx.db.execute(sql: "UPDATE registered_models SET last_version = ?, last_updated_time = ? WHERE name = ?",
                              arguments: [version, tx.now, name])
            try ModelVersionRecord(name: name, version: version, creationTime: tx.now, lastUpdatedTime: tx.now, description: description,
                                   currentStage: ModelStage.none.rawValue, source: source, runId: runId,
                                   status: ModelVersionStatus.ready.rawValue, modelId: modelId, runLink: runLink).insert(tx.db)
            for (k, v) in tags { try ModelVersionTagRecord(name: name, version: version, key: k, value: v).insert(tx.db) }
            try tx.appendAudit(entityKind: .modelVersion, entityId: Self.versionEntityId(name, version), action: .create,
                               detailsJSON: StoreWriteContext.json(CreatedDetails(description: description, tags: tags,
                                                                                  source: source, runId: runId)))
            return try Self.fetchVersion(tx.db, name, version)
        }
    }

    public func modelVersion(name: String, version: Int) throws -> ModelVersion {
        try read { db in try Self.fetchVersion(db, name, version) }
    }

    public func updateModelVersion(name: String, version: Int, description: String) throws -> ModelVersion {
        try write { tx in
            try Self.requireVersion(tx.db, name, version)
            try tx.db.execute(sql: "UPDATE model_versions SET description = ?, last_updated_time = ? WHERE name = ? AND version = ?",
                              arguments: [description, tx.now, name, version])
            try tx.appendAudit(entityKind: .modelVersion, entityId: Self.versionEntityId(name, version), action: .update,
                               details: ["description": description])
            return try Self.fetchVersion(tx.db, name, version)
        }
    }

    public func deleteModelVersion(name: String, version: Int) throws {
        try write { tx in
            try Self.requireVersion(tx.db, name, version)
            let aliases = try String.fetchAll(tx.db, sql: "SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ? ORDER BY alias",
                                              arguments: [name, version])
            // Tags and aliases go with it (ON DELETE CASCADE); last_version keeps the number taken.
            try tx.db.execute(sql: "DELETE FROM model_versions WHERE name = ? AND version = ?", arguments: [name, version])
            try Self.touch(tx.db, name, tx.now)
            try tx.appendAudit(entityKind: .modelVersion, entityId: Self.versionEntityId(name, version), action: .delete,
                               details: ["dropped_aliases": aliases.joined(separator: ",")])
        }
    }

    public func latestVersions(name: String, stages: [ModelStage]) throws -> [ModelVersion] {
        try read { db in
            try Self.requireModel(db, name)
            let latest = try Self.fetchVersions(db, where: Condition(sql: """
                (v.name, v.version) IN (SELECT name, MAX(version) FROM model_versions WHERE name = ? GROUP BY current_stage)
                """, arguments: [name]))
            return Self.stageOrdered(latest, stages: stages)
        }
    }

    public func transitionStage(name: String, version: Int, stage: ModelStage,
                                archiveExistingVersions: Bool) throws -> ModelVersion {
        try write { tx in
            try Self.requireVersion(tx.db, name, version)
            if archiveExistingVersions && !(stage == .staging || stage == .production) {
                throw RegistryError(.invalidParameterValue,
                                    "archive_existing_versions applies to the Staging and Production stages only, not \(stage.rawValue).")
            }
            var archived: [Int] = []
            if archiveExistingVersions {
                archived = try Int.fetchAll(tx.db, sql: """
                    SELECT version FROM model_versions WHERE name = ? AND version != ? AND current_stage = ? ORDER BY version
                    """, arguments: [name, version, stage.rawValue])
                try tx.db.execute(sql: """
                    UPDATE model_versions SET current_stage = ?, last_updated_time = ?
                    WHERE name = ? AND version != ? AND current_stage = ?
                    """, arguments: [ModelStage.archived.rawValue, tx.now, name, version, stage.rawValue])
            }
            try tx.db.execute(sql: "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?",
                              arguments: [stage.rawValue, tx.now, name, version])
            try Self.touch(tx.db, name, tx.now)
            try tx.appendAudit(entityKind: .modelVersion, entityId: Self.versionEntityId(name, version), action: .transitionStage,
                               details: ["stage": stage.rawValue, "archive_existing_versions": "\(archiveExistingVersions)",
                                         "archived_versions": archived.map(String.init).joined(separator: ",")])
            return try Self.fetchVersion(tx.db, name, version)
        }
    }

    public func setModelVersionTag(name: String, version: Int, key: String, value: String) throws {
        try write { tx in
            try Self.requireVersion(tx.db, name, version)
            try RegistryValidation.tag(key: key, value: value)
            let tag = ModelVersionTagRecord(name: name, version: version, key: key, value: value)
            try tag.upsert(tx.db)
            try tx.db.execute(sql: "UPDATE model_versions SET last_updated_time = ? WHERE name = ? AND version = ?",
                              arguments: [tx.now, name, version])
            try tx.appendAudit(entityKind: .modelVersion, entityId: Self.versionEntityId(name, version), action: .setTag,
                               details: ["key": key, "value": value])
        }
    }

    public func deleteModelVersionTag(name: String, version: Int, key: String) throws {
        try write { tx in
            try Self.requireVersion(tx.db, name, version)
            guard try ModelVersionTagRecord.deleteOne(tx.db, key: ["name": name, "version": version, "key": key]) else {
                throw RegistryError(.resourceDoesNotExist, "No tag with key '\(key)' on model version (name=\(name), version=\(version))")
            }
            try tx.db.execute(sql: "UPDATE model_versions SET last_updated_time = ? WHERE name = ? AND version = ?",
                              arguments: [tx.now, name, version])
            try tx.appendAudit(entityKind: .modelVersion, entityId: Self.versionEntityId(name, version), action: .deleteTag,
                               details: ["key": key])
        }
    }
}
