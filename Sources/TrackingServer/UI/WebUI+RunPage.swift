import Tracking

extension WebUI {
    /// `/runs/{id}`: info, params, latest metrics with a history chart each, tags, dataset inputs
    /// (lineage), child runs, the MLflow 3 logged models it produced or used, and artifacts
    /// (listing, text and image previews).
    func runPage(runId: String) throws -> WebPage {
        let run = try tracking.getRun(id: runId)
        let info = run.info
        let experiment = try? tracking.getExperiment(id: info.experimentId)
        var body = "<h1>\(HTML.escape(info.runName.isEmpty ? info.runId : info.runName))</h1>\n"
        var rows: [(String, String)] = [
            ("Run ID", HTML.escape(info.runId)),
            ("Experiment", experimentLink(info.experimentId, experiment?.name ?? info.experimentId)),
            ("Status", Self.badge(info.status.rawValue)),
            ("User", HTML.escape(info.userId)),
            ("Started", time(info.startTime)),
            ("Ended", time(info.endTime)),
            ("Duration", HTML.escape(DisplayTime.duration(from: info.startTime, to: info.endTime))),
            ("Lifecycle", HTML.escape(info.lifecycleStage.rawValue)),
            ("Artifact URI", HTML.escape(info.artifactUri)),
        ]
        if let parent = run.parentRunId {
            let name = (try? tracking.getRun(id: parent))?.info.runName ?? parent
            rows.append(("Parent run", runLink(parent, name)))
        }
        body += HTML.keyValues(rows)

        let literal = "'" + info.runId.replacingOccurrences(of: "'", with: "") + "'"
        let kids = (try? allRuns(experimentIds: [info.experimentId], filter: "tags.`\(RunTag.parentRunIdKey)` = \(literal)", orderBy: [])) ?? []
        if !kids.isEmpty {
            body += "<h2>Child runs</h2>\n" + HTML.table(["Run", "Status", "Started"], kids.map {
                [runLink($0.info.runId, $0.info.runName), Self.badge($0.info.status.rawValue), time($0.info.startTime)]
            })
        }

        body += "<h2>Parameters</h2>\n"
        let params = run.data.params.sorted { $0.key < $1.key }
        body += params.isEmpty ? HTML.empty("No parameters logged.")
            : HTML.table(["Name", "Value"], params.map { [HTML.escape($0.key), HTML.escape($0.value)] }, cssClass: "grid params")

        body += "<h2>Metrics</h2>\n"
        let metrics = run.data.metrics.sorted { $0.key < $1.key }
        if metrics.isEmpty {
            body += HTML.empty("No metrics logged.")
        } else {
            var charts = ""
            var metricRows: [[String]] = []
            for m in metrics {
                let history = (try? tracking.getMetricHistory(runId: info.runId, key: m.key)) ?? [m]
                metricRows.append([HTML.escape(m.key), HTML.number(m.value), "\(m.step)", time(m.timestamp), "\(history.count)"])
                if let svg = MetricChart.render(key: m.key, series: [.init(label: info.runName, points: history)]) {
                    charts += "<figure data-metric=\"\(HTML.escape(m.key))\" data-points=\"\(history.count)\">" + svg + "</figure>\n"
                }
            }
            body += HTML.table(["Name", "Latest value", "Step", "Timestamp", "Points"], metricRows, cssClass: "grid metrics")
            body += "<div class=\"charts\">\n" + charts + "</div>\n"
        }

        body += "<h2>Tags</h2>\n"
        let tags = run.data.tags.sorted { $0.key < $1.key }
        body += tags.isEmpty ? HTML.empty("No tags.")
            : HTML.table(["Name", "Value"], tags.map { [HTML.escape($0.key), HTML.escape($0.value)] }, cssClass: "grid tags")

        body += "<h2>Datasets</h2>\n"
        let inputs = run.inputs.datasetInputs
        if inputs.isEmpty {
            body += HTML.empty("No dataset inputs logged.")
        } else {
            body += HTML.table(["Name", "Digest", "Context", "Source type", "Source", "Schema / profile"], inputs.map { d in
                let context = d.tags.first { $0.key == InputTag.contextKey }?.value ?? ""
                var details = ""
                if let schema = d.dataset.schema, !schema.isEmpty { details += "<details><summary>schema</summary><pre>\(HTML.escape(schema))</pre></details>" }
                if let profile = d.dataset.profile, !profile.isEmpty { details += "<details><summary>profile</summary><pre>\(HTML.escape(profile))</pre></details>" }
                return [HTML.escape(d.dataset.name), "<code>\(HTML.escape(d.dataset.digest))</code>", HTML.escape(context),
                        HTML.escape(d.dataset.sourceType), "<code>\(HTML.escape(d.dataset.source))</code>", details]
            }, cssClass: "grid datasets")
        }

        body += loggedModelsSection(run)
        body += artifactsSection(run)
        return WebPage(title: info.runName.isEmpty ? info.runId : info.runName, body: body)
    }
}

extension WebUI {
    /// The logged models a run output (with their step) and used as inputs, when there are any:
    /// id, name, status and artifact location, read through the store when it keeps logged models.
    func loggedModelsSection(_ run: Run) -> String {
        let edges = run.outputs.modelOutputs.map { ($0.modelId, "output, step \($0.step)") }
            + run.inputs.modelInputs.map { ($0.modelId, "input") }
        guard !edges.isEmpty else { return "" }
        let models = tracking as? any LoggedModelStore
        let rows = edges.map { id, role -> [String] in
            let m = try? models?.getLoggedModel(id: id, allowDeleted: true)
            return ["<code>\(HTML.escape(id))</code>", HTML.escape(m?.name ?? ""), HTML.escape(role),
                    m.map { Self.badge($0.status.rawValue) } ?? "", HTML.escape(m?.artifactUri ?? "")]
        }
        return "<h2>Logged models</h2>\n" + HTML.table(["Model ID", "Name", "Role", "Status", "Artifact URI"], rows, cssClass: "grid logged-models")
    }
}
