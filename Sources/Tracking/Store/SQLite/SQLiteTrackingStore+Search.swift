import GRDB

extension SQLiteTrackingStore {
    /// Loads the runs of the experiments in the view, applies the filter and the order in memory
    /// (``RunSort``), then pages by offset; the total order makes pages stable.
    public func searchRuns(_ query: RunQuery) throws -> Page<Run> {
        try PageToken.validateMaxResults(query.maxResults)
        let offset = try PageToken.decode(query.pageToken)
        let expIds = try query.experimentIds.map(Self.parseExperimentId)
        guard !expIds.isEmpty else { return Page(items: [], nextPageToken: nil) }
        let stages = query.viewType.stages.map(\.rawValue).sorted()
        let runs = try read { db -> [Run] in
            let sql = """
                SELECT * FROM runs WHERE experiment_id IN (\(expIds.map { _ in "?" }.joined(separator: ",")))
                AND lifecycle_stage IN (\(stages.map { _ in "?" }.joined(separator: ",")))
                """
            var args = StatementArguments(expIds)
            args += StatementArguments(stages)
            let infos = try Row.fetchAll(db, sql: sql, arguments: args).map(Self.runInfo)
            return try Self.loadRuns(db, infos: infos)
        }
        let kept = query.filter.map { f in runs.filter(f.matches) } ?? runs
        let sorted = try RunSort.sort(kept, by: query.orderBy)
        guard offset < sorted.count else { return Page(items: [], nextPageToken: nil) }
        let end = min(sorted.count, offset + query.maxResults)
        return Page(items: Array(sorted[offset ..< end]), nextPageToken: end < sorted.count ? PageToken.encode(offset: end) : nil)
    }

    public func audit(after: Int64?, limit: Int) throws -> [AuditEvent] {
        guard limit > 0 else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT ?", arguments: [after ?? 0, limit]).map { r in
                AuditEvent(id: r["id"], timestamp: r["timestamp"], actor: r["actor"], entityKind: AuditEntityKind(rawValue: r["entity_kind"]),
                           entityId: r["entity_id"], action: AuditAction(rawValue: r["action"]), details: r["details"])
            }
        }
    }

    @discardableResult
    public func appendAudit(entityKind: AuditEntityKind, entityId: String, action: AuditAction, details: String,
                            actor: String?) throws -> AuditEvent {
        try write(actor: actor) { tx in
            try tx.appendAudit(entityKind: entityKind, entityId: entityId, action: action, detailsJSON: details.isEmpty ? "{}" : details)
        }
    }
}
