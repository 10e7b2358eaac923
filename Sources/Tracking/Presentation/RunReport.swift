import Foundation

/// Everything about one run for people (`mltrack runs show`): info, params, latest metrics (with
/// step), tags, dataset inputs and the artifact listing, as titled sections.
///
/// ```swift
/// let files = try LocalArtifactStore(root: run.info.artifactUri).list()
/// print(RunReport(run: run, experimentName: "churn", artifacts: files).render())
/// ```
public struct RunReport: Sendable, Hashable {
    public var run: Run
    public var experimentName: String?
    public var artifacts: [FileInfo]

    public init(run: Run, experimentName: String? = nil, artifacts: [FileInfo] = []) {
        self.run = run
        self.experimentName = experimentName
        self.artifacts = artifacts
    }

    public func render(timeZone: TimeZone = .current) -> String {
        let i = run.info
        var info = TextTable(["FIELD", "VALUE"])
        info.append(["run_id", i.runId])
        info.append(["run_name", i.runName])
        info.append(["experiment", experimentName.map { "\(i.experimentId) (\($0))" } ?? i.experimentId])
        info.append(["status", i.status.rawValue])
        info.append(["lifecycle_stage", i.lifecycleStage.rawValue])
        info.append(["user", i.userId])
        info.append(["start_time", DisplayTime.iso(i.startTime, timeZone: timeZone)])
        info.append(["end_time", DisplayTime.iso(i.endTime, timeZone: timeZone)])
        info.append(["duration", DisplayTime.duration(from: i.startTime, to: i.endTime)])
        info.append(["artifact_uri", i.artifactUri])
        if let parent = run.parentRunId { info.append(["parent_run_id", parent]) }

        var params = TextTable(["KEY", "VALUE"])
        for p in run.data.params { params.append([p.key, p.value]) }
        var metrics = TextTable(["KEY", "VALUE", "STEP", "TIME"], rightAligned: [1, 2])
        for m in run.data.metrics {
            metrics.append([m.key, DisplayNumber.text(m.value), String(m.step), DisplayTime.iso(m.timestamp, timeZone: timeZone)])
        }
        var tags = TextTable(["KEY", "VALUE"])
        for t in run.data.tags { tags.append([t.key, t.value]) }
        var inputs = TextTable(["NAME", "DIGEST", "SOURCE TYPE", "SOURCE", "CONTEXT"])
        for d in run.inputs.datasetInputs {
            inputs.append([d.dataset.name, d.dataset.digest, d.dataset.sourceType, d.dataset.source,
                           d.tags.first { $0.key == "mlflow.data.context" }?.value ?? ""])
        }
        func section(_ title: String, _ table: TextTable) -> String {
            "\(title)\n" + (table.rows.isEmpty ? "  (none)\n" : table.render())
        }
        return [section("Run", info), section("Params", params), section("Metrics (latest)", metrics),
                section("Tags", tags), section("Dataset inputs", inputs),
                "Artifacts\n" + (artifacts.isEmpty ? "  (none)\n" : TrackingTables.files(artifacts))]
            .joined(separator: "\n")
    }
}
