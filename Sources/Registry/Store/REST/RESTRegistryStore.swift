import Foundation
import Tracking

/// A ``RegistryStore`` over MLflow's model-registry REST API (mlflow-compat.md §2): any
/// MLflow-protocol tracking server, `mltrack server` or a real `mlflow server`, at
/// `http(s)://host:port[/prefix]`. The CLI opens it for `MLTRACK_TRACKING_URI=http://…`.
///
/// Requests go through Tracking's ``RESTClient`` (credentials, retries, MLflow error codes); its
/// blocking exchange runs on ``RESTBlockingPool``, never on a cooperative thread. Names, aliases,
/// tags, `max_results`, filters and order-bys are checked here first with the registry's own rules
/// (``RegistryValidation``, ``RegistrySearchFilter``, ``RegistryOrdering``), so errors read the same
/// whatever the server; everything else is the server's answer with its code.
///
/// What MLflow's protocol cannot do in one atomic step (all in `docs/design/rest-store.md`):
/// - promotion decisions have no endpoint: each is a registered-model tag
///   `mltrack.promotion.<seq>.<nonce>` (JSON), hidden from ``RegisteredModel/tags``;
///   ``commitPromotion(_:)`` reads the alias, checks its holder, moves it, reads it back, then
///   records the decision: another client can move the alias between the read and the write;
/// - deleting a tag that is not there is checked with a read first (MLflow's server accepts it);
/// - ordering registered models by creation time (MLflow orders only by name and last update) is
///   done here over every matching model.
///
/// ```swift
/// let registry = try RESTRegistryStore(uri: "http://127.0.0.1:5000")
/// _ = try await registry.createRegisteredModel(name: "churn")
/// let v = try await registry.createModelVersion(name: "churn", source: "\(run.info.artifactUri)/model", runId: run.info.runId)
/// try await registry.setAlias(name: "churn", alias: "champion", version: v.version)
/// let r = try await registry.resolve(uri: "models:/churn@champion")   // r.source: the download URI
/// ```
public final class RESTRegistryStore: RegistryStore {
    public let client: RESTClient
    let runs: (any RunArtifactLocator)?
    let pool: RESTBlockingPool

    /// The tag prefix of recorded promotion decisions.
    public static let promotionTagPrefix = "mltrack.promotion."

    /// A store on the server at `uri` with the environment's retry policy and credentials; `runs:/`
    /// URIs resolve through the same server's `runs/get`.
    public convenience init(uri: String) throws {
        do {
            self.init(client: try RESTClient(baseURL: uri))
        } catch let e as TrackingError {
            throw RegistryError(e.code, e.message)
        }
    }

    /// - Parameter runs: how `runs:/` URIs find a run's artifact root (nil: `runs/get` on this
    ///   server).
    public init(client: RESTClient, runs: (any RunArtifactLocator)? = nil, pool: RESTBlockingPool = .shared) {
        self.client = client
        self.runs = runs
        self.pool = pool
    }

    /// The server's base URL.
    public var uri: String { client.baseURL.absoluteString }

    // MARK: Requests

    func get<R: Decodable>(_ type: R.Type, _ path: String, _ query: [(String, String)]) async throws -> R {
        do {
            return try MLflowWire.decode(type, from: try await client.get(path, query: query, pool: pool))
        } catch let e as TrackingError {
            throw RegistryError(e.code, e.message)
        }
    }

    @discardableResult
    func send<B: Encodable, R: Decodable>(_ type: R.Type, _ method: String, _ path: String, _ body: B) async throws -> R {
        do {
            return try MLflowWire.decode(type, from: try await client.call(method, path, body: body, pool: pool))
        } catch let e as TrackingError {
            throw RegistryError(e.code, e.message)
        }
    }

    func send<B: Encodable>(_ method: String, _ path: String, _ body: B) async throws {
        try await send(Ignored.self, method, path, body)
    }

    struct Ignored: Decodable {}

    // MARK: Registered models

    public func createRegisteredModel(name: String, description: String, tags: [String: String]) async throws -> RegisteredModel {
        try RegistryValidation.modelName(name)
        for (k, v) in tags { try RegistryValidation.tag(key: k, value: v) }
        let body = RegistryWire.CreateRegisteredModel(name: name, tags: RegistryWire.KeyValue.list(tags),
                                                      description: description.isEmpty ? nil : description)
        return try await send(RegistryWire.RegisteredModelResponse.self, "POST", "registered-models/create", body).registered_model.model
    }

    public func registeredModel(name: String) async throws -> RegisteredModel {
        try await wireModel(name: name).model
    }

    func wireModel(name: String) async throws -> RegistryWire.WireRegisteredModel {
        try await get(RegistryWire.RegisteredModelResponse.self, "registered-models/get", [("name", name)]).registered_model
    }

    public func renameRegisteredModel(name: String, newName: String) async throws -> RegisteredModel {
        try RegistryValidation.modelName(newName)
        return try await send(RegistryWire.RegisteredModelResponse.self, "POST", "registered-models/rename",
                              RegistryWire.Rename(name: name, new_name: newName)).registered_model.model
    }

    public func updateRegisteredModel(name: String, description: String) async throws -> RegisteredModel {
        try await send(RegistryWire.RegisteredModelResponse.self, "PATCH", "registered-models/update",
                       RegistryWire.UpdateModel(name: name, description: description)).registered_model.model
    }

    public func deleteRegisteredModel(name: String) async throws {
        try await send("DELETE", "registered-models/delete", RegistryWire.Name(name: name))
    }

    public func searchRegisteredModels(filter: String?, orderBy: [String], maxResults: Int,
                                       pageToken: String?) async throws -> RegistryPage<RegisteredModel> {
        _ = try RegistrySearchFilter(parsing: filter, forVersions: false)
        let order = try RegistryOrdering(orderBy, forVersions: false)
        try Self.checkMaxResults(maxResults, limit: 1000)
        let terms = Self.canonical(orderBy)
        if terms.contains(where: { $0.hasPrefix("creation_timestamp") }) {
            // MLflow orders registered models by name and last update only ("timestamp" is the
            // last update there): sort every match here and page over the sorted list.
            var all: [RegisteredModel] = [], token: String? = nil
            repeat {
                let page = try await searchRegisteredModelsOnServer(filter: filter, orderBy: ["name ASC"], maxResults: 1000, pageToken: token)
                all += page.items
                token = page.nextPageToken
            } while token != nil
            all.sort { order.precedes(($0.name, 0, $0.creationTimestamp, $0.lastUpdatedTimestamp),
                                      ($1.name, 0, $1.creationTimestamp, $1.lastUpdatedTimestamp)) }
            return try RegistryPage.slice(all, maxResults: maxResults, limit: 1000, pageToken: pageToken)
        }
        return try await searchRegisteredModelsOnServer(filter: filter, orderBy: terms, maxResults: maxResults, pageToken: pageToken)
    }

    private func searchRegisteredModelsOnServer(filter: String?, orderBy: [String], maxResults: Int,
                                                pageToken: String?) async throws -> RegistryPage<RegisteredModel> {
        let r = try await searchWireModels(filter: filter, orderBy: orderBy, maxResults: maxResults, pageToken: pageToken)
        return RegistryPage(items: r.items.map(\.model), nextPageToken: r.nextPageToken)
    }

    func searchWireModels(filter: String?, orderBy: [String], maxResults: Int,
                          pageToken: String?) async throws -> RegistryWire.SearchRegisteredModelsResponse {
        var q: [(String, String)] = [("max_results", String(maxResults))]
        if let filter, !filter.allSatisfy(\.isWhitespace) { q.append(("filter", filter)) }
        for o in orderBy { q.append(("order_by", o)) }
        if let pageToken, !pageToken.isEmpty { q.append(("page_token", pageToken)) }
        return try await get(RegistryWire.SearchRegisteredModelsResponse.self, "registered-models/search", q)
    }

    public func setRegisteredModelTag(name: String, key: String, value: String) async throws {
        try RegistryValidation.tag(key: key, value: value)
        try await send("POST", "registered-models/set-tag", RegistryWire.SetModelTag(name: name, key: key, value: value))
    }

    /// MLflow's server accepts deleting a tag that is not there; the store reads the model first
    /// to answer `RESOURCE_DOES_NOT_EXIST` as the protocol says (not atomic with the delete).
    public func deleteRegisteredModelTag(name: String, key: String) async throws {
        guard try await registeredModel(name: name).tags[key] != nil else {
            throw RegistryError(.resourceDoesNotExist, "No tag with key '\(key)' on registered model '\(name)'")
        }
        try await send("DELETE", "registered-models/delete-tag", RegistryWire.DeleteModelTag(name: name, key: key))
    }

    // MARK: Versions

    public func createModelVersion(name: String, source: String, runId: String?, description: String,
                                   tags: [String: String]) async throws -> ModelVersion {
        try await createModelVersion(name: name, source: source, runId: runId, description: description, tags: tags,
                                     modelId: nil, runLink: nil)
    }

    /// `model-versions/create` with MLflow 3's `model_id` (the server then resolves the download
    /// URI to the logged model's artifacts) and `run_link`.
    public func createModelVersion(name: String, source: String, runId: String?, description: String,
                                   tags: [String: String], modelId: String?, runLink: String?) async throws -> ModelVersion {
        guard !source.isEmpty else { throw RegistryError(.invalidParameterValue, "Model version source cannot be empty.") }
        for (k, v) in tags { try RegistryValidation.tag(key: k, value: v) }
        let body = RegistryWire.CreateModelVersion(name: name, source: source, run_id: runId.flatMap { $0.isEmpty ? nil : $0 },
                                                   description: description.isEmpty ? nil : description,
                                                   tags: RegistryWire.KeyValue.list(tags),
                                                   run_link: runLink.flatMap { $0.isEmpty ? nil : $0 },
                                                   model_id: modelId.flatMap { $0.isEmpty ? nil : $0 })
        return try await send(RegistryWire.ModelVersionResponse.self, "POST", "model-versions/create", body).model_version.model
    }

    public func modelVersion(name: String, version: Int) async throws -> ModelVersion {
        try RegistryValidation.version(version, model: name)
        return try await get(RegistryWire.ModelVersionResponse.self, "model-versions/get",
                             [("name", name), ("version", String(version))]).model_version.model
    }

    public func updateModelVersion(name: String, version: Int, description: String) async throws -> ModelVersion {
        try RegistryValidation.version(version, model: name)
        return try await send(RegistryWire.ModelVersionResponse.self, "PATCH", "model-versions/update",
                              RegistryWire.UpdateVersion(name: name, version: String(version), description: description)).model_version.model
    }

    public func deleteModelVersion(name: String, version: Int) async throws {
        try RegistryValidation.version(version, model: name)
        try await send("DELETE", "model-versions/delete", RegistryWire.NameVersion(name: name, version: String(version)))
    }

    public func searchModelVersions(filter: String?, orderBy: [String], maxResults: Int,
                                    pageToken: String?) async throws -> RegistryPage<ModelVersion> {
        _ = try RegistrySearchFilter(parsing: filter, forVersions: true)
        _ = try RegistryOrdering(orderBy, forVersions: true)
        try Self.checkMaxResults(maxResults, limit: 200_000)
        var q: [(String, String)] = [("max_results", String(maxResults))]
        if let filter, !filter.allSatisfy(\.isWhitespace) { q.append(("filter", filter)) }
        for o in Self.canonical(orderBy) { q.append(("order_by", o)) }
        if let pageToken, !pageToken.isEmpty { q.append(("page_token", pageToken)) }
        let r = try await get(RegistryWire.ModelVersionsResponse.self, "model-versions/search", q)
        return RegistryPage(items: try await withAliases(r.items.map(\.model)), nextPageToken: r.nextPageToken)
    }

    /// MLflow's `model-versions/search` leaves every version's `aliases` out (its `get` fills
    /// them): they are read from the models' alias lists, one `registered-models/search` with
    /// `name IN (…)` per 100 models of the page.
    func withAliases(_ versions: [ModelVersion]) async throws -> [ModelVersion] {
        let names = Array(Set(versions.map(\.name))).sorted()
        guard !names.isEmpty else { return versions }
        var aliases: [String: [String: Int]] = [:]
        for start in stride(from: 0, to: names.count, by: 100) {
            let literals = names[start ..< min(start + 100, names.count)].compactMap(RegistrySearchFilter.literal)
            guard !literals.isEmpty else { continue }
            let page = try await searchWireModels(filter: "name IN (\(literals.joined(separator: ", ")))", orderBy: [],
                                                  maxResults: 1000, pageToken: nil)
            for m in page.items { aliases[m.model.name] = m.model.aliases }
        }
        return versions.map { v in
            guard let held = aliases[v.name] else { return v }
            var v = v
            v.aliases = held.filter { $0.value == v.version }.map(\.key).sorted()
            return v
        }
    }

    public func latestVersions(name: String, stages: [ModelStage]) async throws -> [ModelVersion] {
        let body = RegistryWire.LatestVersions(name: name, stages: stages.isEmpty ? nil : stages.map(\.rawValue))
        let r = try await send(RegistryWire.ModelVersionsResponse.self, "POST", "registered-models/get-latest-versions", body)
        return RegistryWire.byStage(r.items.map(\.model))
    }

    public func transitionStage(name: String, version: Int, stage: ModelStage,
                                archiveExistingVersions: Bool) async throws -> ModelVersion {
        try RegistryValidation.version(version, model: name)
        // MLflow's server answers this with a 500 (which clients retry); refuse it here.
        if archiveExistingVersions && !(stage == .staging || stage == .production) {
            throw RegistryError(.invalidParameterValue,
                                "archive_existing_versions applies to the Staging and Production stages only, not \(stage.rawValue).")
        }
        let body = RegistryWire.TransitionStage(name: name, version: String(version), stage: stage.rawValue,
                                                archive_existing_versions: archiveExistingVersions)
        return try await send(RegistryWire.ModelVersionResponse.self, "POST", "model-versions/transition-stage", body).model_version.model
    }

    public func setModelVersionTag(name: String, version: Int, key: String, value: String) async throws {
        try RegistryValidation.version(version, model: name)
        try RegistryValidation.tag(key: key, value: value)
        try await send("POST", "model-versions/set-tag",
                       RegistryWire.SetVersionTag(name: name, version: String(version), key: key, value: value))
    }

    /// As ``deleteRegisteredModelTag(name:key:)``: a missing tag is found by reading the version first.
    public func deleteModelVersionTag(name: String, version: Int, key: String) async throws {
        guard try await modelVersion(name: name, version: version).tags[key] != nil else {
            throw RegistryError(.resourceDoesNotExist, "No tag with key '\(key)' on model version (name=\(name), version=\(version))")
        }
        try await send("DELETE", "model-versions/delete-tag",
                       RegistryWire.DeleteVersionTag(name: name, version: String(version), key: key))
    }

    // MARK: Aliases

    public func setAlias(name: String, alias: String, version: Int) async throws {
        try RegistryValidation.alias(alias)
        try RegistryValidation.version(version, model: name)
        try await send("POST", "registered-models/alias", RegistryWire.SetAlias(name: name, alias: alias, version: String(version)))
    }

    public func deleteAlias(name: String, alias: String) async throws {
        try RegistryValidation.alias(alias)
        try await send("DELETE", "registered-models/alias", RegistryWire.DeleteAlias(name: name, alias: alias))
    }

    public func modelVersion(name: String, alias: String) async throws -> ModelVersion {
        try await get(RegistryWire.ModelVersionResponse.self, "registered-models/alias",
                      [("name", name), ("alias", alias)]).model_version.model
    }

    // MARK: URIs

    /// Resolves as every store does (``ModelURIResolution``: alias lookup, `get-latest-versions`,
    /// `model-versions/get`), then asks `model-versions/get-download-uri` where the package is, as
    /// MLflow's client does (mlflow-compat.md §3.3): for a 3.x logged model (`source: models:/m-…`)
    /// that is the logged model's artifact URI, otherwise the source itself.
    public func resolve(uri: String) async throws -> ResolvedModel {
        let locator: any RunArtifactLocator = runs ?? ServerRuns(store: self)
        var resolved = try await ModelURIResolution.resolve(uri, store: self, runs: locator)
        if let v = resolved.version {
            do {
                let d = try await get(RegistryWire.DownloadURIResponse.self, "model-versions/get-download-uri",
                                      [("name", v.name), ("version", String(v.version))])
                if !d.artifact_uri.isEmpty { resolved.source = d.artifact_uri }
            } catch let e as RegistryError {
                throw RegistryError(e.code, "Cannot resolve '\(uri)': \(e.message)")
            }
        }
        return resolved
    }

    /// `runs:/` resolution through `runs/get` on the registry's own server.
    struct ServerRuns: RunArtifactLocator {
        let store: RESTRegistryStore
        func artifactURI(runId: String) async throws -> String {
            let r = try await store.get(RegistryWire.RunArtifactResponse.self, "runs/get", [("run_id", runId), ("run_uuid", runId)])
            guard let root = r.run.info.artifact_uri, !root.isEmpty else {
                throw RegistryError(.invalidState, "run \(runId) has no artifact URI on \(store.uri)")
            }
            return root
        }
    }

    // MARK: Checks

    static func checkMaxResults(_ n: Int, limit: Int) throws {
        guard (1...limit).contains(n) else {
            throw RegistryError(.invalidParameterValue, "Invalid value \(n) for parameter 'max_results': it must be between 1 and \(limit).")
        }
    }

    /// Order-by items (already checked by ``RegistryOrdering``) as MLflow spells them: key in
    /// lower case (`timestamp` → `last_updated_timestamp`, as MLflow reads it), then `ASC` or `DESC`.
    static func canonical(_ orderBy: [String]) -> [String] {
        orderBy.map { item in
            let words = item.split(whereSeparator: \.isWhitespace)
            var key = words.first.map { $0.lowercased() } ?? "name"
            if key == "timestamp" { key = "last_updated_timestamp" }
            let direction = words.count > 1 ? words[1].uppercased() : "ASC"
            return "\(key) \(direction)"
        }
    }
}
