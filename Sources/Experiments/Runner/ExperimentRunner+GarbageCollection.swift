import Tracking

extension ExperimentRunner {
    /// Marks FAILED every RUNNING run (of the active experiments) started by a process of this
    /// host (`mltrack.host`) whose pid (`mltrack.pid`) is no longer alive, with the reason as
    /// `mltrack.error`: what `mltrack runs gc` (and `mltrack run`, on start) calls. Runs without
    /// these tags (another client's) and runs of other hosts are left alone. Returns the run ids.
    @discardableResult
    public static func collectGarbage(store: any TrackingStore, host: String = RunEnvironment.host,
                                      isAlive: (Int32) -> Bool = RunEnvironment.isAlive,
                                      actor: String? = nil) throws -> [String] {
        var marked: [String] = []
        let me = RunEnvironment.pid
        for experiment in try store.allExperiments(viewType: .activeOnly) {
            var token: String?
            var stale: [(id: String, pid: Int32)] = []
            repeat {
                let filter = RunFilterPredicate("attributes.status = 'RUNNING'") { $0.info.status == .running }
                let page = try store.searchRuns(experimentIds: [experiment.experimentId], filter: filter, orderBy: [],
                                                maxResults: 1000, pageToken: token, viewType: .activeOnly)
                for run in page.items {
                    guard run.data.tag(RunTags.host) == host, let text = run.data.tag(RunTags.pid), let pid = Int32(text),
                          pid != me, !isAlive(pid) else { continue }
                    stale.append((run.info.runId, pid))
                }
                token = page.nextPageToken
            } while token != nil
            for (id, pid) in stale {
                let reason = "process \(pid) on \(host) ended without finishing the run (marked FAILED by runs gc)"
                try store.setTag(runId: id, tag: RunTag(key: RunTags.error, value: reason), actor: actor)
                try store.updateRun(id: id, status: .failed, endTime: RunEnvironment.nowMillis(), runName: nil, actor: actor)
                marked.append(id)
            }
        }
        return marked
    }
}
