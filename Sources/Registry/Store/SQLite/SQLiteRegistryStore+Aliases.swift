import GRDB
import Tracking

/// Aliases, URI resolution and promotion decisions.
extension SQLiteRegistryStore {
    public func setAlias(name: String, alias: String, version: Int) throws {
        try RegistryValidation.alias(alias)
        try write { tx in
            try Self.requireVersion(tx.db, name, version)
            let previous = try Int.fetchOne(tx.db, sql: "SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?",
                                            arguments: [name, alias])
            try Self.pointAlias(tx.db, name: name, alias: alias, version: version)
            try Self.touch(tx.db, name, tx.now)
            try tx.appendAudit(entityKind: .registeredModel, entityId: name, action: .setAlias,
                               details: ["alias": alias, "version": "\(version)", "previous_version": previous.map(String.init) ?? ""])
        }
    }

    public func deleteAlias(name: String, alias: String) throws {
        try write { tx in
            try Self.requireModel(tx.db, name)
            try RegistryValidation.alias(alias)
            let previous = try Int.fetchOne(tx.db, sql: "SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?",
                                            arguments: [name, alias])
            try tx.db.execute(sql: "DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?", arguments: [name, alias])
            try Self.touch(tx.db, name, tx.now)
            try tx.appendAudit(entityKind: .registeredModel, entityId: name, action: .deleteAlias,
                               details: ["alias": alias, "previous_version": previous.map(String.init) ?? ""])
        }
    }

    public func modelVersion(name: String, alias: String) throws -> ModelVersion {
        try read { db in
            try Self.requireModel(db, name)
            guard let version = try Int.fetchOne(db, sql: "SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?",
                                                 arguments: [name, alias]) else {
                throw RegistryError(.invalidParameterValue, "Registered model alias \(alias) not found.")
            }
            return try Self.fetchVersion(db, name, version)
        }
    }

    static func pointAlias(_ db: Database, name: String, alias: String, version: Int) throws {
        let row = RegisteredModelAliasRecord(name: name, alias: alias, version: version)
        try row.upsert(db)
    }

    // MARK: URIs

    public func resolve(uri: String) async throws -> ResolvedModel {
        try await ModelURIResolution.resolve(uri, store: self, runs: runs)
    }

    // MARK: Promotion decisions

    /// In one transaction: if the decision is applied, checks that the alias still points at
    /// `previousHolder` (else `INVALID_STATE`, nothing is written) and moves it; records the decision
    /// in `promotion_decisions`; appends a `promote` audit event (kind `registered_model`, the
    /// decision as details, the decision's actor).
    @discardableResult
    public func commitPromotion(_ decision: PromotionDecision) throws -> PromotionDecision {
        let record = PromotionDecisionRecord(decision)
        return try write(actor: decision.actor) { tx in
            if decision.applied {
                try RegistryValidation.alias(decision.alias)
                try Self.requireVersion(tx.db, decision.model, decision.version)
                let holder = try Int.fetchOne(tx.db, sql: "SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?",
                                              arguments: [decision.model, decision.alias])
                guard holder == decision.previousHolder else {
                    throw RegistryError(.invalidState,
                                        "Alias '\(decision.alias)' of '\(decision.model)' moved from \(Self.describe(decision.previousHolder)) to \(Self.describe(holder)) while the gates were evaluated; evaluate again.")
                }
                try Self.pointAlias(tx.db, name: decision.model, alias: decision.alias, version: decision.version)
                try Self.touch(tx.db, decision.model, tx.now)
            }
            try record.insert(tx.db)
            try tx.appendAudit(entityKind: .registeredModel, entityId: decision.model, action: .promote, detailsJSON: record.decision)
            return decision
        }
    }

    public func promotionDecisions(name: String?) throws -> [PromotionDecision] {
        try read { db in
            var request = PromotionDecisionRecord.order(Column("id"))
            if let name { request = request.filter(Column("model") == name) }
            return try request.fetchAll(db).map { try $0.decoded() }
        }
    }

    static func describe(_ holder: Int?) -> String {
        holder.map { "version \($0)" } ?? "nobody"
    }
}
