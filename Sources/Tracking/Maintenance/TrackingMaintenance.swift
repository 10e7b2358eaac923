import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Housekeeping over a tracking store (`mltrack runs gc`): finds RUNNING runs whose process is gone
/// and ends them FAILED.
///
/// A run started by `mltrack run` carries the tags `mltrack.pid` and `mltrack.host` (the process id
/// and host name of the writer). A RUNNING run whose host is this machine and whose process no
/// longer exists is marked `FAILED` with its end time and a `mltrack.error` tag saying why, and its
/// artifact directory is swept of stale temporaries. Runs on other hosts, and runs without the tags
/// (logged by another client), are left alone and reported as skipped. A recycled pid that now
/// belongs to an unrelated process makes the run look alive: the check errs on the side of leaving
/// a run be.
///
/// ```swift
/// let report = try TrackingMaintenance.failDeadRuns(store: store)
/// report.failed.map(\.runId)
/// ```
public enum TrackingMaintenance {
    public static let pidTag = "mltrack.pid"
    public static let hostTag = "mltrack.host"
    public static let errorTag = "mltrack.error"

    /// What a sweep did.
    public struct Report: Sendable, Hashable, Codable {
        public struct Entry: Sendable, Hashable, Codable {
            public var runId: String
            public var experimentId: String
            public var reason: String
            enum CodingKeys: String, CodingKey { case runId = "run_id", experimentId = "experiment_id", reason }
        }
        /// Runs marked FAILED.
        public var failed: [Entry] = []
        /// RUNNING runs left alone (alive, other host, no pid tag).
        public var skipped: [Entry] = []
    }

    /// This machine's host name, as `mltrack run` records it.
    public static func currentHost() -> String { ProcessInfo.processInfo.hostName }

    /// Whether a process with this id exists on this machine.
    public static func processExists(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Marks dead RUNNING runs of every experiment (active runs only) FAILED.
    /// - Parameters:
    ///   - host: this machine's name (tests inject one).
    ///   - isAlive: the liveness check (tests inject one).
    ///   - now: the end time to record, ms since the epoch.
    public static func failDeadRuns(store: any TrackingStore, actor: String? = nil, host: String = currentHost(),
                                    isAlive: (Int32) -> Bool = processExists,
                                    now: Int64 = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))) throws -> Report {
        let experiments = try store.allExperiments(viewType: .activeOnly).map(\.experimentId)
        var report = Report()
        guard !experiments.isEmpty else { return report }
        var token: String? = nil
        var candidates: [Run] = []
        repeat {
            let page = try store.searchRuns(experimentIds: experiments, filter: "attributes.status = 'RUNNING'",
                                            maxResults: 1000, pageToken: token)
            candidates += page.items
            token = page.nextPageToken
        } while token != nil
        for run in candidates {
            let entry = { (why: String) in Report.Entry(runId: run.info.runId, experimentId: run.info.experimentId, reason: why) }
            guard let pidText = run.data.tag(pidTag), let pid = Int32(pidText) else {
                report.skipped.append(entry("no \(pidTag) tag (not started by mltrack run)"))
                continue
            }
            let runHost = run.data.tag(hostTag) ?? ""
            guard runHost == host else {
                report.skipped.append(entry("started on host '\(runHost)', not this one ('\(host)')"))
                continue
            }
            guard !isAlive(pid) else {
                report.skipped.append(entry("process \(pid) is still running"))
                continue
            }
            let why = "process \(pid) on \(host) ended without finishing the run (marked FAILED by runs gc)"
            try store.setTag(runId: run.info.runId, tag: RunTag(key: errorTag, value: why), actor: actor)
            try store.updateRun(id: run.info.runId, status: .failed, endTime: now, runName: nil, actor: actor)
            if let artifacts = try? LocalArtifactStore(root: run.info.artifactUri) {
                _ = try? artifacts.removeStaleTemporaries()
            }
            report.failed.append(entry(why))
        }
        return report
    }
}
