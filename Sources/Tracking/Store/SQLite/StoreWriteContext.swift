import Foundation
import GRDB

/// The open write transaction of a ``SQLiteTrackingStore``: the GRDB connection, the resolved audit
/// actor, the transaction's clock reading, and ``appendAudit(entityKind:entityId:action:details:)``
/// so a change and its audit event commit together.
///
/// ```swift
/// try store.write(actor: "alice") { tx in
///     try tx.db.execute(sql: "UPDATE model_aliases SET version = 3 WHERE name = 'champion'")
///     try tx.appendAudit(entityKind: .registeredModel, entityId: "churn", action: .promote, details: ["alias": "champion"])
/// }
/// ```
public struct StoreWriteContext {
    public let db: Database
    public let actor: String
    /// Milliseconds since the epoch, read once per transaction.
    public let now: Int64

    /// Appends an event with string details (encoded as a JSON object with sorted keys).
    @discardableResult
    public func appendAudit(entityKind: AuditEntityKind, entityId: String, action: AuditAction,
                            details: [String: String] = [:]) throws -> AuditEvent {
        try appendAudit(entityKind: entityKind, entityId: entityId, action: action, detailsJSON: Self.json(details))
    }

    /// Appends an event whose details are any JSON object text.
    @discardableResult
    public func appendAudit(entityKind: AuditEntityKind, entityId: String, action: AuditAction,
                            detailsJSON: String) throws -> AuditEvent {
        try db.execute(sql: """
            INSERT INTO audit_log (timestamp, actor, entity_kind, entity_id, action, details) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [now, actor, entityKind.rawValue, entityId, action.rawValue, detailsJSON])
        return AuditEvent(id: db.lastInsertedRowID, timestamp: now, actor: actor, entityKind: entityKind,
                          entityId: entityId, action: action, details: detailsJSON)
    }

    /// A JSON object with sorted keys from any Encodable value.
    public static func json<E: Encodable>(_ value: E) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        guard let data = try? enc.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
