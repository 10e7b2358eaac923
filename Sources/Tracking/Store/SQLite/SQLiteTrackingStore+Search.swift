import GRDB

extension SQLiteTrackingStore {
    /// The column names of this store's schema for ``RunSearchSQL`` (MLflow calls the id column
    /// `run_uuid`, the name `name` and the tags table `tags`; ours are `run_id`, `run_name`,
    /// `run_tags`). Dataset inputs come from the `run_dataset_inputs` common table expression
    /// ``datasetInputsCTE``.
    static let searchSQL: RunSearchSQL = {
        var schema = RunSearchSQL.Schema()
        schema.runsAlias = "r"
        schema.runIDColumn = "run_id"
        schema.attributeColumns = [
            .runID: "run_id", .runName: "run_name", .status: "status", .userID: "user_id",
            .artifactURI: "artifact_uri", .startTime: "start_time", .endTime: "end_time",
        ]
        schema.latestMetricsTable = "latest_metrics"
        schema.paramsTable = "params"
        schema.tagsTable = "run_tags"
        schema.datasetInputsTable = "run_dataset_inputs"
        return RunSearchSQL(schema: schema)
    }()

    /// One row per dataset input of a run: name, digest and the `mlflow.data.context` input tag
    /// (NULL without one), the layout ``RunSearchSQL`` expects, built from `run_inputs`, `datasets`
    /// and `run_input_tags` (primary keys serve every join).
    static let datasetInputsCTE = """
        run_dataset_inputs(run_id, name, digest, context) AS (
            SELECT i.run_id, d.name, d.digest, t.value
            FROM run_inputs i
            JOIN datasets d ON d.dataset_uuid = i.dataset_uuid
            LEFT JOIN run_input_tags t ON t.run_id = i.run_id AND t.dataset_uuid = i.dataset_uuid AND t.key = '\(InputTag.contextKey)'
        )
        """

    /// Filters, orders and pages in SQL (``RunSearchSQL``: the filter's `EXISTS` tests, MLflow's
    /// ORDER BY with its `start_time DESC, run_id ASC` tail, `LIMIT maxResults + 1 OFFSET offset`),
    /// then loads the page's runs whole. Page tokens are MLflow's (``SearchPageToken``).
    public func searchRuns(_ query: RunQuery) throws -> Page<Run> {
        let search = try RunSearch(query)
        let expIds = try query.experimentIds.map(Self.parseExperimentId)
        guard !expIds.isEmpty else { return Page(items: [], nextPageToken: nil) }
        let stages = query.viewType.stages.map(\.rawValue).sorted()
        let offset = min(search.offset, Int(Int32.max))   // so that offset + maxResults cannot overflow
        let (statement, args) = Self.searchStatement(search, experimentIds: expIds, stages: stages, offset: offset)
        let (runs, more) = try read { db -> ([Run], Bool) in
            let infos = try Row.fetchAll(db, sql: statement, arguments: args).map(Self.runInfo)
            let more = infos.count > search.maxResults
            return (try Self.loadRuns(db, infos: Array(infos.prefix(search.maxResults)), modelInputs: false), more)
        }
        return Page(items: runs, nextPageToken: more ? search.nextPageToken(after: offset + search.maxResults) : nil)
    }

    /// `SELECT r.* FROM runs r WHERE <experiments> AND <stages> AND <filter> ORDER BY <ordering>
    /// LIMIT maxResults + 1 OFFSET offset` (one row more than the page tells whether another follows).
    static func searchStatement(_ search: RunSearch, experimentIds: [Int64], stages: [String], offset: Int)
        -> (sql: String, arguments: StatementArguments) {
        let (whereSQL, whereArgs) = searchSQL.whereClause(for: search.filter)
        let (orderSQL, orderArgs) = searchSQL.orderByClause(for: search.ordering)
        let usesDatasets = search.filter.clauses.contains { $0.entity == .dataset }
        let statement = """
            \(usesDatasets ? "WITH " + datasetInputsCTE : "")
            SELECT r.* FROM runs r
            WHERE r.experiment_id IN (\(experimentIds.map { _ in "?" }.joined(separator: ",")))
              AND r.lifecycle_stage IN (\(stages.map { _ in "?" }.joined(separator: ",")))
              AND \(whereSQL)
            ORDER BY \(orderSQL)
            LIMIT ? OFFSET ?
            """
        var args = StatementArguments(experimentIds)
        args += StatementArguments(stages)
        args += StatementArguments(whereArgs)
        args += StatementArguments(orderArgs)
        args += [search.maxResults + 1, offset]
        return (statement, args)
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
