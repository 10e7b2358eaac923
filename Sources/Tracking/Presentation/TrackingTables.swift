import Foundation

/// The tracking entities as ``TextTable``s for people (`mltrack experiments list`, `runs list`,
/// `artifacts list`, `audit`): aligned columns, times as local ISO-8601.
///
/// ```swift
/// print(TrackingTables.experiments(try store.allExperiments()))
/// print(TrackingTables.runs(page.items, metricKeys: ["test_auc"]))
/// ```
public enum TrackingTables {
    public static func experiments(_ items: [Experiment], timeZone: TimeZone = .current) -> String {
        var t = TextTable(["ID", "NAME", "STAGE", "CREATED", "ARTIFACT LOCATION"], rightAligned: [0])
        for e in items {
            t.append([e.experimentId, e.name, e.lifecycleStage.rawValue, DisplayTime.iso(e.creationTime, timeZone: timeZone),
                      e.artifactLocation])
        }
        return t.render()
    }

    /// Runs with their info and, as extra columns, the latest value of each of `metricKeys`.
    public static func runs(_ items: [Run], metricKeys: [String] = [], timeZone: TimeZone = .current) -> String {
        let fixed = ["RUN ID", "NAME", "EXP", "STATUS", "USER", "STARTED", "DURATION"]
        var t = TextTable(fixed + metricKeys, rightAligned: Set([2, 6] + metricKeys.indices.map { $0 + fixed.count }))
        for r in items {
            var cells = [r.info.runId, r.info.runName, r.info.experimentId,
                         r.info.status.rawValue + (r.info.lifecycleStage == .deleted ? " (deleted)" : ""), r.info.userId,
                         DisplayTime.iso(r.info.startTime, timeZone: timeZone),
                         DisplayTime.duration(from: r.info.startTime, to: r.info.endTime)]
            cells += metricKeys.map { k in r.data.metric(k).map { DisplayNumber.text($0.value) } ?? "-" }
            t.append(cells)
        }
        return t.render()
    }

    public static func files(_ items: [FileInfo]) -> String {
        var t = TextTable(["PATH", "SIZE"], rightAligned: [1])
        for f in items { t.append([f.isDir ? f.path + "/" : f.path, f.fileSize.map(String.init) ?? ""]) }
        return t.render()
    }

    public static func audit(_ events: [AuditEvent], timeZone: TimeZone = .current) -> String {
        var t = TextTable(["ID", "TIME", "ACTOR", "ENTITY", "ENTITY ID", "ACTION", "DETAILS"], rightAligned: [0])
        for e in events {
            t.append([String(e.id), DisplayTime.iso(e.timestamp, timeZone: timeZone), e.actor, e.entityKind.rawValue,
                      e.entityId, e.action.rawValue, e.details == "{}" ? "" : e.details])
        }
        return t.render()
    }
}
