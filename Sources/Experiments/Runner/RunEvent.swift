import Trainers

/// What an ``ExperimentRunner`` reports while it works, for a progress printer: one line of status,
/// or one training iteration of the run named `run`.
///
/// ```swift
/// let outcome = try await runner.run(spec: spec) { event in
///     if case .status(let line) = event { print(line) }
/// }
/// ```
public enum RunEvent: Sendable {
    /// A step: "run 3f2a… (churn) started", "logged 9 artifacts", "registered churn v2".
    case status(String)
    /// One training iteration of the run with this name.
    case training(run: String, TrainingProgress)
}

/// The handler an ``ExperimentRunner`` calls with each ``RunEvent``.
public typealias RunEventHandler = @Sendable (RunEvent) -> Void
