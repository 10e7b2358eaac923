import GRDB
import Tracking

/// Search: `name`/`run_id` equalities and `IN` lists narrow the SQL query; every clause is then
/// checked by ``RegistrySearchFilter/matches(name:runId:tags:source:version:)``, ordered by ``RegistryOrdering``
/// and paged by ``RegistryPage``, the same code the in-memory store runs.
extension SQLiteRegistryStore {
    public func searchRegisteredModels(filter: String?, orderBy: [String], maxResults: Int,
                                       pageToken: String?) throws -> RegistryPage<RegisteredModel> {
        let f = try RegistrySearchFilter(parsing: filter, forVersions: false)
        let order = try RegistryOrdering(orderBy.isEmpty ? ["name"] : orderBy, forVersions: false)
        let all = try read { db in
            try Self.fetchModels(db, where: Self.narrowing(f, alias: "m"))
        }.filter { f.matches(name: $0.name, runId: nil, tags: $0.tags) }
            .sorted { order.precedes(($0.name, 0, $0.creationTimestamp, $0.lastUpdatedTimestamp),
                                     ($1.name, 0, $1.creationTimestamp, $1.lastUpdatedTimestamp)) }
        return try RegistryPage.slice(all, maxResults: maxResults, limit: 1000, pageToken: pageToken)
    }

    public func searchModelVersions(filter: String?, orderBy: [String], maxResults: Int,
                                    pageToken: String?) throws -> RegistryPage<ModelVersion> {
        let f = try RegistrySearchFilter(parsing: filter, forVersions: true)
        let order = try RegistryOrdering(orderBy.isEmpty ? ["last_updated_timestamp DESC", "name", "version_number DESC"] : orderBy,
                                         forVersions: true)
        let all = try read { db in
            try Self.fetchVersions(db, where: Self.narrowing(f, alias: "v"))
        }.filter { f.matches(name: $0.name, runId: $0.runId, tags: $0.tags, source: $0.source, version: $0.version) }
            .sorted { order.precedes(($0.name, $0.version, $0.creationTimestamp, $0.lastUpdatedTimestamp),
                                     ($1.name, $1.version, $1.creationTimestamp, $1.lastUpdatedTimestamp)) }
        return try RegistryPage.slice(all, maxResults: maxResults, limit: 200_000, pageToken: pageToken)
    }

    /// The `=` and `IN` clauses on `name` / `run_id` as SQL over the table alias (a superset of the
    /// matches: the filter is applied in full afterwards).
    static func narrowing(_ filter: RegistrySearchFilter, alias: String) -> Condition {
        var parts: [String] = [], arguments: [(any DatabaseValueConvertible)?] = []
        for clause in filter.clauses where clause.op == .eq || clause.op == .isIn {
            let column: String
            switch clause.key {
            case .name: column = "\(alias).name"
            case .runId: column = "\(alias).run_id"
            case .tag, .sourcePath, .versionNumber: continue
            }
            parts.append("\(column) IN (\(Array(repeating: "?", count: clause.values.count).joined(separator: ", ")))")
            arguments += clause.values.map { $0 }
        }
        guard !parts.isEmpty else { return .all }
        return Condition(sql: parts.joined(separator: " AND "), arguments: StatementArguments(arguments))
    }
}
