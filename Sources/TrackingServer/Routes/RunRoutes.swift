import Hummingbird
import Tracking

/// MLflow's run endpoints (reference 1.3) over a ``TrackingStore``: create, get, update, delete,
/// restore, search, log-metric, log-parameter, log-batch (MLflow's entity limits; the body only
/// under the server's general limit: MLflow's 1 MB batch rule is not enforced by its server, and
/// its client may send larger batches), set-tag, delete-tag, log-inputs, outputs;
/// `metrics/get-history` with paging;
/// and `logged-models/search` answering `{}` (no logged models yet) so downloads and
/// registrations through `runs:/` URIs go on.
///
/// ```swift
/// RunRoutes(store: store).register(on: api)
/// ```
public struct RunRoutes: Sendable {
    public let store: any TrackingStore

    /// `metrics/get-history` page size limit (MLflow's `max_results` cap for it).
    public static let maxHistoryResults = 25_000_000

    public init(store: any TrackingStore) {
        self.store = store
    }

    static let empty = WireValue.object([])

    public func register<Context: RequestContext>(on api: APIRoutes<Context>) {
        let store = store
        api.add("runs/create", .post) { p in
            let run = try store.createRun(experimentId: try p.string("experiment_id").flatMap { $0.isEmpty ? nil : $0 } ?? Experiment.defaultId,
                                          userId: try p.string("user_id"), runName: try p.string("run_name"),
                                          startTime: try p.int64("start_time"),
                                          tags: try p.objects("tags").map(TrackingWire.runTag(from:)), actor: nil)
            return .object([("run", TrackingWire.run(run))])
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
            try store.logMetric(runId: try p.runId(), metric: try TrackingWire.metric(from: p), actor: nil)
            return Self.empty
        }
        api.add("runs/log-parameter", .post) { p in
            try store.logParam(runId: try p.runId(), param: try TrackingWire.param(from: p), actor: nil)
            return Self.empty
        }
        api.add("runs/log-batch", .post) { p in
            try store.logBatch(runId: try p.runId(), metrics: try p.objects("metrics").map(TrackingWire.metric(from:)),
                               params: try p.objects("params").map(TrackingWire.param(from:)),
                               tags: try p.objects("tags").map(TrackingWire.runTag(from:)), actor: nil)
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
            // `models` (logged-model inputs) are accepted and not stored: the store has no logged models yet.
            _ = try p.objects("models")
            if datasets.isEmpty {
                _ = try store.getRun(id: runId)
            } else {
                try store.logInputs(runId: runId, datasets: datasets, actor: nil)
            }
            return Self.empty
        }
        api.add("runs/outputs", .post) { p in
            // Logged-model outputs are accepted and not stored yet (no logged models in the store).
            _ = try p.objects("models")
            _ = try store.getRun(id: try p.runId())
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
        api.add("logged-models/search", .post, .get) { p in
            // No logged models yet: an empty answer, after checking the request's shape.
            _ = try p.strings("experiment_ids")
            return Self.empty
        }
    }
}
