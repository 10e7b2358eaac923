/// Whether an experiment or run is live or soft-deleted (MLflow's `lifecycle_stage`).
///
/// ```swift
/// if run.info.lifecycleStage == .deleted { print("in the trash") }
/// ```
public enum LifecycleStage: String, Sendable, Hashable, Codable, CaseIterable {
    case active
    case deleted
}
