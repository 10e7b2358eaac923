import HTTPTypes
import Hummingbird
import Registry

/// MLflow's model-registry endpoints (reference 2.2) over a ``RegistryStore``, under both API
/// prefixes, with the reference server's semantics (2.3): versions as strings, stages in any case,
/// alias rules and errors from the store, `registered-models/get-latest-versions` on POST and GET,
/// DELETE requests read from their JSON body, `max_results` defaults 100 (models, at most 1000) and
/// 10000 (versions, at most 200000), deleting a missing tag answering `{}` as MLflow does.
/// Handlers are async and run on ``ThreadPoolExecutor`` (the SQLite registry blocks).
///
/// `get-download-uri` answers ``downloadURI`` of the version: by default its `source`. For MLflow 3
/// versions whose source is `models:/m-<id>`, pass a closure that returns that logged model's
/// `artifact_uri` (and the source otherwise).
///
/// ```swift
/// RegistryRoutes(store: registry).register(on: api)
/// RegistryRoutes(store: registry, downloadURI: { v in try await loggedModels.artifactURI(for: v) ?? v.source })
/// ```
public struct RegistryRoutes: Sendable {
    public let store: any RegistryStore
    public let downloadURI: @Sendable (ModelVersion) async throws -> String

    /// MLflow's `max_results` defaults and limits.
    public static let defaultModelResults = 100, maxModelResults = 1000
    public static let defaultVersionResults = 10_000, maxVersionResults = 200_000

    /// Every registry path with its methods, for ``notEnabled()`` and the docs.
    public static let endpoints: [(path: String, methods: [HTTPRequest.Method])] = [
        ("registered-models/create", [.post]), ("registered-models/get", [.get]), ("registered-models/rename", [.post]),
        ("registered-models/update", [.patch]), ("registered-models/delete", [.delete]), ("registered-models/search", [.get]),
        ("registered-models/get-latest-versions", [.post, .get]), ("registered-models/set-tag", [.post]),
        ("registered-models/delete-tag", [.delete]), ("registered-models/alias", [.post, .delete, .get]),
        ("model-versions/create", [.post]), ("model-versions/get", [.get]), ("model-versions/update", [.patch]),
        ("model-versions/delete", [.delete]), ("model-versions/search", [.get]), ("model-versions/transition-stage", [.post]),
        ("model-versions/get-download-uri", [.get]), ("model-versions/set-tag", [.post]), ("model-versions/delete-tag", [.delete]),
    ]

    public init(store: any RegistryStore, downloadURI: @escaping @Sendable (ModelVersion) async throws -> String = { $0.source }) {
        self.store = store
        self.downloadURI = downloadURI
    }

    static let empty = WireValue.object([])

    static func model(_ m: RegisteredModel) -> WireValue { .object([("registered_model", RegistryWire.registeredModel(m))]) }
    static func version(_ v: ModelVersion) -> WireValue { .object([("model_version", RegistryWire.modelVersion(v))]) }

    /// `{<key>: [...], next_page_token}`, both omitted when empty.
    static func page(_ key: String, _ items: [WireValue], _ token: String?) -> WireValue {
        var out: [(String, WireValue)] = []
        TrackingWire.appendList(key, items, to: &out)
        if let token, !token.isEmpty { out.append(("next_page_token", .string(token))) }
        return .object(out)
    }

    static func maxResults(_ p: APIParameters, default value: Int) throws -> Int {
        guard let n = try p.int64("max_results") else { return value }
        return Int(clamping: n)
    }

    public func register<Context: RequestContext>(on api: APIRoutes<Context>) {
        registerModels(on: api)
        registerVersions(on: api)
    }

    func registerModels<Context: RequestContext>(on api: APIRoutes<Context>) {
        let store = store
        api.addAsync("registered-models/create", .post) { p in
            let name = try p.requiredString("name")
            let tags = try RegistryWire.tags(from: p)
            return Self.model(try await store.createRegisteredModel(name: name, description: try p.string("description") ?? "", tags: tags))
        }
        api.addAsync("registered-models/get", .get) { p in
            Self.model(try await store.registeredModel(name: try p.requiredString("name")))
        }
        api.addAsync("registered-models/rename", .post) { p in
            let name = try p.requiredString("name"), newName = try p.requiredString("new_name")
            return Self.model(try await store.renameRegisteredModel(name: name, newName: newName))
        }
        api.addAsync("registered-models/update", .patch) { p in
            let name = try p.requiredString("name")
            return Self.model(try await store.updateRegisteredModel(name: name, description: try p.string("description") ?? ""))
        }
        api.addAsync("registered-models/delete", .delete) { p in
            try await store.deleteRegisteredModel(name: try p.requiredString("name"))
            return Self.empty
        }
        api.addAsync("registered-models/search", .get) { p in
            let page = try await store.searchRegisteredModels(filter: try p.string("filter"), orderBy: try p.strings("order_by"),
                                                              maxResults: try Self.maxResults(p, default: Self.defaultModelResults),
                                                              pageToken: try p.string("page_token"))
            return Self.page("registered_models", page.items.map { RegistryWire.registeredModel($0) }, page.nextPageToken)
        }
        api.addAsync("registered-models/get-latest-versions", .post, .get) { p in
            let name = try p.requiredString("name")
            let stages = try p.strings("stages").map(RegistryWire.stage)
            let versions = try await store.latestVersions(name: name, stages: stages)
            return Self.page("model_versions", versions.map { RegistryWire.modelVersion($0) }, nil)
        }
        api.addAsync("registered-models/set-tag", .post) { p in
            let name = try p.requiredString("name"), key = try p.requiredString("key")
            try await store.setRegisteredModelTag(name: name, key: key, value: try p.string("value") ?? "")
            return Self.empty
        }
        api.addAsync("registered-models/delete-tag", .delete) { p in
            let name = try p.requiredString("name"), key = try p.requiredString("key")
            // MLflow answers {} for a tag that is not set (the model must exist).
            if try await store.registeredModel(name: name).tags[key] != nil {
                try await store.deleteRegisteredModelTag(name: name, key: key)
            }
            return Self.empty
        }
        api.addAsync("registered-models/alias", .post) { p in
            let name = try p.requiredString("name"), alias = try p.requiredString("alias")
            try await store.setAlias(name: name, alias: alias, version: try RegistryWire.version(p))
            return Self.empty
        }
        api.addAsync("registered-models/alias", .delete) { p in
            try await store.deleteAlias(name: try p.requiredString("name"), alias: try p.requiredString("alias"))
            return Self.empty
        }
        api.addAsync("registered-models/alias", .get) { p in
            Self.version(try await store.modelVersion(name: try p.requiredString("name"), alias: try p.requiredString("alias")))
        }
    }

    func registerVersions<Context: RequestContext>(on api: APIRoutes<Context>) {
        let store = store, downloadURI = downloadURI
        api.addAsync("model-versions/create", .post) { p in
            let name = try p.requiredString("name"), source = try p.requiredString("source")
            let v = try await store.createModelVersion(
                name: name, source: source, runId: try p.string("run_id").flatMap { $0.isEmpty ? nil : $0 },
                description: try p.string("description") ?? "", tags: try RegistryWire.tags(from: p),
                modelId: try p.string("model_id").flatMap { $0.isEmpty ? nil : $0 },
                runLink: try p.string("run_link").flatMap { $0.isEmpty ? nil : $0 })
            return Self.version(v)
        }
        api.addAsync("model-versions/get", .get) { p in
            let name = try p.requiredString("name")
            return Self.version(try await store.modelVersion(name: name, version: try RegistryWire.version(p)))
        }
        api.addAsync("model-versions/update", .patch) { p in
            let name = try p.requiredString("name"), version = try RegistryWire.version(p)
            // No description: nothing to change (MLflow passes None to its store).
            guard let description = try p.string("description") else {
                return Self.version(try await store.modelVersion(name: name, version: version))
            }
            return Self.version(try await store.updateModelVersion(name: name, version: version, description: description))
        }
        api.addAsync("model-versions/delete", .delete) { p in
            let name = try p.requiredString("name")
            try await store.deleteModelVersion(name: name, version: try RegistryWire.version(p))
            return Self.empty
        }
        api.addAsync("model-versions/search", .get) { p in
            let page = try await store.searchModelVersions(filter: try p.string("filter"), orderBy: try p.strings("order_by"),
                                                           maxResults: try Self.maxResults(p, default: Self.defaultVersionResults),
                                                           pageToken: try p.string("page_token"))
            return Self.page("model_versions", page.items.map { RegistryWire.modelVersion($0) }, page.nextPageToken)
        }
        api.addAsync("model-versions/transition-stage", .post) { p in
            let name = try p.requiredString("name"), version = try RegistryWire.version(p)
            let stage = try RegistryWire.stage(try p.requiredString("stage"))
            let v = try await store.transitionStage(name: name, version: version, stage: stage,
                                                    archiveExistingVersions: try p.bool("archive_existing_versions") ?? false)
            return Self.version(v)
        }
        api.addAsync("model-versions/get-download-uri", .get) { p in
            let name = try p.requiredString("name")
            let v = try await store.modelVersion(name: name, version: try RegistryWire.version(p))
            return .object([("artifact_uri", .string(try await downloadURI(v)))])
        }
        api.addAsync("model-versions/set-tag", .post) { p in
            let name = try p.requiredString("name"), version = try RegistryWire.version(p), key = try p.requiredString("key")
            try await store.setModelVersionTag(name: name, version: version, key: key, value: try p.string("value") ?? "")
            return Self.empty
        }
        api.addAsync("model-versions/delete-tag", .delete) { p in
            let name = try p.requiredString("name"), version = try RegistryWire.version(p), key = try p.requiredString("key")
            if try await store.modelVersion(name: name, version: version).tags[key] != nil {
                try await store.deleteModelVersionTag(name: name, version: version, key: key)
            }
            return Self.empty
        }
    }

    /// Without a registry store: every registry endpoint answers MLflow's 404 `ENDPOINT_NOT_FOUND`
    /// as JSON (the client reads it as "this server has no registry").
    public static func notEnabled<Context: RequestContext>(on api: APIRoutes<Context>) {
        let error = MLflowAPIError(code: "ENDPOINT_NOT_FOUND", message: "The model registry is not enabled on this server.")
        for (path, methods) in endpoints {
            for prefix in APIRoutes<Context>.prefixes {
                for method in methods {
                    api.router.on(RouterPath(prefix + path), method: method) { _, _ in APIEndpoint.error(error) }
                }
            }
        }
    }
}
