import Tracking

extension WebUI {
    /// `/compare?runs=a,b` (or `runs=a&runs=b`): params side by side (rows whose values differ are
    /// marked `diff`), latest metrics side by side, and one chart per metric with one line per run
    /// and a legend.
    func comparePage(query: [String: [String]]) throws -> WebPage {
        var ids: [String] = []
        for id in Self.keys(query["runs"]) ?? [] where !ids.contains(id) { ids.append(id) }
        guard !ids.isEmpty else {
            return WebPage(title: "Compare runs", body: "<h1>Compare runs</h1>\n" + HTML.empty("No runs chosen: select runs in an experiment's table, or add ?runs=<id>,<id>."))
        }
        let runs = try ids.map { try tracking.getRun(id: $0) }
        func label(_ r: Run) -> String { r.info.runName.isEmpty ? r.info.runId : r.info.runName }
        var body = "<h1>Compare \(runs.count) run\(runs.count == 1 ? "" : "s")</h1>\n"
        let header = "<thead><tr><th></th>" + runs.map { "<th>" + runLink($0.info.runId, label($0)) + "</th>" }.joined() + "</tr></thead>"

        body += "<h2>Parameters</h2>\n"
        let paramKeys = Array(Set(runs.flatMap { $0.data.params.map(\.key) })).sorted()
        if paramKeys.isEmpty {
            body += HTML.empty("No parameters logged.")
        } else {
            body += "<table class=\"grid compare params\">" + header + "<tbody>\n"
            for k in paramKeys {
                let values = runs.map { $0.data.param(k) }
                let differs = Set(values.map { $0 ?? "\u{0}" }).count > 1
                body += "<tr\(differs ? " class=\"diff\"" : "")><th>\(HTML.escape(k))</th>"
                body += values.map { "<td>\(HTML.escape($0 ?? "—"))</td>" }.joined() + "</tr>\n"
            }
            body += "</tbody></table>\n"
        }

        body += "<h2>Metrics</h2>\n"
        let metricKeys = Array(Set(runs.flatMap { $0.data.metrics.map(\.key) })).sorted()
        if metricKeys.isEmpty {
            body += HTML.empty("No metrics logged.")
        } else {
            body += "<table class=\"grid compare metrics\">" + header + "<tbody>\n"
            for k in metricKeys {
                let values = runs.map { $0.data.metric(k)?.value }
                let differs = Set(values.map { $0.map(DisplayNumber.text) ?? "" }).count > 1
                body += "<tr\(differs ? " class=\"diff\"" : "")><th>\(HTML.escape(k))</th>"
                body += values.map { "<td class=\"num\">\($0.map(HTML.number) ?? "—")</td>" }.joined() + "</tr>\n"
            }
            body += "</tbody></table>\n<div class=\"charts\">\n"
            for k in metricKeys {
                let series = runs.map { r in
                    MetricChart.Series(label: label(r), points: r.data.metric(k) == nil ? [] : ((try? tracking.getMetricHistory(runId: r.info.runId, key: k)) ?? []))
                }
                if let svg = MetricChart.render(key: k, series: series) {
                    body += "<figure data-metric=\"\(HTML.escape(k))\">" + svg + "</figure>\n"
                }
            }
            body += "</div>\n"
        }
        return WebPage(title: "Compare runs", body: body)
    }
}
