import GRDB

extension SQLiteTrackingStore {
    public func createRun(experimentId: String, userId: String?, runName: String?, startTime: Int64?, tags: [RunTag],
                          actor: String?) throws -> Run {
        let expId = try Self.parseExperimentId(experimentId)
        for (i, t) in tags.enumerated() { try EntityValidation.validateRunTag(t, field: "tags[\(i)]") }
        let tagName = tags.last { $0.key == RunTag.runNameKey }?.value
        if let runName, !runName.isEmpty, let tagName, tagName != runName {
            throw TrackingError(.invalidParameterValue, "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='\(runName)', mlflow.runName='\(tagName)').")
        }
        let name = runName.flatMap { $0.isEmpty ? nil : $0 } ?? tagName ?? randomRunName()
        let runId = Self.newRunId()
        try write(actor: actor) { tx in
            let exp = try Self.fetchExperiment(tx.db, id: expId)
            try Self.requireActive(exp)
            let user = userId.flatMap { $0.isEmpty ? nil : $0 } ?? tx.actor
            let start = startTime ?? tx.now
            let artifactUri = "\(exp.artifactLocation)/\(runId)/artifacts"
            try tx.db.execute(sql: """
                INSERT INTO runs (run_id, experiment_id, run_name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage)
                VALUES (?, ?, ?, ?, 'RUNNING', ?, NULL, ?, 'active')
                """, arguments: [runId, expId, name, user, start, artifactUri])
            var all = tags.filter { $0.key != RunTag.runNameKey }
            all.append(RunTag(key: RunTag.runNameKey, value: name))
            for t in all {
                try tx.db.execute(sql: "INSERT OR REPLACE INTO run_tags (run_id, key, value) VALUES (?, ?, ?)",
                                  arguments: [runId, t.key, t.value])
            }
            var details = ["experiment_id": experimentId, "run_name": name]
            if let parent = tags.last(where: { $0.key == RunTag.parentRunIdKey }) { details["parent_run_id"] = parent.value }
            try tx.appendAudit(entityKind: .run, entityId: runId, action: .create, details: details)
        }
        return try getRun(id: runId)
    }

    public func getRun(id: String) throws -> Run {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE run_id = ?", arguments: [id]) else {
                throw TrackingError(.resourceDoesNotExist, "Run with id=\(id) not found")
            }
            let info = try Self.runInfo(row)
            return try Self.loadRuns(db, infos: [info])[0]
        }
    }

    @discardableResult
    public func updateRun(id: String, status: RunStatus?, endTime: Int64?, runName: String?, actor: String?) throws -> RunInfo {
        if let runName, !runName.isEmpty { try EntityValidation.validateRunTag(RunTag(key: RunTag.runNameKey, value: runName), field: "run_name") }
        return try write(actor: actor) { tx in
            var info = try Self.fetchActiveRunInfo(tx.db, id: id)
            var details: [String: String] = [:]
            if let status {
                details["status"] = status.rawValue
                info.status = status
            }
            if let endTime {
                details["end_time"] = String(endTime)
                info.endTime = endTime
            }
            if let runName, !runName.isEmpty {
                details["run_name"] = runName
                info.runName = runName
                try tx.db.execute(sql: "INSERT OR REPLACE INTO run_tags (run_id, key, value) VALUES (?, ?, ?)",
                                  arguments: [id, RunTag.runNameKey, runName])
            }
            try tx.db.execute(sql: "UPDATE runs SET status = ?, end_time = ?, run_name = ? WHERE run_id = ?",
                              arguments: [info.status.rawValue, info.endTime, info.runName, id])
            try tx.appendAudit(entityKind: .run, entityId: id, action: .update, details: details)
            return info
        }
    }

    public func deleteRun(id: String, actor: String?) throws {
        try write(actor: actor) { tx in
            _ = try Self.fetchRunInfo(tx.db, id: id)
            try tx.db.execute(sql: "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_id = ?", arguments: [tx.now, id])
            try tx.appendAudit(entityKind: .run, entityId: id, action: .delete)
        }
    }

    public func restoreRun(id: String, actor: String?) throws {
        try write(actor: actor) { tx in
            _ = try Self.fetchRunInfo(tx.db, id: id)
            try tx.db.execute(sql: "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_id = ?", arguments: [id])
            try tx.appendAudit(entityKind: .run, entityId: id, action: .restore)
        }
    }

    // MARK: Rows

    static func fetchRunInfo(_ db: Database, id: String) throws -> RunInfo {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE run_id = ?", arguments: [id]) else {
            throw TrackingError(.resourceDoesNotExist, "Run with id=\(id) not found")
        }
        return try runInfo(row)
    }

    /// The run, which must exist and be active (MLflow: INVALID_PARAMETER_VALUE otherwise).
    static func fetchActiveRunInfo(_ db: Database, id: String) throws -> RunInfo {
        let info = try fetchRunInfo(db, id: id)
        guard info.lifecycleStage == .active else {
            throw TrackingError(.invalidParameterValue, "The run \(id) must be in the 'active' state. Current state is \(info.lifecycleStage.rawValue).")
        }
        return info
    }

    static func runInfo(_ row: Row) throws -> RunInfo {
        let id: String = row["run_id"]
        let statusText: String = row["status"], stageText: String = row["lifecycle_stage"]
        guard let status = RunStatus(rawValue: statusText), let stage = LifecycleStage(rawValue: stageText) else {
            throw TrackingError(.internalError, "run \(id) has an unknown status '\(statusText)' or stage '\(stageText)'")
        }
        let exp: Int64 = row["experiment_id"]
        return RunInfo(runId: id, runName: row["run_name"], experimentId: String(exp), userId: row["user_id"], status: status,
                       startTime: row["start_time"], endTime: row["end_time"], artifactUri: row["artifact_uri"], lifecycleStage: stage)
    }

    /// Fills data, inputs and outputs for runs, a few bulk queries for all of them. `modelInputs`
    /// false leaves ``RunInputs/modelInputs`` empty, as MLflow's `runs/search` does (its `runs/get`
    /// fills them).
    static func loadRuns(_ db: Database, infos: [RunInfo], modelInputs: Bool = true) throws -> [Run] {
        guard !infos.isEmpty else { return [] }
        var metrics: [String: [Metric]] = [:], params: [String: [Param]] = [:], tags: [String: [RunTag]] = [:]
        var inputs: [String: [DatasetInput]] = [:]
        var modelOutputs: [String: [LoggedModelOutput]] = [:], modelIns: [String: [LoggedModelInput]] = [:]
        for chunk in stride(from: 0, to: infos.count, by: 500).map({ Array(infos[$0 ..< min(infos.count, $0 + 500)]) }) {
            let ids = chunk.map(\.runId)
            let marks = ids.map { _ in "?" }.joined(separator: ",")
            let args = StatementArguments(ids)
            let edges = try loadModelEdges(db, runIds: ids, inputs: modelInputs)
            modelOutputs.merge(edges.outputs) { a, _ in a }
            modelIns.merge(edges.inputs) { a, _ in a }
            for r in try Row.fetchAll(db, sql: "SELECT * FROM latest_metrics WHERE run_id IN (\(marks)) ORDER BY run_id, key", arguments: args) {
                metrics[r["run_id"], default: []].append(metric(r))
            }
            for r in try Row.fetchAll(db, sql: "SELECT run_id, key, value FROM params WHERE run_id IN (\(marks)) ORDER BY run_id, key", arguments: args) {
                params[r["run_id"], default: []].append(Param(key: r["key"], value: r["value"]))
            }
            for r in try Row.fetchAll(db, sql: "SELECT run_id, key, value FROM run_tags WHERE run_id IN (\(marks)) ORDER BY run_id, key", arguments: args) {
                tags[r["run_id"], default: []].append(RunTag(key: r["key"], value: r["value"]))
            }
            let inputRows = try Row.fetchAll(db, sql: """
                SELECT i.run_id, i.dataset_uuid, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
                FROM run_inputs i JOIN datasets d ON d.dataset_uuid = i.dataset_uuid
                WHERE i.run_id IN (\(marks)) ORDER BY i.run_id, i.seq
                """, arguments: args)
            if !inputRows.isEmpty {
                var inputTags: [String: [InputTag]] = [:]
                for r in try Row.fetchAll(db, sql: "SELECT run_id, dataset_uuid, key, value FROM run_input_tags WHERE run_id IN (\(marks)) ORDER BY key", arguments: args) {
                    let k: String = r["run_id"], d: String = r["dataset_uuid"]
                    inputTags[k + "/" + d, default: []].append(InputTag(key: r["key"], value: r["value"]))
                }
                for r in inputRows {
                    let k: String = r["run_id"], d: String = r["dataset_uuid"]
                    let ds = Dataset(name: r["name"], digest: r["digest"], sourceType: r["source_type"], source: r["source"],
                                     schema: r["schema"], profile: r["profile"])
                    inputs[k, default: []].append(DatasetInput(dataset: ds, tags: inputTags[k + "/" + d] ?? []))
                }
            }
        }
        return infos.map { info in
            Run(info: info,
                data: RunData(metrics: metrics[info.runId] ?? [], params: params[info.runId] ?? [], tags: tags[info.runId] ?? []),
                inputs: RunInputs(datasetInputs: inputs[info.runId] ?? [], modelInputs: modelIns[info.runId] ?? []),
                outputs: RunOutputs(modelOutputs: modelOutputs[info.runId] ?? []))
        }
    }

    static func metric(_ r: Row) -> Metric {
        let isNaN: Bool = r["is_nan"]
        let value: Double = r["value"]
        return Metric(key: r["key"], value: isNaN ? .nan : value, timestamp: r["timestamp"], step: r["step"])
    }
}
