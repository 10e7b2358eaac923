import Hummingbird
import Tracking

/// MLflow's experiment endpoints (reference 1.2) over a ``TrackingStore``: create, get,
/// get-by-name, search (GET and POST), update, delete, restore, set/delete tag.
///
/// ```swift
/// ExperimentRoutes(store: store).register(on: api)
/// ```
public struct ExperimentRoutes: Sendable {
    public let store: any TrackingStore

    public init(store: any TrackingStore) {
        self.store = store
    }

    static let empty = WireValue.object([])

    public func register<Context: RequestContext>(on api: APIRoutes<Context>) {
        let store = store
        api.add("experiments/create", .post) { p in
            let name = try p.requiredString("name")
            let location = try p.string("artifact_location").flatMap { $0.isEmpty ? nil : $0 }
            let tags = try p.objects("tags").map(TrackingWire.experimentTag(from:))
            let id = try store.createExperiment(name: name, artifactLocation: location, tags: tags, actor: nil)
            return .object([("experiment_id", .string(id))])
        }
        api.add("experiments/get", .get) { p in
            .object([("experiment", TrackingWire.experiment(try store.getExperiment(id: try p.requiredString("experiment_id"))))])
        }
        api.add("experiments/get-by-name", .get) { p in
            let name = try p.requiredString("experiment_name")
            guard let e = try store.getExperimentByName(name) else {
                throw MLflowAPIError(code: "RESOURCE_DOES_NOT_EXIST", message: "Could not find experiment with name '\(name)'")
            }
            return .object([("experiment", TrackingWire.experiment(e))])
        }
        api.add("experiments/search", .get, .post) { p in
            let query = try ExperimentQuery(viewType: try TrackingWire.viewType(p, "view_type") ?? .activeOnly,
                                            filter: try p.string("filter"), orderBy: try p.strings("order_by"),
                                            maxResults: Int(try p.int64("max_results") ?? Int64(RunSearch.defaultMaxResults)),
                                            pageToken: try p.string("page_token"))
            let page = try store.searchExperiments(query)
            var out: [(String, WireValue)] = []
            TrackingWire.appendList("experiments", page.items.map { TrackingWire.experiment($0) }, to: &out)
            if let t = page.nextPageToken, !t.isEmpty { out.append(("next_page_token", .string(t))) }
            return .object(out)
        }
        api.add("experiments/update", .post) { p in
            let id = try p.requiredString("experiment_id")
            if let newName = try p.string("new_name"), !newName.isEmpty {
                try store.renameExperiment(id: id, newName: newName, actor: nil)
            } else {
                _ = try store.getExperiment(id: id)
            }
            return Self.empty
        }
        api.add("experiments/delete", .post) { p in
            try store.deleteExperiment(id: try p.requiredString("experiment_id"), actor: nil)
            return Self.empty
        }
        api.add("experiments/restore", .post) { p in
            try store.restoreExperiment(id: try p.requiredString("experiment_id"), actor: nil)
            return Self.empty
        }
        api.add("experiments/set-experiment-tag", .post) { p in
            try store.setExperimentTag(id: try p.requiredString("experiment_id"), tag: try TrackingWire.experimentTag(from: p), actor: nil)
            return Self.empty
        }
        api.add("experiments/delete-experiment-tag", .post) { p in
            try store.deleteExperimentTag(id: try p.requiredString("experiment_id"), key: try p.requiredString("key"), actor: nil)
            return Self.empty
        }
    }
}
