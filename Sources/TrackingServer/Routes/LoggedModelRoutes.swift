import Hummingbird
import Tracking

/// MLflow 3's logged-model endpoints (reference 1.5) over a ``LoggedModelStore``: create
/// (`POST logged-models`), get (`?allow_deleted=true`), finalize (`PATCH`), soft delete, search
/// (experiments, filter, datasets, structured order_by, page tokens), set tags (`PATCH …/tags`),
/// delete a tag (`DELETE …/tags/{key}`, no body), log params (`POST …/params`) and, when a lister
/// is given, `GET …/artifacts/directories`. Shapes, errors and statuses are MLflow 3.17's.
///
/// ```swift
/// LoggedModelRoutes(store: sqliteStore).register(on: api)
/// ```
public struct LoggedModelRoutes: Sendable {
    /// Lists the files under `path` (nil: the root) of a logged model whose files live at
    /// `artifactURI` (an `mlflow-artifacts:/…` URI on this server); entries as MLflow's `FileInfo`
    /// with paths relative to the model root. Wired by the artifact proxy.
    public typealias ArtifactLister = @Sendable (_ artifactURI: String, _ path: String?) throws -> [FileInfo]

    public let store: any LoggedModelStore
    public let listArtifacts: ArtifactLister?

    public init(store: any LoggedModelStore, listArtifacts: ArtifactLister? = nil) {
        self.store = store
        self.listArtifacts = listArtifacts
    }

    static let empty = WireValue.object([])
    static let id = ["model_id"]

    public func register<Context: RequestContext>(on api: APIRoutes<Context>) {
        let store = store, lister = listArtifacts
        api.add("logged-models", .post) { p in
            let model = try store.createLoggedModel(
                experimentId: try p.requiredString("experiment_id"), name: try p.string("name"), modelType: try p.string("model_type"),
                sourceRunId: try p.string("source_run_id"),
                params: try TrackingWire.keyValuePairs(p, "params").map { LoggedModelParameter(key: $0.0, value: $0.1) },
                tags: try TrackingWire.keyValuePairs(p, "tags").map { LoggedModelTag(key: $0.0, value: $0.1) }, actor: nil)
            return .object([("model", TrackingWire.loggedModel(model))])
        }
        api.add("logged-models/search", .post, .get) { p in
            try Self.search(store, p)
        }
        api.add("logged-models/{model_id}", .get, pathParameters: Self.id) { p, path in
            // As MLflow: `allow_deleted` is true only when it reads "true" (any case).
            let allowDeleted = (try? p.string("allow_deleted"))?.lowercased() == "true" || (try? p.bool("allow_deleted")) == true
            let model = try store.getLoggedModel(id: path["model_id"] ?? "", allowDeleted: allowDeleted)
            return .object([("model", TrackingWire.loggedModel(model))])
        }
        api.add("logged-models/{model_id}", .patch, pathParameters: Self.id) { p, _ in
            let id = try p.requiredString("model_id")
            let model = try store.finalizeLoggedModel(id: id, status: try TrackingWire.loggedModelStatus(p, "status"), actor: nil)
            return .object([("model", TrackingWire.loggedModel(model))])
        }
        api.add("logged-models/{model_id}", .delete, pathParameters: Self.id) { _, path in
            try store.deleteLoggedModel(id: path["model_id"] ?? "", actor: nil)
            return Self.empty
        }
        api.add("logged-models/{model_id}/tags", .patch, pathParameters: Self.id) { p, path in
            let tags = try TrackingWire.keyValuePairs(p, "tags").map { LoggedModelTag(key: $0.0, value: $0.1) }
            try store.setLoggedModelTags(id: path["model_id"] ?? "", tags: tags, actor: nil)
            return Self.empty
        }
        api.add("logged-models/{model_id}/tags/{tag_key}", .delete, pathParameters: ["model_id", "tag_key"]) { _, path in
            try store.deleteLoggedModelTag(id: path["model_id"] ?? "", key: path["tag_key"] ?? "", actor: nil)
            return Self.empty
        }
        api.add("logged-models/{model_id}/params", .post, pathParameters: Self.id) { p, path in
            _ = try p.requiredString("model_id")
            let params = try TrackingWire.keyValuePairs(p, "params").map { LoggedModelParameter(key: $0.0, value: $0.1) }
            try store.logLoggedModelParams(id: path["model_id"] ?? "", params: params, actor: nil)
            return Self.empty
        }
        api.add("logged-models/{model_id}/artifacts/directories", .get, pathParameters: Self.id) { p, path in
            let model = try store.getLoggedModel(id: path["model_id"] ?? "", allowDeleted: false)
            guard let lister else {
                throw MLflowAPIError(code: "NOT_IMPLEMENTED", message: "Listing logged-model artifacts needs the artifact proxy, which this server does not run")
            }
            let files = try lister(model.artifactUri, try p.string("artifact_directory_path").flatMap { $0.isEmpty ? nil : $0 })
            var out: [(String, WireValue)] = [("root_uri", .string(model.artifactUri))]
            TrackingWire.appendList("files", files.map { f in
                var o: [(String, WireValue)] = [("path", .string(f.path)), ("is_dir", .bool(f.isDir))]
                if let size = f.fileSize { o.append(("file_size", .int(size))) }
                return .object(o)
            }, to: &out)
            return .object(out)
        }
    }

    /// For a server without a logged-model store: `logged-models/search` answers `{}` (after
    /// checking `experiment_ids`), so downloads and registrations through `runs:/` URIs go on.
    public static func registerPlaceholder<Context: RequestContext>(on api: APIRoutes<Context>) {
        api.add("logged-models/search", .post, .get) { p in
            _ = try p.strings("experiment_ids")
            return empty
        }
    }

    /// `logged-models/search`: `experiment_ids` is required (an empty list finds nothing).
    static func search(_ store: any LoggedModelStore, _ p: APIParameters) throws -> WireValue {
        guard p.has("experiment_ids") else { throw MLflowAPIError.missing(p.name("experiment_ids")) }
        let datasets = try p.objects("datasets").map { d in
            LoggedModelDatasetFilter(datasetName: try d.string("dataset_name") ?? "", datasetDigest: try d.string("dataset_digest"))
        }
        let orderBy = try p.objects("order_by").map { o in
            LoggedModelOrderBy(fieldName: try o.string("field_name") ?? "", ascending: try o.bool("ascending") ?? true,
                               datasetName: try o.string("dataset_name"), datasetDigest: try o.string("dataset_digest"))
        }
        let maxResults = try p.int64("max_results").map { Int(clamping: $0) }
        let query = try LoggedModelQuery(experimentIds: try p.strings("experiment_ids"), filter: try p.string("filter"),
                                         datasets: datasets, orderBy: orderBy, maxResults: maxResults, pageToken: try p.string("page_token"))
        let page = try store.searchLoggedModels(query)
        var out: [(String, WireValue)] = []
        TrackingWire.appendList("models", page.items.map(TrackingWire.loggedModel), to: &out)
        if let t = page.nextPageToken { out.append(("next_page_token", .string(t))) }
        return .object(out)
    }
}
