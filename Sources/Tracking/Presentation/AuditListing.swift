/// Reads the audit log for `mltrack audit`: events after an id, at most `limit`, optionally of one
/// entity kind (`experiment`, `run`, `registered_model`, `model_version`). With a kind it keeps
/// reading pages until `limit` matching events or the end of the log.
///
/// ```swift
/// let runs = try AuditListing(after: nil, limit: 20, entityKind: .run).events(in: store)
/// ```
public struct AuditListing: Sendable, Hashable {
    public var after: Int64?
    public var limit: Int
    public var entityKind: AuditEntityKind?

    public init(after: Int64? = nil, limit: Int = 100, entityKind: AuditEntityKind? = nil) {
        self.after = after
        self.limit = limit
        self.entityKind = entityKind
    }

    public func events(in store: any TrackingStore) throws -> [AuditEvent] {
        guard limit > 0 else {
            throw TrackingError(.invalidParameterValue, "audit limit \(limit): must be at least 1")
        }
        guard let entityKind else { return try store.audit(after: after, limit: limit) }
        var out: [AuditEvent] = [], cursor = after
        while out.count < limit {
            let page = try store.audit(after: cursor, limit: 1000)
            guard let last = page.last else { break }
            out += page.filter { $0.entityKind == entityKind }.prefix(limit - out.count)
            cursor = last.id
        }
        return out
    }
}
