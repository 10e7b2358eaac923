/// A run's state (MLflow's `RunStatus`, spelled as MLflow sends it on the wire).
///
/// ```swift
/// try store.updateRun(id: run.info.runId, status: .finished, endTime: now)
/// ```
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case running = "RUNNING"
    case scheduled = "SCHEDULED"
    case finished = "FINISHED"
    case failed = "FAILED"
    case killed = "KILLED"

    /// True for FINISHED, FAILED and KILLED.
    public var isTerminal: Bool { self == .finished || self == .failed || self == .killed }
}
