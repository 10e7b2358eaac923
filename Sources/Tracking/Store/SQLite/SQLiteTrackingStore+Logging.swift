import Foundation
import GRDB

extension SQLiteTrackingStore {
    public func logMetric(runId: String, metric: Metric, actor: String?) throws {
        try EntityValidation.validateMetric(metric)
        try write(actor: actor) { tx in
            _ = try Self.fetchActiveRunInfo(tx.db, id: runId)
            try Self.insertMetrics(tx.db, runId: runId, [metric])
            try tx.appendAudit(entityKind: .run, entityId: runId, action: .logMetric,
                               detailsJSON: StoreWriteContext.json(AuditMetric(metric)))
        }
    }

    public func logParam(runId: String, param: Param, actor: String?) throws {
        try EntityValidation.validateParam(param)
        try write(actor: actor) { tx in
            _ = try Self.fetchActiveRunInfo(tx.db, id: runId)
            if try Self.insertParams(tx.db, runId: runId, [param]) > 0 {
                try tx.appendAudit(entityKind: .run, entityId: runId, action: .logParam, details: ["key": param.key, "value": param.value])
            }
        }
    }

    public func setTag(runId: String, tag: RunTag, actor: String?) throws {
        try EntityValidation.validateRunTag(tag)
        try write(actor: actor) { tx in
            _ = try Self.fetchActiveRunInfo(tx.db, id: runId)
            try Self.insertTags(tx.db, runId: runId, [tag])
            try tx.appendAudit(entityKind: .run, entityId: runId, action: .setTag, details: ["key": tag.key, "value": tag.value])
        }
    }

    public func deleteTag(runId: String, key: String, actor: String?) throws {
        try write(actor: actor) { tx in
            _ = try Self.fetchActiveRunInfo(tx.db, id: runId)
            try tx.db.execute(sql: "DELETE FROM run_tags WHERE run_id = ? AND key = ?", arguments: [runId, key])
            guard tx.db.changesCount > 0 else {
                throw TrackingError(.resourceDoesNotExist, "No tag with name: \(key) in run with id \(runId)")
            }
            try tx.appendAudit(entityKind: .run, entityId: runId, action: .deleteTag, details: ["key": key])
        }
    }

    public func logBatch(runId: String, metrics: [Metric], params: [Param], tags: [RunTag], actor: String?) throws {
        try EntityValidation.validateBatch(metrics: metrics, params: params, tags: tags)
        if metrics.isEmpty && params.isEmpty && tags.isEmpty { return }
        try write(actor: actor) { tx in
            _ = try Self.fetchActiveRunInfo(tx.db, id: runId)
            _ = try Self.insertParams(tx.db, runId: runId, params)
            try Self.insertMetrics(tx.db, runId: runId, metrics)
            try Self.insertTags(tx.db, runId: runId, tags)
            try tx.appendAudit(entityKind: .run, entityId: runId, action: .logBatch,
                               detailsJSON: StoreWriteContext.json(AuditBatch(metrics: metrics, params: params, tags: tags)))
        }
    }

    public func logInputs(runId: String, datasets: [DatasetInput], actor: String?) throws {
        for (i, d) in datasets.enumerated() { try EntityValidation.validateDatasetInput(d, field: "datasets[\(i)]") }
        if datasets.isEmpty { return }
        try write(actor: actor) { tx in
            let db = tx.db
            let info = try Self.fetchActiveRunInfo(db, id: runId)
            var seen = Set<[String]>()
            var logged: [String] = []
            for input in datasets where seen.insert([input.dataset.name, input.dataset.digest]).inserted {
                let d = input.dataset
                let uuid: String
                if let existing = try String.fetchOne(db, sql: "SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?",
                                                      arguments: [info.experimentId, d.name, d.digest]) {
                    uuid = existing
                } else {
                    uuid = Self.newRunId()
                    try db.execute(sql: """
                        INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, source_type, source, schema, profile)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [uuid, info.experimentId, d.name, d.digest, d.sourceType, d.source, d.schema, d.profile])
                }
                let seq = (try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM run_inputs WHERE run_id = ?", arguments: [runId]) ?? -1) + 1
                try db.execute(sql: "INSERT OR IGNORE INTO run_inputs (run_id, dataset_uuid, seq) VALUES (?, ?, ?)", arguments: [runId, uuid, seq])
                for t in input.tags {
                    try db.execute(sql: "INSERT OR REPLACE INTO run_input_tags (run_id, dataset_uuid, key, value) VALUES (?, ?, ?, ?)",
                                   arguments: [runId, uuid, t.key, t.value])
                }
                logged.append("\(d.name)@\(d.digest)")
            }
            try tx.appendAudit(entityKind: .run, entityId: runId, action: .logInputs, detailsJSON: StoreWriteContext.json(["datasets": logged]))
        }
    }

    public func getMetricHistory(runId: String, key: String) throws -> [Metric] {
        try read { db in
            _ = try Self.fetchRunInfo(db, id: runId)
            return try Row.fetchAll(db, sql: """
                SELECT key, value, is_nan, timestamp, step FROM metrics WHERE run_id = ? AND key = ?
                ORDER BY step, timestamp, seq
                """, arguments: [runId, key]).map(Self.metric)
        }
    }

    // MARK: Writes inside a transaction

    /// Inserts new params; an existing key with the same value is a no-op, with another value the
    /// whole transaction fails (INVALID_PARAMETER_VALUE). Returns how many were new.
    static func insertParams(_ db: Database, runId: String, _ params: [Param]) throws -> Int {
        try insertWriteOnce(db, table: "params", ownerColumn: "run_id", ownerId: runId, owner: "run ID",
                            params.map { ($0.key, $0.value) })
    }

    /// Write-once key/value rows of one owner (a run's or a logged model's params), as MLflow
    /// keeps params: a key already there with the same value is a no-op, with another value the
    /// whole transaction fails (INVALID_PARAMETER_VALUE, every conflict named). `table` and
    /// `ownerColumn` are the store's own names, never input. Returns how many rows were new.
    static func insertWriteOnce(_ db: Database, table: String, ownerColumn: String, ownerId: String, owner: String,
                                _ pairs: [(key: String, value: String)]) throws -> Int {
        guard !pairs.isEmpty else { return 0 }
        var conflicts: [String] = []
        var inserted = 0
        for p in pairs {
            if let old = try String.fetchOne(db, sql: "SELECT value FROM \(table) WHERE \(ownerColumn) = ? AND key = ?", arguments: [ownerId, p.key]) {
                if old != p.value { conflicts.append("key='\(p.key)' old_value='\(old)' new_value='\(p.value)'") }
                continue
            }
            try db.execute(sql: "INSERT INTO \(table) (\(ownerColumn), key, value) VALUES (?, ?, ?)", arguments: [ownerId, p.key, p.value])
            inserted += 1
        }
        if !conflicts.isEmpty {
            throw TrackingError(.invalidParameterValue, "Changing param values is not allowed. Params were already logged for \(owner)='\(ownerId)': \(conflicts.joined(separator: "; ")).")
        }
        return inserted
    }

    /// Appends history points (an identical point is stored once) and moves each key's latest
    /// value forward when a point is newer by (step, timestamp, value).
    static func insertMetrics(_ db: Database, runId: String, _ metrics: [Metric]) throws {
        guard !metrics.isEmpty else { return }
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO metrics (run_id, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)
            """)
        var newest: [String: Metric] = [:]
        for m in metrics {
            let nan = m.value.isNaN
            try insert.execute(arguments: [runId, m.key, nan ? 0.0 : m.value, nan ? 1 : 0, m.timestamp, m.step])
            if let cur = newest[m.key], !m.isNewer(than: cur) { continue }
            newest[m.key] = m
        }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO latest_metrics (run_id, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan,
                timestamp = excluded.timestamp, step = excluded.step
            WHERE (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)
            """)
        for m in newest.values {
            let nan = m.value.isNaN
            try upsert.execute(arguments: [runId, m.key, nan ? 0.0 : m.value, nan ? 1 : 0, m.timestamp, m.step])
        }
    }

    /// Sets tags (last value wins); `mlflow.runName` also renames the run.
    static func insertTags(_ db: Database, runId: String, _ tags: [RunTag]) throws {
        for t in tags {
            try db.execute(sql: "INSERT OR REPLACE INTO run_tags (run_id, key, value) VALUES (?, ?, ?)", arguments: [runId, t.key, t.value])
            if t.key == RunTag.runNameKey {
                try db.execute(sql: "UPDATE runs SET run_name = ? WHERE run_id = ?", arguments: [t.value, runId])
            }
        }
    }
}

/// Audit details of one metric point (NaN/inf spelled as MLflow's JSON does).
struct AuditMetric: Encodable {
    var key: String, value: Double, timestamp: Int64, step: Int64
    init(_ m: Metric) {
        key = m.key
        value = m.value
        timestamp = m.timestamp
        step = m.step
    }
}

/// Audit details of a batch: counts, param and tag keys, metric keys (not every point).
struct AuditBatch: Encodable {
    var metrics: Int, metricKeys: [String], params: [String: String], tags: [String: String]
    init(metrics: [Metric], params: [Param], tags: [RunTag]) {
        self.metrics = metrics.count
        metricKeys = Array(Set(metrics.map(\.key))).sorted()
        self.params = Dictionary(params.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        self.tags = Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b })
    }

    enum CodingKeys: String, CodingKey { case metrics, metricKeys = "metric_keys", params, tags }
}
