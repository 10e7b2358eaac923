import Hummingbird
import Tracking

/// MLflow's run endpoints (reference 1.3) over a ``TrackingStore``: create, get, update, delete,
/// restore, search, log-metric, log-parameter, log-batch (MLflow's entity limits; the body only
/// under the server's general limit: MLflow's 1 MB batch rule is not enforced by its server, and
/// its client may send larger batches), set-tag, delete-tag, log-inputs, outputs;
/// `metrics/get-history` with paging. With a ``LoggedModelStore`` (MLflow 3): `runs/outputs` and
/// the `models` of `runs/log-inputs` are recorded, and metrics carrying a `model_id` are attached
/// to that logged model too; without one they are checked and dropped.
///
/// ```swift
/// RunRoutes(store: store, loggedModels: store).register(on: api)
/// ```
public struct RunRoutes: Sendable {
    public let store: any TrackingStore
    public let loggedModels: (any LoggedModelStore)?

    /// `metrics/get-history` page size limit (MLflow's `max_results` cap for it).
    public static let maxHistoryResults = 25_000_000

    public init(store: any TrackingStore, loggedModels: (any LoggedModelStore)? = nil) {
        self.store = store
        self.loggedModels = loggedModels
    }

    static let empty = WireValue.object([])

    public func register<Context: RequestContext>(on api: APIRoutes<Context>) {
        let store = store, loggedModels = loggedModels
        api.add("runs/create", .post) { p in
            let run = try store.createRun(experimentId: try p.string("experiment_id").flatMap { $0.isEmpty ? nil : $0 } ?? Experiment.defaultId,
                                          userId: try p.string("user_id"), runName: try p.string("run_name"),
                                          startTime: try p.int64("start_time"),
                                          tags: try p.objects("tags").map(TrackingWire.runTag(from:)), actor: nil)
            return .object([("run", TrackingWire.run(run, outputs: false))])
        }
        api.add("runs/get", .get) { p in
            .object([("run", TrackingWire.run(try store.getRun(id: try p.runId())))])
        }
        api.add("runs/update", .post) { p in
            let info = try store.updateRun(id: try p.runId(), status: try TrackingWire.runStatus(p, "status"),
                                           endTime: try p.int64("end_time"), runName: try p.string("run_name"), actor: nil)
            return .object([("run_info", TrackingWire.runInfo(info))])
        }
        api.add("runs/delete", .post) { p in
            try store.deleteRun(id: try p.runId(), actor: nil)
            return Self.empty
        }
        api.add("runs/restore", .post) { p in
            try store.restoreRun(id: try p.runId(), actor: nil)
            return Self.empty
        }
        api.add("runs/search", .post, .get) { p in
            let query = try RunQuery(experimentIds: try p.strings("experiment_ids"), filter: try p.string("filter"),
                                     orderBy: try p.strings("order_by"),
                                     maxResults: Int(try p.int64("max_results") ?? Int64(RunSearch.defaultMaxResults)),
                                     pageToken: try p.string("page_token"),
                                     viewType: try TrackingWire.viewType(p, "run_view_type") ?? .activeOnly)
            let page = try store.searchRuns(query)
            var out: [(String, WireValue)] = []
            TrackingWire.appendList("runs", page.items.map { TrackingWire.run($0) }, to: &out)
            if let t = page.nextPageToken, !t.isEmpty { out.append(("next_page_token", .string(t))) }
            return .object(out)
        }
        api.add("runs/log-metric", .post) { p in
            let runId = try p.runId()
            let metric = try TrackingWire.metric(from: p)
            if let loggedModels, let m = try TrackingWire.loggedModelMetric(from: p, metric: metric) {
                try loggedModels.logLoggedModelMetrics(runId: runId, metrics: [m], actor: nil)
            }
            try store.logMetric(runId: runId, metric: metric, actor: nil)
            return Self.empty
        }
        api.add("runs/log-parameter", .post) { p in
            try store.logParam(runId: try p.runId(), param: try TrackingWire.param(from: p), actor: nil)
            return Self.empty
        }
        api.add("runs/log-batch", .post) { p in
            let runId = try p.runId()
            let metricMessages = try p.objects("metrics")
            let metrics = try metricMessages.map(TrackingWire.metric(from:))
            let params = try p.objects("params").map(TrackingWire.param(from:))
            let tags = try p.objects("tags").map(TrackingWire.runTag(from:))
            if let loggedModels {
                let modelMetrics = try zip(metricMessages, metrics).compactMap { try TrackingWire.loggedModelMetric(from: $0, metric: $1) }
                if !modelMetrics.isEmpty {
                    try EntityValidation.validateBatch(metrics: metrics, params: params, tags: tags)
                    try loggedModels.logLoggedModelMetrics(runId: runId, metrics: modelMetrics, actor: nil)
                }
            }
            try store.logBatch(runId: runId, metrics: metrics, params: params, tags: tags, actor: nil)
            return Self.empty
        }
        api.add("runs/set-tag", .post) { p in
            try store.setTag(runId: try p.runId(), tag: try TrackingWire.runTag(from: p), actor: nil)
            return Self.empty
        }
        api.add("runs/delete-tag", .post) { p in
            try store.deleteTag(runId: try p.runId(), key: try p.requiredString("key"), actor: nil)
            return Self.empty
        }
        api.add("runs/log-inputs", .post) { p in
            let runId = try p.runId()
            let datasets = try p.objects("datasets").map(TrackingWire.datasetInput(from:))
            let models = try p.objects("models").map { LoggedModelInput(modelId: try $0.requiredString("model_id")) }
            if !datasets.isEmpty { try store.logInputs(runId: runId, datasets: datasets, actor: nil) }
            if let loggedModels, !models.isEmpty {
                try loggedModels.logModelInputs(runId: runId, models: models, actor: nil)
            } else if datasets.isEmpty {
                _ = try store.getRun(id: runId)
            }
            return Self.empty
        }
        api.add("runs/outputs", .post) { p in
            let runId = try p.runId()
            let models = try p.objects("models").map { m in
                LoggedModelOutput(modelId: try m.requiredString("model_id"), step: try m.int64("step") ?? 0)
            }
            if !p.has("models") { throw MLflowAPIError.missing("models") }   // an empty list is fine, as in MLflow
            if let loggedModels {
                try loggedModels.logOutputs(runId: runId, models: models, actor: nil)
            } else {
                _ = try store.getRun(id: runId)
            }
            return Self.empty
        }
        api.add("metrics/get-history", .get) { p in
            let runId = try p.runId()
            let key = try p.requiredString("metric_key")
            let history = try store.getMetricHistory(runId: runId, key: key)
            var page = Page(items: history, nextPageToken: nil)
            if let max = try p.int64("max_results") {
                page = try SearchPageToken.page(history, maxResults: Int(max), pageToken: try p.string("page_token"),
                                                maxResultsLimit: Self.maxHistoryResults)
            }
            var out: [(String, WireValue)] = []
            TrackingWire.appendList("metrics", page.items.map { TrackingWire.metric($0) }, to: &out)
            if let token = page.nextPageToken { out.append(("next_page_token", .string(token))) }
            return .object(out)
        }
    }
}
