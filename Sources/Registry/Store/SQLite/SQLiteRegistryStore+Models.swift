import GRDB
import Tracking

/// Registered models: create, read, rename, update, delete, tags.
extension SQLiteRegistryStore {
    /// Audit details of a created model or version.
    struct CreatedDetails: Encodable {
        var description: String
        var tags: [String: String]
        var source: String?
        var runId: String?

        enum CodingKeys: String, CodingKey { case description, tags, source, runId = "run_id" }
    }

    public func createRegisteredModel(name: String, description: String, tags: [String: String]) throws -> RegisteredModel {
        try RegistryValidation.modelName(name)
        for (k, v) in tags { try RegistryValidation.tag(key: k, value: v) }
        return try write { tx in
            let exists = try Bool.fetchOne(tx.db, sql: "SELECT EXISTS(SELECT 1 FROM registered_models WHERE name = ?)", arguments: [name]) ?? false
            guard !exists else {
                throw RegistryError(.resourceAlreadyExists, "Registered Model (name=\(name)) already exists.")
            }
            try RegisteredModelRecord(name: name, creationTime: tx.now, lastUpdatedTime: tx.now, description: description).insert(tx.db)
            for (k, v) in tags { try RegisteredModelTagRecord(name: name, key: k, value: v).insert(tx.db) }
            try tx.appendAudit(entityKind: .registeredModel, entityId: name, action: .create,
                               detailsJSON: StoreWriteContext.json(CreatedDetails(description: description, tags: tags)))
            return try Self.fetchModel(tx.db, name)
        }
    }

    public func registeredModel(name: String) throws -> RegisteredModel {
        try read { db in try Self.fetchModel(db, name) }
    }

    public func renameRegisteredModel(name: String, newName: String) throws -> RegisteredModel {
        try write { tx in
            try Self.requireModel(tx.db, name)
            try RegistryValidation.modelName(newName)
            if newName != name {
                let taken = try Bool.fetchOne(tx.db, sql: "SELECT EXISTS(SELECT 1 FROM registered_models WHERE name = ?)", arguments: [newName]) ?? false
                guard !taken else {
                    throw RegistryError(.resourceAlreadyExists, "Registered Model (name=\(newName)) already exists.")
                }
            }
            // Versions, their tags and the aliases follow through ON UPDATE CASCADE.
            try tx.db.execute(sql: "UPDATE registered_models SET name = ?, last_updated_time = ? WHERE name = ?",
                              arguments: [newName, tx.now, name])
            try tx.appendAudit(entityKind: .registeredModel, entityId: newName, action: .rename,
                               details: ["old_name": name, "new_name": newName])
            return try Self.fetchModel(tx.db, newName)
        }
    }

    public func updateRegisteredModel(name: String, description: String) throws -> RegisteredModel {
        try write { tx in
            try Self.requireModel(tx.db, name)
            try tx.db.execute(sql: "UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?",
                              arguments: [description, tx.now, name])
            try tx.appendAudit(entityKind: .registeredModel, entityId: name, action: .update, details: ["description": description])
            return try Self.fetchModel(tx.db, name)
        }
    }

    public func deleteRegisteredModel(name: String) throws {
        try write { tx in
            try Self.requireModel(tx.db, name)
            let versions = try Int.fetchOne(tx.db, sql: "SELECT COUNT(*) FROM model_versions WHERE name = ?", arguments: [name]) ?? 0
            // Versions, tags and aliases go with it (ON DELETE CASCADE); decisions stay.
            try tx.db.execute(sql: "DELETE FROM registered_models WHERE name = ?", arguments: [name])
            try tx.appendAudit(entityKind: .registeredModel, entityId: name, action: .delete, details: ["versions": "\(versions)"])
        }
    }

    public func setRegisteredModelTag(name: String, key: String, value: String) throws {
        try write { tx in
            try Self.requireModel(tx.db, name)
            try RegistryValidation.tag(key: key, value: value)
            let tag = RegisteredModelTagRecord(name: name, key: key, value: value)
            try tag.upsert(tx.db)
            try Self.touch(tx.db, name, tx.now)
            try tx.appendAudit(entityKind: .registeredModel, entityId: name, action: .setTag, details: ["key": key, "value": value])
        }
    }

    public func deleteRegisteredModelTag(name: String, key: String) throws {
        try write { tx in
            try Self.requireModel(tx.db, name)
            guard try RegisteredModelTagRecord.deleteOne(tx.db, key: ["name": name, "key": key]) else {
                throw RegistryError(.resourceDoesNotExist, "No tag with key '\(key)' on registered model '\(name)'")
            }
            try Self.touch(tx.db, name, tx.now)
            try tx.appendAudit(entityKind: .registeredModel, entityId: name, action: .deleteTag, details: ["key": key])
        }
    }
}
