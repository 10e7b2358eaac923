import Experiments
import Foundation
import Registry

/// The text summary `mltrack run` prints: run id and status, metrics, artifacts, dataset, and the
/// registration and promotion outcome; for a sweep, one line per child with the best marked.
enum RunSummary {
    static func text(_ o: RunOutcome, spec: ExperimentSpec) -> String {
        var lines: [String] = []
        if o.children.isEmpty {
            lines += single(o, spec: spec)
        } else {
            let metric = spec.sweep?.select.metric ?? spec.metrics.primary
            lines.append("sweep:      \(o.runId) (\(o.runName)) \(o.status.rawValue), \(o.children.count) child runs, experiment \(o.experimentId)")
            let width = o.children.map(\.runName.count).max() ?? 0
            for c in o.children {
                let value = c.metrics[metric].map(fmt) ?? "-"
                let mark = c.runId == o.bestChildRunId ? "  ← best" : ""
                lines.append("  \(c.runName.padding(toLength: width, withPad: " ", startingAt: 0))  \(c.runId)  \(metric) \(value)\(mark)")
            }
            if let best = o.children.first(where: { $0.runId == o.bestChildRunId }) {
                lines.append("best child: \(best.runName) (\(best.runId))")
                lines += single(best, spec: spec).map { "  " + $0 }
            }
        }
        if let r = o.registration {
            lines.append("registered: \(r.model) version \(r.version) (source \(r.source))")
            if let d = r.decision { lines.append(d.report) }
        }
        return lines.joined(separator: "\n")
    }

    private static func single(_ o: RunOutcome, spec: ExperimentSpec) -> [String] {
        var lines = ["run:        \(o.runId) (\(o.runName)) \(o.status.rawValue), experiment \(o.experimentId)"]
        let order = MetricsSpec.names(for: spec.task)
        let test = order.compactMap { k in o.metrics[k].map { "\(k) \(fmt($0))" } }
        if !test.isEmpty { lines.append("test:       " + test.joined(separator: "  ")) }
        let train = order.compactMap { k in o.metrics["train_" + k].map { "\(k) \(fmt($0))" } }
        if !train.isEmpty { lines.append("train:      " + train.joined(separator: "  ")) }
        let baseline = order.compactMap { k in o.metrics["baseline_" + k].map { "\(k) \(fmt($0))" } }
        if !baseline.isEmpty { lines.append("baseline:   " + baseline.joined(separator: "  ") + " (most popular items)") }
        let cost = ["fit_seconds", "peak_rss_mb"].compactMap { k in o.metrics[k].map { "\(k) \(fmt($0))" } }
        if !cost.isEmpty { lines.append("cost:       " + cost.joined(separator: "  ")) }
        if let d = o.dataset {
            var rows = ""
            if let p = d.profile, let obj = try? JSONSerialization.jsonObject(with: Data(p.utf8)) as? [String: Any],
               let n = obj["num_rows"] as? Int { rows = ", \(n) rows" }
            let version = RunDataset.deltaVersion(of: d).map { " version \($0)" } ?? ""
            lines.append("dataset:    \(d.name)\(version) (digest \(d.digest)\(rows))")
        }
        lines.append("artifacts:  \(o.artifacts.count) files under \(o.artifactUri)")
        return lines
    }
}
