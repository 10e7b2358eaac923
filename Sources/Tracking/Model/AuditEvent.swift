/// One recorded mutation of a store: who (`actor`), what (entity kind and id, action, JSON details)
/// and when (ms since the epoch). Ids grow monotonically, so `audit(after: lastSeenId)` pages.
///
/// ```swift
/// for e in try store.audit(after: nil, limit: 50) { print(e.id, e.actor, e.action.rawValue, e.entityId) }
/// ```
public struct AuditEvent: Codable, Sendable, Hashable {
    public var id: Int64
    public var timestamp: Int64
    public var actor: String
    public var entityKind: AuditEntityKind
    public var entityId: String
    public var action: AuditAction
    /// A JSON object as text (`{}` when there is nothing to add).
    public var details: String

    public init(id: Int64, timestamp: Int64, actor: String, entityKind: AuditEntityKind, entityId: String,
                action: AuditAction, details: String) {
        self.id = id
        self.timestamp = timestamp
        self.actor = actor
        self.entityKind = entityKind
        self.entityId = entityId
        self.action = action
        self.details = details
    }
}

/// The kind of entity an ``AuditEvent`` is about; open for other modules (the registry adds its own
/// kinds with `AuditEntityKind("registered_model")`).
///
/// ```swift
/// let kind: AuditEntityKind = .run
/// ```
public struct AuditEntityKind: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public static let experiment: AuditEntityKind = "experiment"
    public static let run: AuditEntityKind = "run"
    public static let registeredModel: AuditEntityKind = "registered_model"
    public static let modelVersion: AuditEntityKind = "model_version"
    public static let loggedModel: AuditEntityKind = "logged_model"
}

/// What an ``AuditEvent`` did; open for other modules (`AuditAction("set_alias")`).
///
/// ```swift
/// let action: AuditAction = .promote
/// ```
public struct AuditAction: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public static let create: AuditAction = "create"
    public static let update: AuditAction = "update"
    public static let rename: AuditAction = "rename"
    public static let delete: AuditAction = "delete"
    public static let restore: AuditAction = "restore"
    public static let setTag: AuditAction = "set_tag"
    public static let deleteTag: AuditAction = "delete_tag"
    public static let logMetric: AuditAction = "log_metric"
    public static let logParam: AuditAction = "log_param"
    public static let logBatch: AuditAction = "log_batch"
    public static let logInputs: AuditAction = "log_inputs"
    public static let promote: AuditAction = "promote"
    public static let finalize: AuditAction = "finalize"
    public static let logOutputs: AuditAction = "log_outputs"
}
