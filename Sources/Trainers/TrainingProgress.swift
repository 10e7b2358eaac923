/// One step of a training loop, reported to a ``ProgressHandler`` (the CLI prints these).
public struct TrainingProgress: Sendable, Hashable {
    /// 1-based iteration (Newton/L-BFGS step, ALS sweep).
    public var iteration: Int
    /// The objective after this iteration (penalized log loss, ALS loss), when computed.
    public var loss: Double?
    /// Seconds since training started.
    public var elapsed: Double
    /// Anything else worth showing (gradient norm, step size).
    public var detail: String

    public init(iteration: Int, loss: Double?, elapsed: Double, detail: String = "") {
        self.iteration = iteration
        self.loss = loss
        self.elapsed = elapsed
        self.detail = detail
    }
}

/// Receives ``TrainingProgress`` from a trainer; called on the training thread, so keep it cheap.
public typealias ProgressHandler = @Sendable (TrainingProgress) -> Void
