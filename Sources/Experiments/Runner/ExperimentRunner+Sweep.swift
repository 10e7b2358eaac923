import Foundation
import Tracking

extension ExperimentRunner {
    /// A sweep: one parent run (the tags, the params every point shares plus the `sweep.*` axes, the
    /// spec) and one nested child run per point, named by its label; the best child by
    /// `sweep.select` is tagged on the parent (`mltrack.best_child_run_id`) and its metric logged
    /// there. A failing child fails the parent and stops the sweep.
    func runSweep(spec: ExperimentSpec, grid: [SweepPoint], experimentId: String, runName: String?,
                  progress: RunEventHandler?) throws -> RunOutcome {
        let parent = try store.createRun(experimentId: experimentId, userId: user, runName: runName, startTime: nil,
                                         tags: baseTags(spec), actor: actor)
        let id = parent.info.runId
        active.insert(id)
        defer { active.remove(id) }
        progress?(.status("sweep \(id) (\(parent.info.runName)) started: \(grid.count) points"))
        do {
            try logParams(try Self.commonParams(spec: spec, grid: grid), runId: id)
            let artifactStore = try artifacts(parent.info)
            let specFile = try artifactStore.log(data: Data(try spec.resolved().yaml().utf8), at: "spec.yaml")
            var children: [RunOutcome] = []
            for point in grid {
                children.append(try runSingle(spec: point.spec, experimentId: experimentId, runName: point.label,
                                              parentRunId: id, extraTags: [RunTag(key: RunTags.sweepPoint, value: point.label)],
                                              progress: progress))
            }
            let select = spec.sweep?.select
            let metric = select?.metric ?? spec.metrics.primary
            let maximize = (select?.mode ?? (MetricsSpec.higherIsBetter(metric) ? "max" : "min")) != "min"
            let best = Self.best(children, metric: metric, maximize: maximize)
            var metrics: [String: Double] = [:]
            if let best, let value = best.metrics[metric] {
                try store.logBatch(runId: id, metrics: [Metric(key: metric, value: value, timestamp: RunEnvironment.nowMillis())],
                                   params: [], tags: [RunTag(key: RunTags.bestChild, value: best.runId)], actor: actor)
                metrics[metric] = value
                progress?(.status("best child: \(best.runName) (\(best.runId)) with \(metric) \(value)"))
            }
            try store.updateRun(id: id, status: .finished, endTime: RunEnvironment.nowMillis(), runName: nil, actor: actor)
            return RunOutcome(experimentId: experimentId, runId: id, runName: parent.info.runName, status: .finished,
                              artifactUri: parent.info.artifactUri, metrics: metrics, artifacts: [specFile],
                              children: children, bestChildRunId: best?.runId)
        } catch {
            fail(runId: id, error: error)
            throw error
        }
    }

    /// The child with the best finite `metric` (the first of equals, in grid order).
    static func best(_ children: [RunOutcome], metric: String, maximize: Bool) -> RunOutcome? {
        var best: RunOutcome?
        for c in children {
            guard let v = c.metrics[metric], v.isFinite else { continue }
            guard let b = best, let bv = b.metrics[metric] else { best = c; continue }
            if maximize ? v > bv : v < bv { best = c }
        }
        return best
    }

    /// The params every grid point has with the same value, then the spec's `sweep.*` params.
    static func commonParams(spec: ExperimentSpec, grid: [SweepPoint]) throws -> [(key: String, value: String)] {
        let lists = try grid.map { try $0.spec.resolved().params() }
        guard let first = lists.first else { return [] }
        let maps = lists.map { Dictionary($0.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }) }
        var out = first.filter { p in maps.allSatisfy { $0[p.key] == p.value } }
        out += try spec.resolved().params().filter { $0.key.hasPrefix("sweep.") }
        return out
    }
}
