import Tracking

extension WebUI {
    /// `/`: every active experiment (MLflow's default order) with its run count and tags.
    func experimentsPage() throws -> WebPage {
        let experiments = try tracking.allExperiments()
        var body = "<h1>Experiments</h1>\n"
        guard !experiments.isEmpty else { return WebPage(title: "Experiments", body: body + HTML.empty("No experiments yet.")) }
        var rows: [[String]] = []
        for e in experiments {
            let count = (try? tracking.searchRuns(experimentIds: [e.experimentId], maxResults: 1000).items.count) ?? 0
            let tags = e.tags.filter { !$0.key.hasPrefix("mlflow.") }.map { HTML.escape("\($0.key)=\($0.value)") }.joined(separator: "<br>")
            rows.append([HTML.escape(e.experimentId), experimentLink(e.experimentId, e.name),
                         count >= 1000 ? "1000+" : "\(count)", time(e.creationTime), time(e.lastUpdateTime), tags,
                         HTML.escape(e.artifactLocation)])
        }
        body += HTML.table(["ID", "Name", "Runs", "Created", "Last update", "Tags", "Artifact location"], rows)
        return WebPage(title: "Experiments", body: body)
    }
}
