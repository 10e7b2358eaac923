import Foundation
import GRDB

extension SQLiteTrackingStore: LoggedModelStore {
    static let invalidModelNameCharacters: [Character] = ["/", ":", ".", "%", "\"", "'"]

    public func createLoggedModel(experimentId: String, name: String?, modelType: String?, sourceRunId: String?,
                                  params: [LoggedModelParameter], tags: [LoggedModelTag], actor: String?) throws -> LoggedModel {
        let expId = try Self.parseExperimentId(experimentId)
        if let name, !name.isEmpty, name.contains(where: Self.invalidModelNameCharacters.contains) {
            throw TrackingError(.invalidParameterValue, "Invalid model name ('\(name)') provided. Model name must be a non-empty string and cannot contain the following characters: ('/', ':', '.', '%', '\"', \"'\")")
        }
        try Self.validateModelEntries(params.map { ($0.key, $0.value) }, field: "params")
        try Self.validateModelEntries(tags.map { ($0.key, $0.value) }, field: "tags")
        let modelName = name.flatMap { $0.isEmpty ? nil : $0 } ?? randomRunName()
        let modelId = "m-" + Self.newRunId()
        try write(actor: actor) { tx in
            let exp = try Self.fetchExperiment(tx.db, id: expId)
            try Self.requireActive(exp)
            let location = "\(exp.artifactLocation)/models/\(modelId)/artifacts"
            try tx.db.execute(sql: """
                INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms,
                    last_updated_timestamp_ms, status, lifecycle_stage, model_type, source_run_id, status_message)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, NULL)
                """, arguments: [modelId, expId, modelName, location, tx.now, tx.now, LoggedModelStatus.pending.number,
                                 modelType ?? "", sourceRunId ?? ""])
            _ = try Self.insertModelParams(tx.db, modelId: modelId, params)
            try Self.upsertModelTags(tx.db, modelId: modelId, tags)
            var details = ["experiment_id": experimentId, "name": modelName]
            if let sourceRunId, !sourceRunId.isEmpty { details["source_run_id"] = sourceRunId }
            try tx.appendAudit(entityKind: .loggedModel, entityId: modelId, action: .create, details: details)
        }
        return try getLoggedModel(id: modelId, allowDeleted: false)
    }

    public func getLoggedModel(id: String, allowDeleted: Bool) throws -> LoggedModel {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM logged_models WHERE model_id = ?", arguments: [id]),
                  allowDeleted || (row["lifecycle_stage"] as String) == LifecycleStage.active.rawValue else {
                throw Self.modelNotFound(id)
            }
            return try Self.loadLoggedModels(db, rows: [row])[0]
        }
    }

    @discardableResult
    public func finalizeLoggedModel(id: String, status: LoggedModelStatus, actor: String?) throws -> LoggedModel {
        try write(actor: actor) { tx in
            try Self.requireModel(tx.db, id: id)
            try tx.db.execute(sql: "UPDATE logged_models SET status = ?, last_updated_timestamp_ms = ? WHERE model_id = ?",
                              arguments: [status.number, tx.now, id])
            try tx.appendAudit(entityKind: .loggedModel, entityId: id, action: .finalize, details: ["status": status.rawValue])
        }
        return try getLoggedModel(id: id, allowDeleted: true)
    }

    public func deleteLoggedModel(id: String, actor: String?) throws {
        try write(actor: actor) { tx in
            try Self.requireModel(tx.db, id: id)
            try tx.db.execute(sql: "UPDATE logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp_ms = ? WHERE model_id = ?",
                              arguments: [tx.now, id])
            try tx.appendAudit(entityKind: .loggedModel, entityId: id, action: .delete)
        }
    }

    public func setLoggedModelTags(id: String, tags: [LoggedModelTag], actor: String?) throws {
        try Self.validateModelEntries(tags.map { ($0.key, $0.value) }, field: "tags")
        try write(actor: actor) { tx in
            try Self.requireModel(tx.db, id: id)
            try Self.upsertModelTags(tx.db, modelId: id, tags)
            if !tags.isEmpty {
                let set = Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b })
                try tx.appendAudit(entityKind: .loggedModel, entityId: id, action: .setTag, detailsJSON: StoreWriteContext.json(set))
            }
        }
    }

    public func deleteLoggedModelTag(id: String, key: String, actor: String?) throws {
        try write(actor: actor) { tx in
            try Self.requireModel(tx.db, id: id)
            try tx.db.execute(sql: "DELETE FROM logged_model_tags WHERE model_id = ? AND key = ?", arguments: [id, key])
            guard tx.db.changesCount > 0 else {
                throw TrackingError(.resourceDoesNotExist, "No tag with key '\(key)' found for model with ID '\(id)'.")
            }
            try tx.appendAudit(entityKind: .loggedModel, entityId: id, action: .deleteTag, details: ["key": key])
        }
    }

    public func logLoggedModelParams(id: String, params: [LoggedModelParameter], actor: String?) throws {
        try Self.validateModelEntries(params.map { ($0.key, $0.value) }, field: "params")
        try write(actor: actor) { tx in
            try Self.requireModel(tx.db, id: id)
            if try Self.insertModelParams(tx.db, modelId: id, params) > 0 {
                let logged = Dictionary(params.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
                try tx.appendAudit(entityKind: .loggedModel, entityId: id, action: .logParam, detailsJSON: StoreWriteContext.json(logged))
            }
        }
    }

    public func logLoggedModelMetrics(runId: String, metrics: [LoggedModelMetric], actor: String?) throws {
        for (i, m) in metrics.enumerated() { try EntityValidation.validateMetric(m.metric, field: "metrics[\(i)]") }
        if metrics.isEmpty { return }
        try write(actor: actor) { tx in
            _ = try Self.fetchActiveRunInfo(tx.db, id: runId)
            for id in Set(metrics.map(\.modelId)).sorted() { try Self.requireModel(tx.db, id: id) }
            let insert = try tx.db.cachedStatement(sql: """
                INSERT OR IGNORE INTO logged_model_metrics (model_id, run_id, key, value, is_nan, timestamp, step, dataset_name, dataset_digest)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for m in metrics {
                let nan = m.metric.value.isNaN
                try insert.execute(arguments: [m.modelId, runId, m.metric.key, nan ? 0.0 : m.metric.value, nan ? 1 : 0,
                                               m.metric.timestamp, m.metric.step, m.datasetName, m.datasetDigest])
            }
            for (modelId, points) in Dictionary(grouping: metrics, by: \.modelId).sorted(by: { $0.key < $1.key }) {
                try tx.appendAudit(entityKind: .loggedModel, entityId: modelId, action: .logMetric,
                                   detailsJSON: StoreWriteContext.json(["run_id": runId, "keys": Array(Set(points.map(\.metric.key))).sorted().joined(separator: ",")]))
            }
        }
    }

    public func logOutputs(runId: String, models: [LoggedModelOutput], actor: String?) throws {
        for (i, m) in models.enumerated() where m.modelId.isEmpty {
            throw TrackingError(.invalidParameterValue, "Missing value for required parameter 'models[\(i)].model_id'")
        }
        try write(actor: actor) { tx in
            _ = try Self.fetchActiveRunInfo(tx.db, id: runId)
            for m in models {
                try tx.db.execute(sql: "INSERT OR IGNORE INTO run_model_outputs (run_id, model_id, step) VALUES (?, ?, ?)",
                                  arguments: [runId, m.modelId, m.step])
            }
            if models.isEmpty { return }
            try tx.appendAudit(entityKind: .run, entityId: runId, action: .logOutputs,
                               detailsJSON: StoreWriteContext.json(["models": models.map(\.modelId)]))
        }
    }

    public func logModelInputs(runId: String, models: [LoggedModelInput], actor: String?) throws {
        for (i, m) in models.enumerated() where m.modelId.isEmpty {
            throw TrackingError(.invalidParameterValue, "Missing value for required parameter 'models[\(i)].model_id'")
        }
        try write(actor: actor) { tx in
            _ = try Self.fetchActiveRunInfo(tx.db, id: runId)
            for m in models {
                try tx.db.execute(sql: "INSERT OR IGNORE INTO run_model_inputs (run_id, model_id) VALUES (?, ?)", arguments: [runId, m.modelId])
            }
            if models.isEmpty { return }
            try tx.appendAudit(entityKind: .run, entityId: runId, action: .logInputs,
                               detailsJSON: StoreWriteContext.json(["models": models.map(\.modelId)]))
        }
    }

    // MARK: Rows

    static func modelNotFound(_ id: String) -> TrackingError {
        TrackingError(.resourceDoesNotExist, "Logged model with ID '\(id)' not found.")
    }

    /// The model must exist (deleted or not, as MLflow's `_get_logged_model_record`).
    static func requireModel(_ db: Database, id: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM logged_models WHERE model_id = ?)", arguments: [id]) == true else {
            throw modelNotFound(id)
        }
    }

    static func validateModelEntries(_ entries: [(String, String)], field: String) throws {
        for (i, e) in entries.enumerated() where e.0.isEmpty {
            throw TrackingError(.invalidParameterValue, "Missing value for required parameter '\(field)[\(i)].key'")
        }
    }

    static func upsertModelTags(_ db: Database, modelId: String, _ tags: [LoggedModelTag]) throws {
        for t in tags {
            try db.execute(sql: "INSERT OR REPLACE INTO logged_model_tags (model_id, key, value) VALUES (?, ?, ?)", arguments: [modelId, t.key, t.value])
        }
    }

    /// Write-once params, as ``insertParams(_:runId:_:)`` for runs; returns how many were new.
    static func insertModelParams(_ db: Database, modelId: String, _ params: [LoggedModelParameter]) throws -> Int {
        try insertWriteOnce(db, table: "logged_model_params", ownerColumn: "model_id", ownerId: modelId, owner: "logged model ID",
                            params.map { ($0.key, $0.value) })
    }

    /// Whole models (tags, params, metrics) for `logged_models` rows, a few bulk queries.
    static func loadLoggedModels(_ db: Database, rows: [Row]) throws -> [LoggedModel] {
        guard !rows.isEmpty else { return [] }
        var tags: [String: [LoggedModelTag]] = [:], params: [String: [LoggedModelParameter]] = [:]
        var metrics: [String: [LoggedModelMetric]] = [:]
        let ids: [String] = rows.map { $0["model_id"] }
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start ..< min(ids.count, start + 500)])
            let marks = chunk.map { _ in "?" }.joined(separator: ",")
            let args = StatementArguments(chunk)
            for r in try Row.fetchAll(db, sql: "SELECT model_id, key, value FROM logged_model_tags WHERE model_id IN (\(marks)) ORDER BY model_id, key", arguments: args) {
                tags[r["model_id"], default: []].append(LoggedModelTag(key: r["key"], value: r["value"]))
            }
            for r in try Row.fetchAll(db, sql: "SELECT model_id, key, value FROM logged_model_params WHERE model_id IN (\(marks)) ORDER BY model_id, key", arguments: args) {
                params[r["model_id"], default: []].append(LoggedModelParameter(key: r["key"], value: r["value"]))
            }
            for r in try Row.fetchAll(db, sql: "SELECT * FROM logged_model_metrics WHERE model_id IN (\(marks)) ORDER BY seq", arguments: args) {
                metrics[r["model_id"], default: []].append(LoggedModelMetric(modelId: r["model_id"], metric: metric(r), runId: r["run_id"],
                                                                             datasetName: r["dataset_name"], datasetDigest: r["dataset_digest"]))
            }
        }
        return try rows.map { r in
            let id: String = r["model_id"], exp: Int64 = r["experiment_id"]
            let statusNumber: Int = r["status"], stageText: String = r["lifecycle_stage"]
            guard let status = LoggedModelStatus(number: statusNumber), let stage = LifecycleStage(rawValue: stageText) else {
                throw TrackingError(.internalError, "logged model \(id) has an unknown status \(statusNumber) or stage '\(stageText)'")
            }
            return LoggedModel(modelId: id, experimentId: String(exp), name: r["name"], artifactUri: r["artifact_location"],
                               creationTimestamp: r["creation_timestamp_ms"], lastUpdatedTimestamp: r["last_updated_timestamp_ms"],
                               status: status, statusMessage: r["status_message"], modelType: r["model_type"],
                               sourceRunId: r["source_run_id"], lifecycleStage: stage, tags: tags[id] ?? [], params: params[id] ?? [],
                               metrics: metrics[id] ?? [])
        }
    }

    /// The model edges of runs: outputs (model id, step) and inputs, each ordered by model id.
    static func loadModelEdges(_ db: Database, runIds: [String], inputs: Bool)
        throws -> (outputs: [String: [LoggedModelOutput]], inputs: [String: [LoggedModelInput]]) {
        var outs: [String: [LoggedModelOutput]] = [:], ins: [String: [LoggedModelInput]] = [:]
        guard !runIds.isEmpty else { return (outs, ins) }
        let marks = runIds.map { _ in "?" }.joined(separator: ",")
        let args = StatementArguments(runIds)
        for r in try Row.fetchAll(db, sql: "SELECT run_id, model_id, step FROM run_model_outputs WHERE run_id IN (\(marks)) ORDER BY run_id, model_id", arguments: args) {
            outs[r["run_id"], default: []].append(LoggedModelOutput(modelId: r["model_id"], step: r["step"]))
        }
        if inputs {
            for r in try Row.fetchAll(db, sql: "SELECT run_id, model_id FROM run_model_inputs WHERE run_id IN (\(marks)) ORDER BY run_id, model_id", arguments: args) {
                ins[r["run_id"], default: []].append(LoggedModelInput(modelId: r["model_id"]))
            }
        }
        return (outs, ins)
    }
}
