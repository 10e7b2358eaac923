import Foundation

/// The registry held in memory: an actor, so every method is one atomic step. Used by tests and as
/// the reference behaviour for the SQL store (both run the conformance suite in `RegistryTests`).
/// Timestamps come from an injectable clock (milliseconds since the epoch).
///
/// ```swift
/// let store = InMemoryRegistryStore(clock: { 1_700_000_000_000 })
/// _ = try await store.createRegisteredModel(name: "churn")
/// ```
public actor InMemoryRegistryStore: RegistryStore {
    private struct Entry {
        var model: RegisteredModel
        var versions: [Int: ModelVersion] = [:]
        var lastAllocated = 0
        var aliases: [String: Int] = [:]
    }

    private var entries: [String: Entry] = [:]
    private var decisions: [PromotionDecision] = []
    private let clock: @Sendable () -> Int64
    private let runs: (any RunArtifactLocator)?

    /// A store whose timestamps come from `clock` and which resolves `runs:/` URIs through `runs`.
    public init(clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) },
                runs: (any RunArtifactLocator)? = nil) {
        self.clock = clock
        self.runs = runs
    }

    // MARK: Helpers

    private func entry(_ name: String) throws -> Entry {
        guard let e = entries[name] else {
            throw RegistryError(.resourceDoesNotExist, "Registered Model with name=\(name) not found")
        }
        return e
    }

    private func version(_ name: String, _ version: Int) throws -> ModelVersion {
        let e = try entry(name)
        guard let v = e.versions[version] else {
            throw RegistryError(.resourceDoesNotExist, "Model Version (name=\(name), version=\(version)) not found")
        }
        return v
    }

    /// A version as returned: with its aliases.
    private func view(_ v: ModelVersion, _ e: Entry) -> ModelVersion {
        var v = v
        v.aliases = e.aliases.filter { $0.value == v.version }.map(\.key).sorted()
        return v
    }

    private func view(_ e: Entry) -> RegisteredModel {
        var m = e.model
        m.aliases = e.aliases
        m.latestVersions = latest(e, stages: [])
        return m
    }

    private func latest(_ e: Entry, stages: [ModelStage]) -> [ModelVersion] {
        let wanted = stages.isEmpty ? ModelStage.allCases : ModelStage.allCases.filter(stages.contains)
        return wanted.compactMap { stage in
            e.versions.values.filter { $0.currentStage == stage }.max(by: { $0.version < $1.version }).map { view($0, e) }
        }
    }

    private func touch(_ name: String, _ now: Int64) {
        entries[name]?.model.lastUpdatedTimestamp = now
    }

    // MARK: Registered models

    public func createRegisteredModel(name: String, description: String, tags: [String: String]) throws -> RegisteredModel {
        try RegistryValidation.modelName(name)
        for (k, v) in tags { try RegistryValidation.tag(key: k, value: v) }
        guard entries[name] == nil else {
            throw RegistryError(.resourceAlreadyExists, "Registered Model (name=\(name)) already exists.")
        }
        let now = clock()
        let e = Entry(model: RegisteredModel(name: name, creationTimestamp: now, lastUpdatedTimestamp: now,
                                             description: description, tags: tags))
        entries[name] = e
        return view(e)
    }

    public func registeredModel(name: String) throws -> RegisteredModel {
        view(try entry(name))
    }

    public func renameRegisteredModel(name: String, newName: String) throws -> RegisteredModel {
        var e = try entry(name)
        try RegistryValidation.modelName(newName)
        guard newName == name || entries[newName] == nil else {
            throw RegistryError(.resourceAlreadyExists, "Registered Model (name=\(newName)) already exists.")
        }
        entries[name] = nil
        e.model.name = newName
        e.model.lastUpdatedTimestamp = clock()
        for k in e.versions.keys { e.versions[k]?.name = newName }
        entries[newName] = e
        return view(e)
    }

    public func updateRegisteredModel(name: String, description: String) throws -> RegisteredModel {
        _ = try entry(name)
        entries[name]?.model.description = description
        touch(name, clock())
        return view(try entry(name))
    }

    public func deleteRegisteredModel(name: String) throws {
        _ = try entry(name)
        entries[name] = nil
    }

    public func searchRegisteredModels(filter: String?, orderBy: [String], maxResults: Int,
                                       pageToken: String?) throws -> RegistryPage<RegisteredModel> {
        let f = try RegistrySearchFilter(parsing: filter, forVersions: false)
        let order = try RegistryOrdering(orderBy.isEmpty ? ["name"] : orderBy, forVersions: false)
        let all = entries.values.filter { f.matches(name: $0.model.name, runId: nil, tags: $0.model.tags) }
            .map(\.model)
            .sorted { order.precedes(($0.name, 0, $0.creationTimestamp, $0.lastUpdatedTimestamp),
                                     ($1.name, 0, $1.creationTimestamp, $1.lastUpdatedTimestamp)) }
        let page = try RegistryPage.slice(all, maxResults: maxResults, limit: 1000, pageToken: pageToken)
        return RegistryPage(items: page.items.compactMap { entries[$0.name].map(view) }, nextPageToken: page.nextPageToken)
    }

    public func setRegisteredModelTag(name: String, key: String, value: String) throws {
        _ = try entry(name)
        try RegistryValidation.tag(key: key, value: value)
        entries[name]?.model.tags[key] = value
        touch(name, clock())
    }

    public func deleteRegisteredModelTag(name: String, key: String) throws {
        let e = try entry(name)
        guard e.model.tags[key] != nil else {
            throw RegistryError(.resourceDoesNotExist, "No tag with key '\(key)' on registered model '\(name)'")
        }
        entries[name]?.model.tags[key] = nil
        touch(name, clock())
    }

    // MARK: Versions

    public func createModelVersion(name: String, source: String, runId: String?, description: String,
                                   tags: [String: String]) throws -> ModelVersion {
        try createModelVersion(name: name, source: source, runId: runId, description: description, tags: tags, modelId: nil, runLink: nil)
    }

    public func createModelVersion(name: String, source: String, runId: String?, description: String,
                                   tags: [String: String], modelId: String?, runLink: String?) throws -> ModelVersion {
        var e = try entry(name)
        guard !source.isEmpty else { throw RegistryError(.invalidParameterValue, "Model version source cannot be empty.") }
        for (k, v) in tags { try RegistryValidation.tag(key: k, value: v) }
        let now = clock()
        e.lastAllocated += 1
        let v = ModelVersion(name: name, version: e.lastAllocated, creationTimestamp: now, lastUpdatedTimestamp: now,
                             description: description, source: source, runId: runId, tags: tags, modelId: modelId, runLink: runLink)
        e.versions[v.version] = v
        e.model.lastUpdatedTimestamp = now
        entries[name] = e
        return view(v, e)
    }

    public func modelVersion(name: String, version: Int) throws -> ModelVersion {
        view(try self.version(name, version), try entry(name))
    }

    public func updateModelVersion(name: String, version: Int, description: String) throws -> ModelVersion {
        _ = try self.version(name, version)
        entries[name]?.versions[version]?.description = description
        entries[name]?.versions[version]?.lastUpdatedTimestamp = clock()
        return try modelVersion(name: name, version: version)
    }

    public func deleteModelVersion(name: String, version: Int) throws {
        _ = try self.version(name, version)
        guard var e = entries[name] else { return }
        e.versions[version] = nil
        e.aliases = e.aliases.filter { $0.value != version }
        e.model.lastUpdatedTimestamp = clock()
        entries[name] = e
    }

    public func searchModelVersions(filter: String?, orderBy: [String], maxResults: Int,
                                    pageToken: String?) throws -> RegistryPage<ModelVersion> {
        let f = try RegistrySearchFilter(parsing: filter, forVersions: true)
        let order = try RegistryOrdering(orderBy.isEmpty ? ["last_updated_timestamp DESC", "name", "version_number DESC"] : orderBy,
                                         forVersions: true)
        let all = entries.values.flatMap { e in
            e.versions.values.filter { f.matches(name: $0.name, runId: $0.runId, tags: $0.tags, source: $0.source, version: $0.version) }.map { view($0, e) }
        }.sorted { order.precedes(($0.name, $0.version, $0.creationTimestamp, $0.lastUpdatedTimestamp),
                                  ($1.name, $1.version, $1.creationTimestamp, $1.lastUpdatedTimestamp)) }
        return try RegistryPage.slice(all, maxResults: maxResults, limit: 200_000, pageToken: pageToken)
    }

    public func latestVersions(name: String, stages: [ModelStage]) throws -> [ModelVersion] {
        latest(try entry(name), stages: stages)
    }

    public func transitionStage(name: String, version: Int, stage: ModelStage,
                                archiveExistingVersions: Bool) throws -> ModelVersion {
        _ = try self.version(name, version)
        if archiveExistingVersions && !(stage == .staging || stage == .production) {
            throw RegistryError(.invalidParameterValue,
                                "archive_existing_versions applies to the Staging and Production stages only, not \(stage.rawValue).")
        }
        let now = clock()
        guard var e = entries[name] else { throw RegistryError(.resourceDoesNotExist, "Registered Model with name=\(name) not found") }
        if archiveExistingVersions {
            for (k, other) in e.versions where k != version && other.currentStage == stage {
                e.versions[k]?.currentStage = .archived
                e.versions[k]?.lastUpdatedTimestamp = now
            }
        }
        e.versions[version]?.currentStage = stage
        e.versions[version]?.lastUpdatedTimestamp = now
        e.model.lastUpdatedTimestamp = now
        entries[name] = e
        return try modelVersion(name: name, version: version)
    }

    public func setModelVersionTag(name: String, version: Int, key: String, value: String) throws {
        _ = try self.version(name, version)
        try RegistryValidation.tag(key: key, value: value)
        entries[name]?.versions[version]?.tags[key] = value
        entries[name]?.versions[version]?.lastUpdatedTimestamp = clock()
    }

    public func deleteModelVersionTag(name: String, version: Int, key: String) throws {
        let v = try self.version(name, version)
        guard v.tags[key] != nil else {
            throw RegistryError(.resourceDoesNotExist, "No tag with key '\(key)' on model version (name=\(name), version=\(version))")
        }
        entries[name]?.versions[version]?.tags[key] = nil
        entries[name]?.versions[version]?.lastUpdatedTimestamp = clock()
    }

    // MARK: Aliases

    public func setAlias(name: String, alias: String, version: Int) throws {
        try RegistryValidation.alias(alias)
        _ = try self.version(name, version)
        entries[name]?.aliases[alias] = version
        touch(name, clock())
    }

    public func deleteAlias(name: String, alias: String) throws {
        _ = try entry(name)
        try RegistryValidation.alias(alias)
        entries[name]?.aliases[alias] = nil
        touch(name, clock())
    }

    public func modelVersion(name: String, alias: String) throws -> ModelVersion {
        let e = try entry(name)
        guard let v = e.aliases[alias], let mv = e.versions[v] else {
            throw RegistryError(.invalidParameterValue, "Registered model alias \(alias) not found.")
        }
        return view(mv, e)
    }

    // MARK: URIs

    public func resolve(uri: String) async throws -> ResolvedModel {
        try await ModelURIResolution.resolve(uri, store: self, runs: runs)
    }

    // MARK: Promotion decisions

    @discardableResult
    public func commitPromotion(_ decision: PromotionDecision) throws -> PromotionDecision {
        if decision.applied {
            try RegistryValidation.alias(decision.alias)
            let e = try entry(decision.model)
            _ = try version(decision.model, decision.version)
            let holder = e.aliases[decision.alias]
            guard holder == decision.previousHolder else {
                throw RegistryError(.invalidState,
                                    "Alias '\(decision.alias)' of '\(decision.model)' moved from \(decision.previousHolder.map { "version \($0)" } ?? "nobody") to \(holder.map { "version \($0)" } ?? "nobody") while the gates were evaluated; evaluate again.")
            }
            entries[decision.model]?.aliases[decision.alias] = decision.version
            touch(decision.model, clock())
        }
        decisions.append(decision)
        return decision
    }

    public func promotionDecisions(name: String?) -> [PromotionDecision] {
        guard let name else { return decisions }
        return decisions.filter { $0.model == name }
    }
}
