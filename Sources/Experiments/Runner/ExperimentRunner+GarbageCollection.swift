import Tracking

extension ExperimentRunner {
    /// Marks FAILED every RUNNING run (of the active experiments) started by a process of this
    /// host (`mltrack.host`) whose pid (`mltrack.pid`) is no longer alive, with the reason as
    /// `mltrack.error`: what `mltrack runs gc` (and `mltrack run`, on start) calls. Runs without
    /// these tags (another client's) and runs of other hosts are left alone. Returns the run ids.
    /// The check itself is `TrackingMaintenance.failDeadRuns` (the tracking layer owns it).
    @discardableResult
    public static func collectGarbage(store: any TrackingStore, host: String = RunEnvironment.host,
                                      isAlive: (Int32) -> Bool = RunEnvironment.isAlive,
                                      actor: String? = nil) throws -> [String] {
        let me = RunEnvironment.pid
        let report = try TrackingMaintenance.failDeadRuns(store: store, actor: actor, host: host,
                                                          isAlive: { $0 == me || isAlive($0) },
                                                          now: RunEnvironment.nowMillis())
        return report.failed.map(\.runId)
    }
}
