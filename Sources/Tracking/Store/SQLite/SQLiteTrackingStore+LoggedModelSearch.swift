import GRDB

extension SQLiteTrackingStore {
    /// Filters, orders and pages logged models in SQL, as MLflow's SQL store does: attribute
    /// clauses on `logged_models` columns (`status` compares its enum name, or its number written
    /// as text), `EXISTS` tests on tags and params, a metric clause holds when any point of the
    /// metric (on the given datasets, if any) satisfies it; ORDER BY the given fields (missing
    /// values last), then `creation_timestamp DESC, model_id ASC`; `LIMIT maxResults + 1`.
    public func searchLoggedModels(_ query: LoggedModelQuery) throws -> Page<LoggedModel> {
        let offset = min(try query.offset(), Int(Int32.max))
        let expIds = try query.experimentIds.map(Self.parseExperimentId)
        guard !expIds.isEmpty else { return Page(items: [], nextPageToken: nil) }
        var args: [DatabaseValue] = expIds.map(\.databaseValue)
        var conditions = ["lm.experiment_id IN (\(expIds.map { _ in "?" }.joined(separator: ",")))", "lm.lifecycle_stage = 'active'"]
        let (datasetSQL, datasetArgs) = Self.datasetCondition(query.datasets, alias: "m")
        var hasMetricClause = false
        for clause in query.filter.clauses {
            let (sql, a) = Self.loggedModelPredicate(clause, datasets: (datasetSQL, datasetArgs))
            if clause.entity == .metric { hasMetricClause = true }
            conditions.append(sql)
            args += a
        }
        if let datasetSQL, !hasMetricClause {
            conditions.append("EXISTS (SELECT 1 FROM logged_model_metrics m WHERE m.model_id = lm.model_id AND \(datasetSQL))")
            args += datasetArgs
        }
        let (orderSQL, orderArgs) = try Self.loggedModelOrder(query.orderBy)
        let limit = min(query.maxResults, Int(Int32.max) - offset) + 1
        let sql = """
            SELECT lm.* FROM logged_models lm
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(orderSQL)
            LIMIT ? OFFSET ?
            """
        let all = StatementArguments(args + orderArgs + [limit.databaseValue, offset.databaseValue])
        let (models, more) = try read { db -> ([LoggedModel], Bool) in
            let rows = try Row.fetchAll(db, sql: sql, arguments: all)
            return (try Self.loadLoggedModels(db, rows: Array(rows.prefix(query.maxResults))), rows.count > query.maxResults)
        }
        return Page(items: models, nextPageToken: more ? LoggedModelPageToken(query: query, offset: offset + query.maxResults).encoded : nil)
    }

    /// `(m.dataset_name = ? [AND m.dataset_digest = ?]) OR …`, nil without dataset filters.
    static func datasetCondition(_ datasets: [LoggedModelDatasetFilter], alias: String) -> (String?, [DatabaseValue]) {
        guard !datasets.isEmpty else { return (nil, []) }
        var parts: [String] = [], args: [DatabaseValue] = []
        for d in datasets {
            if let digest = d.datasetDigest {
                parts.append("(\(alias).dataset_name = ? AND \(alias).dataset_digest = ?)")
                args += [d.datasetName.databaseValue, digest.databaseValue]
            } else {
                parts.append("(\(alias).dataset_name = ?)")
                args.append(d.datasetName.databaseValue)
            }
        }
        return ("(" + parts.joined(separator: " OR ") + ")", args)
    }

    /// The SQL expression of a string attribute of ``SearchGrammar/loggedModels``.
    static func loggedModelColumn(_ key: String) -> String? {
        switch key {
        case "name", "model_id", "model_type", "source_run_id", "artifact_location", "status_message": return "lm.\(key)"
        case "experiment_id": return "CAST(lm.experiment_id AS TEXT)"
        case "status":
            let cases = LoggedModelStatus.allCases.map { "WHEN \($0.number) THEN '\($0.rawValue)'" }.joined(separator: " ")
            return "(CASE lm.status \(cases) END)"
        case "creation_timestamp": return "lm.creation_timestamp_ms"
        case "last_updated_timestamp": return "lm.last_updated_timestamp_ms"
        default: return nil
        }
    }

    static func loggedModelPredicate(_ clause: RunFilterClause, datasets: (String?, [DatabaseValue])) -> (String, [DatabaseValue]) {
        let sql = searchSQL
        switch clause.entity {
        case .attribute:
            guard let column = loggedModelColumn(clause.key) else { return ("0", []) }
            if case .number(let d) = clause.value {
                return ("(\(column) IS NOT NULL AND \(column) \(RunSearchSQL.numericOperator(clause.comparator)) ?)", [d.databaseValue])
            }
            var clause = clause
            if clause.key == "status" {   // `status = '2'` means LOGGED_MODEL_READY
                func name(_ s: String) -> String { Int(s).flatMap(LoggedModelStatus.init(number:))?.rawValue ?? s }
                switch clause.value {
                case .string(let s) where clause.comparator == .equal || clause.comparator == .notEqual: clause.value = .string(name(s))
                case .list(let items): clause.value = .list(items.map(name))
                default: break
                }
            }
            let (test, args) = sql.stringPredicate(column, clause)
            return ("(\(column) IS NOT NULL AND \(test))", args)
        case .parameter, .tag:
            let table = clause.entity == .parameter ? "logged_model_params" : "logged_model_tags"
            let (test, args) = sql.stringPredicate("kv.value", clause)
            return ("EXISTS (SELECT 1 FROM \(table) kv WHERE kv.model_id = lm.model_id AND kv.key = ? AND \(test))",
                    [clause.key.databaseValue] + args)
        case .metric:
            guard case .number(let d) = clause.value else { return ("0", []) }
            let valueTest = clause.comparator == .notEqual
                ? "(m.is_nan <> 0 OR m.value <> ?)"
                : "(m.is_nan = 0 AND m.value \(RunSearchSQL.numericOperator(clause.comparator)) ?)"
            var text = "EXISTS (SELECT 1 FROM logged_model_metrics m WHERE m.model_id = lm.model_id AND m.key = ? AND \(valueTest)"
            var args: [DatabaseValue] = [clause.key.databaseValue, d.databaseValue]
            if let datasetSQL = datasets.0 {
                text += " AND \(datasetSQL)"
                args += datasets.1
            }
            return (text + ")", args)
        case .dataset:
            return ("0", [])
        }
    }

    /// ORDER BY terms: each field with missing values last, then MLflow's tail
    /// `creation_timestamp_ms DESC` and `model_id ASC` unless given.
    static func loggedModelOrder(_ orderBy: [LoggedModelOrderBy]) throws -> (String, [DatabaseValue]) {
        var terms: [String] = [], args: [DatabaseValue] = []
        var hasCreation = false, hasModelId = false
        for o in orderBy {
            let dir = o.ascending ? "ASC" : "DESC"
            switch try o.target() {
            case .attribute(let column):
                if column == "creation_timestamp_ms" { hasCreation = true }
                if column == "model_id" { hasModelId = true }
                let c = column == "experiment_id" ? "lm.experiment_id" : "lm.\(RunSearchSQL.quote(column))"
                terms += ["(\(c) IS NULL) ASC", "\(c) \(dir)"]
            case .metric(let key):
                var filter = "m.model_id = lm.model_id AND m.key = ?"
                var subArgs: [DatabaseValue] = [key.databaseValue]
                if let name = o.datasetName { filter += " AND m.dataset_name = ?"; subArgs.append(name.databaseValue) }
                if let digest = o.datasetDigest { filter += " AND m.dataset_digest = ?"; subArgs.append(digest.databaseValue) }
                let sub = "(SELECT CASE WHEN m.is_nan <> 0 THEN NULL ELSE m.value END FROM logged_model_metrics m WHERE \(filter) ORDER BY m.timestamp DESC, m.step DESC, m.run_id ASC LIMIT 1)"
                terms += ["(\(sub) IS NULL) ASC", "\(sub) \(dir)"]
                args += subArgs + subArgs
            }
        }
        if !hasCreation { terms.append("lm.creation_timestamp_ms DESC") }
        if !hasModelId { terms.append("lm.model_id ASC") }
        return (terms.joined(separator: ", "), args)
    }
}
