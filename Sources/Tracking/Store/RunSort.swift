/// Sorts runs by `order_by` items the way MLflow's SQL store does: per item, present values first
/// (metrics: finite/inf, then NaN, then missing), in the item's direction; then the tail order
/// `start_time DESC` (unless an item already orders by start time) and `run_id ASC`, so every order
/// is total and paging is stable.
///
/// ```swift
/// let sorted = try RunSort.sort(runs, by: [RunOrderBy(.metric("auc"), ascending: false)])
/// ```
public enum RunSort {
    enum Value: Comparable {
        case number(Double)
        case text(String)

        static func < (a: Value, b: Value) -> Bool {
            switch (a, b) {
            case let (.number(x), .number(y)): x < y
            case let (.text(x), .text(y)): Array(x.utf8).lexicographicallyPrecedes(y.utf8)
            case (.number, .text): true
            case (.text, .number): false
            }
        }
    }

    /// Rank 0 = present, 1 = NaN metric, 2 = missing.
    static func sortValue(_ run: Run, _ key: RunOrderBy.Key) -> (rank: Int, value: Value?) {
        switch key {
        case let .metric(k):
            guard let m = run.data.metric(k) else { return (2, nil) }
            return m.value.isNaN ? (1, nil) : (0, .number(m.value))
        case let .param(k):
            return run.data.param(k).map { (0, .text($0)) } ?? (2, nil)
        case let .tag(k):
            return run.data.tag(k).map { (0, .text($0)) } ?? (2, nil)
        case let .attribute(a):
            let i = run.info
            switch a {
            case .runId: return (0, .text(i.runId))
            case .runName: return (0, .text(i.runName))
            case .userId: return (0, .text(i.userId))
            case .status: return (0, .text(i.status.rawValue))
            case .startTime: return (0, .number(Double(i.startTime)))
            case .endTime: return i.endTime.map { (0, .number(Double($0))) } ?? (2, nil)
            case .artifactUri: return (0, .text(i.artifactUri))
            case .experimentId: return (0, .number(Double(i.experimentId) ?? 0))
            case .lifecycleStage: return (0, .text(i.lifecycleStage.rawValue))
            }
        }
    }

    /// Rejects an order list naming one field twice (as MLflow does) and sorts.
    public static func sort(_ runs: [Run], by orderBy: [RunOrderBy]) throws -> [Run] {
        var seen = Set<RunOrderBy.Key>()
        for o in orderBy where !seen.insert(o.key).inserted {
            throw TrackingError(.invalidParameterValue, "`order_by` contains duplicate fields: \(o.key)")
        }
        var items = orderBy
        if !seen.contains(.attribute(.startTime)) { items.append(RunOrderBy(.attribute(.startTime), ascending: false)) }
        items.append(RunOrderBy(.attribute(.runId), ascending: true))
        let keyed = runs.map { run in (run, items.map { sortValue(run, $0.key) }) }
        return keyed.sorted { a, b in
            for (i, item) in items.enumerated() {
                let x = a.1[i], y = b.1[i]
                if x.rank != y.rank { return x.rank < y.rank }
                guard let xv = x.value, let yv = y.value, xv != yv else { continue }
                return item.ascending ? xv < yv : yv < xv
            }
            return false
        }.map(\.0)
    }
}
