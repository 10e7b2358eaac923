import Tracking

/// The audit actions only the registry records (the shared ones — `create`, `update`, `rename`,
/// `delete`, `set_tag`, `delete_tag`, `promote` — are declared by `Tracking`).
///
/// ```swift
/// try tx.appendAudit(entityKind: .registeredModel, entityId: "churn", action: .setAlias, details: ["alias": "champion"])
/// ```
extension AuditAction {
    public static let setAlias: AuditAction = "set_alias"
    public static let deleteAlias: AuditAction = "delete_alias"
    public static let transitionStage: AuditAction = "transition_stage"
}
