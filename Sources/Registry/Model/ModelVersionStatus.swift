/// The registration status of a model version, as MLflow has it. Versions created from an existing
/// artifact are `READY` at once (a `PENDING_REGISTRATION` answer would make the MLflow client poll).
///
/// ```swift
/// let v = try await store.createModelVersion(name: "churn", source: uri, runId: runId)
/// assert(v.status == .ready)
/// ```
public enum ModelVersionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pendingRegistration = "PENDING_REGISTRATION"
    case failedRegistration = "FAILED_REGISTRATION"
    case ready = "READY"
}
