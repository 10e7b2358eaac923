/// The model registry's storage interface, mirroring MLflow's model-registry store: registered
/// models, versions, legacy stages, aliases, tags, search, URI resolution, and the history of
/// promotion decisions. Every method is one atomic step (one transaction in a SQL backend); errors are
/// ``RegistryError`` with MLflow's codes (`RESOURCE_DOES_NOT_EXIST` for an unknown model/version,
/// `RESOURCE_ALREADY_EXISTS` for a duplicate name, `INVALID_PARAMETER_VALUE` for bad input, including
/// an unknown alias on lookup as the reference server does).
///
/// Semantics every backend must keep (checked by the conformance suite in `RegistryTests`):
/// - versions are 1, 2, … per model, allocated atomically (highest ever allocated + 1, never reused);
/// - an alias points at one version at most; setting it moves it; deleting a version drops its aliases;
/// - `transitionStage(archiveExistingVersions: true)` moves every other version in the target stage
///   to `Archived` (only for `Staging`/`Production`, as MLflow);
/// - `commitPromotion` moves the alias only if its holder is still the one the gates saw.
///
/// ```swift
/// let store: any RegistryStore = InMemoryRegistryStore()
/// _ = try await store.createRegisteredModel(name: "churn")
/// let v = try await store.createModelVersion(name: "churn", source: "file:///runs/ab/artifacts/model", runId: "ab")
/// try await store.setAlias(name: "churn", alias: "champion", version: v.version)
/// let r = try await store.resolve(uri: "models:/churn@champion")   // r.source
/// ```
public protocol RegistryStore: Sendable {
    // MARK: Registered models
    func createRegisteredModel(name: String, description: String, tags: [String: String]) async throws -> RegisteredModel
    func registeredModel(name: String) async throws -> RegisteredModel
    func renameRegisteredModel(name: String, newName: String) async throws -> RegisteredModel
    func updateRegisteredModel(name: String, description: String) async throws -> RegisteredModel
    /// Deletes the model with its versions and aliases.
    func deleteRegisteredModel(name: String) async throws
    /// One page of the models matching a ``RegistrySearchFilter`` (nil: all), ordered by
    /// ``RegistryOrdering`` (default: name), `maxResults` in 1...1000, tokens as ``RegistryPage``.
    func searchRegisteredModels(filter: String?, orderBy: [String], maxResults: Int,
                                pageToken: String?) async throws -> RegistryPage<RegisteredModel>
    func setRegisteredModelTag(name: String, key: String, value: String) async throws
    func deleteRegisteredModelTag(name: String, key: String) async throws

    // MARK: Versions
    /// Allocates the next version number atomically. The model must exist.
    func createModelVersion(name: String, source: String, runId: String?, description: String,
                            tags: [String: String]) async throws -> ModelVersion
    /// `createModelVersion` that also records MLflow 3's `model_id` (the logged model registered)
    /// and `run_link`. Backends that cannot keep them inherit a default that drops both.
    func createModelVersion(name: String, source: String, runId: String?, description: String,
                            tags: [String: String], modelId: String?, runLink: String?) async throws -> ModelVersion
    func modelVersion(name: String, version: Int) async throws -> ModelVersion
    func updateModelVersion(name: String, version: Int, description: String) async throws -> ModelVersion
    func deleteModelVersion(name: String, version: Int) async throws
    /// One page of the versions matching a ``RegistrySearchFilter`` (nil: all), ordered by
    /// ``RegistryOrdering`` (default as MLflow: last_updated_timestamp DESC, name, version_number
    /// DESC), `maxResults` in 1...200000.
    func searchModelVersions(filter: String?, orderBy: [String], maxResults: Int,
                             pageToken: String?) async throws -> RegistryPage<ModelVersion>
    /// For each of `stages` (empty: every stage) the highest version in it, in stage order.
    func latestVersions(name: String, stages: [ModelStage]) async throws -> [ModelVersion]
    func transitionStage(name: String, version: Int, stage: ModelStage,
                         archiveExistingVersions: Bool) async throws -> ModelVersion
    func setModelVersionTag(name: String, version: Int, key: String, value: String) async throws
    func deleteModelVersionTag(name: String, version: Int, key: String) async throws

    // MARK: Aliases
    /// Points `alias` at `version`, moving it from any other version.
    func setAlias(name: String, alias: String, version: Int) async throws
    func deleteAlias(name: String, alias: String) async throws
    /// The version `alias` points at; an unknown alias is `INVALID_PARAMETER_VALUE` (as MLflow).
    func modelVersion(name: String, alias: String) async throws -> ModelVersion

    // MARK: URIs
    /// Resolves `models:/name/3`, `models:/name@alias`, `models:/name/<stage>`, `models:/name/latest`
    /// and `runs:/<run_id>/<path>`; errors name the URI.
    func resolve(uri: String) async throws -> ResolvedModel

    // MARK: Promotion decisions
    /// Records a decision and, if it is `applied`, moves the alias to its version in the same atomic
    /// step, provided the alias still points at `previousHolder` (else `INVALID_STATE`, nothing
    /// changes). Returns the decision as stored.
    @discardableResult
    func commitPromotion(_ decision: PromotionDecision) async throws -> PromotionDecision
    /// Recorded decisions, oldest first, for one model (by the name it had then) or all (nil).
    func promotionDecisions(name: String?) async throws -> [PromotionDecision]
}

extension RegistryStore {
    /// The default for backends without `model_id`/`run_link`: both are dropped.
    public func createModelVersion(name: String, source: String, runId: String?, description: String,
                                   tags: [String: String], modelId: String?, runLink: String?) async throws -> ModelVersion {
        try await createModelVersion(name: name, source: source, runId: runId, description: description, tags: tags)
    }

    /// `createRegisteredModel` with no description and tags.
    public func createRegisteredModel(name: String, description: String = "") async throws -> RegisteredModel {
        try await createRegisteredModel(name: name, description: description, tags: [:])
    }

    /// `createModelVersion` with defaults.
    public func createModelVersion(name: String, source: String, runId: String? = nil) async throws -> ModelVersion {
        try await createModelVersion(name: name, source: source, runId: runId, description: "", tags: [:])
    }

    /// Every model matching `filter`, ordered by name (all pages).
    public func searchRegisteredModels(filter: String?) async throws -> [RegisteredModel] {
        var all: [RegisteredModel] = [], token: String? = nil
        repeat {
            let page = try await searchRegisteredModels(filter: filter, orderBy: ["name"], maxResults: 1000, pageToken: token)
            all += page.items
            token = page.nextPageToken
        } while token != nil
        return all
    }

    /// Every version matching `filter`, ordered by name, then version descending (all pages).
    public func searchModelVersions(filter: String?) async throws -> [ModelVersion] {
        var all: [ModelVersion] = [], token: String? = nil
        repeat {
            let page = try await searchModelVersions(filter: filter, orderBy: ["name", "version_number DESC"],
                                                     maxResults: 200_000, pageToken: token)
            all += page.items
            token = page.nextPageToken
        } while token != nil
        return all
    }

    /// Every version of one model, highest first (the model must exist).
    public func modelVersions(name: String) async throws -> [ModelVersion] {
        _ = try await registeredModel(name: name)
        guard let literal = RegistrySearchFilter.literal(name) else {
            return try await searchModelVersions(filter: nil).filter { $0.name == name }
        }
        return try await searchModelVersions(filter: "name = \(literal)")
    }

    /// The version an alias points at, or nil when the alias is not set (the model must exist).
    public func aliasHolder(name: String, alias: String) async throws -> Int? {
        try await registeredModel(name: name).aliases[alias]
    }
}
