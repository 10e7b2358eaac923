import GRDB

/// Translates a `RunFilter` and `RunOrdering` into parameterised SQLite fragments over the
/// table layout `RunSearchSQL.Schema` describes (MLflow's SQL schema names by default), so a
/// SQLite store can filter and order in SQL with the same results as the in-memory evaluator.
///
/// LIKE/ILIKE go through the SQL function `mltrack_like(value, pattern, caseInsensitive)`
/// (`RunSearchSQL.likeFunction`, add it to every connection), which is `LikePattern`, so
/// SQLite's ASCII-only case folding and its `case_sensitive_like` pragma do not matter.
///
/// ```swift
/// let sql = RunSearchSQL()
/// let (whereSQL, args) = sql.whereClause(for: filter)          // "(… AND …)", ["auc", 0.8, …]
/// let (orderSQL, orderArgs) = sql.orderByClause(for: ordering)  // "CASE … END, … , r.run_uuid ASC"
/// let rows = try Row.fetchAll(db, sql: "SELECT r.run_uuid FROM runs r WHERE \(whereSQL) ORDER BY \(orderSQL)",
///                             arguments: StatementArguments(args + orderArgs))
/// ```
public struct RunSearchSQL: Sendable {
    /// Table and column names. Expected layout (one row per run / key; NaN metrics stored with
    /// `is_nan = 1` and any non-NULL `value`, ±∞ stored as ±∞ REAL):
    ///
    /// ```
    /// runs(run_uuid, name, status, user_id, artifact_uri, start_time, end_time)   -- alias `r`
    /// latest_metrics(run_uuid, key, value REAL, is_nan INTEGER)
    /// params(run_uuid, key, value)      tags(run_uuid, key, value)
    /// run_dataset_inputs(run_uuid, name, digest, context)   -- a view is fine; context may be NULL
    /// ```
    public struct Schema: Sendable, Hashable {
        public var runsAlias = "r"
        public var runIDColumn = "run_uuid"
        public var attributeColumns: [RunAttribute: String] = [
            .runID: "run_uuid", .runName: "name", .status: "status", .userID: "user_id",
            .artifactURI: "artifact_uri", .startTime: "start_time", .endTime: "end_time",
        ]
        public var latestMetricsTable = "latest_metrics"
        public var paramsTable = "params"
        public var tagsTable = "tags"
        public var datasetInputsTable = "run_dataset_inputs"

        public init() {}
    }

    public var schema: Schema

    public init(schema: Schema = Schema()) {
        self.schema = schema
    }

    /// `mltrack_like(value, pattern, caseInsensitive)`: 1, 0, or NULL when value is NULL.
    public static let likeFunction = DatabaseFunction("mltrack_like", argumentCount: 3, pure: true) { values in
        guard let text = String.fromDatabaseValue(values[0]),
              let pattern = String.fromDatabaseValue(values[1]) else { return nil }
        let ci = Bool.fromDatabaseValue(values[2]) ?? false
        return LikePattern(pattern, caseInsensitive: ci).matches(text)
    }

    /// A boolean SQL expression (always parenthesised; `1` for the empty filter) and its arguments.
    public func whereClause(for filter: RunFilter) -> (sql: String, arguments: [DatabaseValue]) {
        var parts: [String] = []
        var args: [DatabaseValue] = []
        for clause in filter.clauses {
            let (sql, a) = predicate(clause)
            parts.append(sql)
            args += a
        }
        return (parts.isEmpty ? "(1)" : "(" + parts.joined(separator: " AND ") + ")", args)
    }

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    var runRef: String { "\(Self.quote(schema.runsAlias)).\(Self.quote(schema.runIDColumn))" }

    /// `col <op> ?` for a string comparison; nil-safe (a NULL column never satisfies it).
    func stringPredicate(_ column: String, _ clause: RunFilterClause) -> (String, [DatabaseValue]) {
        switch (clause.comparator, clause.value) {
        case (.equal, .string(let s)): return ("\(column) = ?", [s.databaseValue])
        case (.notEqual, .string(let s)): return ("\(column) <> ?", [s.databaseValue])
        case (.like, .string(let s)): return ("mltrack_like(\(column), ?, 0)", [s.databaseValue])
        case (.ilike, .string(let s)): return ("mltrack_like(\(column), ?, 1)", [s.databaseValue])
        case (.in, .list(let items)), (.notIn, .list(let items)):
            let marks = Array(repeating: "?", count: items.count).joined(separator: ", ")
            let op = clause.comparator == .in ? "IN" : "NOT IN"
            return ("\(column) \(op) (\(marks))", items.map(\.databaseValue))
        default:
            return ("0", [])
        }
    }

    static func numericOperator(_ c: FilterComparator) -> String {
        switch c {
        case .equal: return "="
        case .notEqual: return "<>"
        case .greaterThan: return ">"
        case .greaterThanOrEqual: return ">="
        case .lessThan: return "<"
        case .lessThanOrEqual: return "<="
        default: return "="
        }
    }

    func predicate(_ clause: RunFilterClause) -> (String, [DatabaseValue]) {
        let q = Self.quote
        switch clause.entity {
        case .metric:
            guard case .number(let d) = clause.value else { return ("0", []) }
            let op = Self.numericOperator(clause.comparator)
            // NaN satisfies only '!=', as in MLflow's SQL store.
            let valueTest = clause.comparator == .notEqual
                ? "(m.is_nan <> 0 OR m.value <> ?)"
                : "(m.is_nan = 0 AND m.value \(op) ?)"
            return ("EXISTS (SELECT 1 FROM \(q(schema.latestMetricsTable)) m WHERE m.\(q(schema.runIDColumn)) = \(runRef) AND m.key = ? AND \(valueTest))",
                    [clause.key.databaseValue, d.databaseValue])
        case .parameter, .tag:
            let table = clause.entity == .parameter ? schema.paramsTable : schema.tagsTable
            let exists = "SELECT 1 FROM \(q(table)) kv WHERE kv.\(q(schema.runIDColumn)) = \(runRef) AND kv.key = ?"
            switch clause.comparator {
            case .isNull: return ("NOT EXISTS (\(exists))", [clause.key.databaseValue])
            case .isNotNull: return ("EXISTS (\(exists))", [clause.key.databaseValue])
            default:
                let (test, args) = stringPredicate("kv.value", clause)
                return ("EXISTS (\(exists) AND \(test))", [clause.key.databaseValue] + args)
            }
        case .attribute:
            guard let attribute = RunAttribute(rawValue: clause.key), let columnName = schema.attributeColumns[attribute] else {
                return ("0", [])
            }
            let column = "\(q(schema.runsAlias)).\(q(columnName))"
            if attribute.isNumeric {
                guard case .number(let d) = clause.value else { return ("0", []) }
                return ("(\(column) IS NOT NULL AND \(column) \(Self.numericOperator(clause.comparator)) ?)", [d.databaseValue])
            }
            let (test, args) = stringPredicate(column, clause)
            return ("(\(column) IS NOT NULL AND \(test))", args)
        case .dataset:
            let column = "d.\(q(clause.key))"
            let (test, args) = stringPredicate(column, clause)
            return ("EXISTS (SELECT 1 FROM \(q(schema.datasetInputsTable)) d WHERE d.\(q(schema.runIDColumn)) = \(runRef) AND \(column) IS NOT NULL AND \(test))", args)
        }
    }

    /// ORDER BY terms (without the keyword) for `ordering` including MLflow's implicit tail:
    /// each key sorts values, then NaN metrics, then missing values, in both directions.
    public func orderByClause(for ordering: RunOrdering) -> (sql: String, arguments: [DatabaseValue]) {
        let q = Self.quote
        var terms: [String] = []
        var args: [DatabaseValue] = []
        for key in ordering.effectiveKeys {
            let dir = key.ascending ? "ASC" : "DESC"
            switch key.entity {
            case .metric:
                let sub = "FROM \(q(schema.latestMetricsTable)) m WHERE m.\(q(schema.runIDColumn)) = \(runRef) AND m.key = ?"
                terms.append("COALESCE((SELECT CASE WHEN m.is_nan <> 0 THEN 1 ELSE 0 END \(sub)), 2) ASC")
                terms.append("(SELECT CASE WHEN m.is_nan <> 0 THEN NULL ELSE m.value END \(sub)) \(dir)")
                args += [key.key.databaseValue, key.key.databaseValue]
            case .parameter, .tag:
                let table = key.entity == .parameter ? schema.paramsTable : schema.tagsTable
                let sub = "(SELECT kv.value FROM \(q(table)) kv WHERE kv.\(q(schema.runIDColumn)) = \(runRef) AND kv.key = ?)"
                terms.append("(\(sub) IS NULL) ASC")
                terms.append("\(sub) \(dir)")
                args += [key.key.databaseValue, key.key.databaseValue]
            case .attribute:
                guard let a = RunAttribute(rawValue: key.key), let columnName = schema.attributeColumns[a] else { continue }
                let column = "\(q(schema.runsAlias)).\(q(columnName))"
                terms.append("(\(column) IS NULL) ASC")
                terms.append("\(column) \(dir)")
            case .dataset:
                continue
            }
        }
        return (terms.joined(separator: ", "), args)
    }
}
