/// Wall-clock seconds since a trainer started, for ``TrainingProgress/elapsed`` (every trainer
/// uses this one clock).
struct TrainingStopwatch: Sendable {
    private let start = ContinuousClock.now

    var seconds: Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
