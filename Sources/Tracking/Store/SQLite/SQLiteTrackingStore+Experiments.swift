import GRDB

extension SQLiteTrackingStore {
    public func createExperiment(name: String, artifactLocation: String?, tags: [ExperimentTag], actor: String?) throws -> String {
        try EntityValidation.validateExperimentName(name)
        if let artifactLocation { try EntityValidation.validateArtifactLocation(artifactLocation) }
        for (i, t) in tags.enumerated() { try EntityValidation.validateExperimentTag(t, field: "tags[\(i)]") }
        return try write(actor: actor) { tx in
            let db = tx.db
            if try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM experiments WHERE name = ?)", arguments: [name]) ?? false {
                throw TrackingError(.resourceAlreadyExists, "Experiment(name=\(name)) already exists.")
            }
            let id = (try Int64.fetchOne(db, sql: "SELECT MAX(experiment_id) FROM experiments") ?? 0) + 1
            let location = artifactLocation.flatMap { $0.isEmpty ? nil : $0 } ?? "\(self.artifactRoot)/\(id)"
            try db.execute(sql: """
                INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                VALUES (?, ?, ?, 'active', ?, ?)
                """, arguments: [id, name, location, tx.now, tx.now])
            for t in tags {
                try db.execute(sql: "INSERT OR REPLACE INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)",
                               arguments: [id, t.key, t.value])
            }
            try tx.appendAudit(entityKind: .experiment, entityId: String(id), action: .create,
                               details: ["name": name, "artifact_location": location])
            return String(id)
        }
    }

    public func getExperiment(id: String) throws -> Experiment {
        let n = try Self.parseExperimentId(id)
        return try read { db in try Self.fetchExperiment(db, id: n) }
    }

    public func getExperimentByName(_ name: String) throws -> Experiment? {
        try read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT experiment_id FROM experiments WHERE name = ?", arguments: [name]) else {
                return nil
            }
            return try Self.fetchExperiment(db, id: id)
        }
    }

    public func searchExperiments(_ query: ExperimentQuery) throws -> Page<Experiment> {
        _ = try RunSearch.validateMaxResults(query.maxResults)
        _ = try SearchPageToken.decode(query.pageToken)
        let stages = query.viewType.stages.map(\.rawValue).sorted()
        let all = try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM experiments WHERE lifecycle_stage IN (\(stages.map { _ in "?" }.joined(separator: ",")))",
                             arguments: StatementArguments(stages)).map { try Self.experiment(db, row: $0) }
        }
        let kept = query.filter.map { f in all.filter { f.matches($0, grammar: .experiments) } } ?? all
        return try SearchPageToken.page(try ExperimentOrderBy.sort(kept, by: query.orderBy), maxResults: query.maxResults, pageToken: query.pageToken)
    }

    public func renameExperiment(id: String, newName: String, actor: String?) throws {
        try EntityValidation.validateExperimentName(newName)
        let n = try Self.parseExperimentId(id)
        try write(actor: actor) { tx in
            let exp = try Self.fetchExperiment(tx.db, id: n)
            guard exp.lifecycleStage == .active else {
                throw TrackingError(.invalidState, "Cannot rename a non-active experiment.")
            }
            if exp.name == newName { return }
            if try Bool.fetchOne(tx.db, sql: "SELECT EXISTS(SELECT 1 FROM experiments WHERE name = ?)", arguments: [newName]) ?? false {
                throw TrackingError(.resourceAlreadyExists, "Experiment(name=\(newName)) already exists.")
            }
            try tx.db.execute(sql: "UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?",
                              arguments: [newName, tx.now, n])
            try tx.appendAudit(entityKind: .experiment, entityId: id, action: .rename, details: ["from": exp.name, "to": newName])
        }
    }

    public func deleteExperiment(id: String, actor: String?) throws {
        try setExperimentStage(id: id, to: .deleted, actor: actor)
    }

    public func restoreExperiment(id: String, actor: String?) throws {
        try setExperimentStage(id: id, to: .active, actor: actor)
    }

    private func setExperimentStage(id: String, to stage: LifecycleStage, actor: String?) throws {
        let n = try Self.parseExperimentId(id)
        try write(actor: actor) { tx in
            let exp = try Self.fetchExperiment(tx.db, id: n)
            let expected: LifecycleStage = stage == .deleted ? .active : .deleted
            guard exp.lifecycleStage == expected else {
                throw TrackingError(.resourceDoesNotExist, "No \(expected.rawValue) experiment with id=\(id) exists")
            }
            try tx.db.execute(sql: "UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?",
                              arguments: [stage.rawValue, tx.now, n])
            try tx.db.execute(sql: "UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE experiment_id = ?",
                              arguments: [stage.rawValue, stage == .deleted ? tx.now : nil, n])
            try tx.appendAudit(entityKind: .experiment, entityId: id, action: stage == .deleted ? .delete : .restore,
                               details: ["name": exp.name])
        }
    }

    public func setExperimentTag(id: String, tag: ExperimentTag, actor: String?) throws {
        try EntityValidation.validateExperimentTag(tag)
        let n = try Self.parseExperimentId(id)
        try write(actor: actor) { tx in
            try Self.requireActive(try Self.fetchExperiment(tx.db, id: n))
            try tx.db.execute(sql: "INSERT OR REPLACE INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)",
                              arguments: [n, tag.key, tag.value])
            try tx.appendAudit(entityKind: .experiment, entityId: id, action: .setTag, details: ["key": tag.key, "value": tag.value])
        }
    }

    public func deleteExperimentTag(id: String, key: String, actor: String?) throws {
        let n = try Self.parseExperimentId(id)
        try write(actor: actor) { tx in
            try Self.requireActive(try Self.fetchExperiment(tx.db, id: n))
            try tx.db.execute(sql: "DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?", arguments: [n, key])
            guard tx.db.changesCount > 0 else {
                throw TrackingError(.resourceDoesNotExist, "No tag with name: \(key) in experiment with id \(id)")
            }
            try tx.appendAudit(entityKind: .experiment, entityId: id, action: .deleteTag, details: ["key": key])
        }
    }

    // MARK: Rows

    static func requireActive(_ exp: Experiment) throws {
        guard exp.lifecycleStage == .active else {
            throw TrackingError(.invalidParameterValue, "The experiment \(exp.experimentId) must be in the 'active' state. Current state is \(exp.lifecycleStage.rawValue).")
        }
    }

    static func fetchExperiment(_ db: Database, id: Int64) throws -> Experiment {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM experiments WHERE experiment_id = ?", arguments: [id]) else {
            throw TrackingError(.resourceDoesNotExist, "No Experiment with id=\(id) exists")
        }
        return try experiment(db, row: row)
    }

    static func experiment(_ db: Database, row: Row) throws -> Experiment {
        let id: Int64 = row["experiment_id"]
        let stageText: String = row["lifecycle_stage"]
        guard let stage = LifecycleStage(rawValue: stageText) else {
            throw TrackingError(.internalError, "experiment \(id) has an unknown lifecycle stage '\(stageText)'")
        }
        let tags = try Row.fetchAll(db, sql: "SELECT key, value FROM experiment_tags WHERE experiment_id = ? ORDER BY key", arguments: [id])
            .map { ExperimentTag(key: $0["key"], value: $0["value"]) }
        return Experiment(experimentId: String(id), name: row["name"], artifactLocation: row["artifact_location"],
                          lifecycleStage: stage, creationTime: row["creation_time"], lastUpdateTime: row["last_update_time"], tags: tags)
    }
}
