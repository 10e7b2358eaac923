/// Which lifecycle stages a listing or search returns (MLflow's `ViewType`).
///
/// ```swift
/// let trash = try store.listExperiments(viewType: .deletedOnly)
/// ```
public enum ViewType: String, Sendable, Hashable, Codable, CaseIterable {
    case activeOnly = "ACTIVE_ONLY"
    case deletedOnly = "DELETED_ONLY"
    case all = "ALL"

    /// The stages this view includes.
    public var stages: Set<LifecycleStage> {
        switch self {
        case .activeOnly: [.active]
        case .deletedOnly: [.deleted]
        case .all: [.active, .deleted]
        }
    }
}
