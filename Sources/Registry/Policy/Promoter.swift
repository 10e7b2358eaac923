import Foundation

/// Promotes a registered version to an alias under its model's policy: reads the candidate and the
/// alias's current holder from the store, evaluates the gates (``GateEvaluator``), and commits the
/// decision: the alias moves (atomically, only if its holder has not changed meanwhile) when every
/// gate passes or `force` is set, and the decision is recorded in the store's history either way.
/// The returned ``PromotionDecision`` is what the caller prints and writes into the audit log.
///
/// Without a policy for the model, or when the policy does not list the alias, promotion is refused
/// (`INVALID_PARAMETER_VALUE`) unless forced; a forced promotion without gates is recorded with no
/// gates and `forced: true`.
///
/// ```swift
/// let promoter = Promoter(store: store, policies: try PromotionPolicies.load(directory: "Models"), context: context)
/// let d = try await promoter.promote(name: "churn", version: 3, alias: "champion", actor: "alice")
/// for g in d.gates { print(g.verdict, g.name, g.reason) }
/// ```
public struct Promoter: Sendable {
    public var store: any RegistryStore
    public var policies: PromotionPolicies
    public var context: any GateContext
    public var clock: @Sendable () -> Int64

    public init(store: any RegistryStore, policies: PromotionPolicies, context: any GateContext,
                clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }) {
        self.store = store
        self.policies = policies
        self.context = context
        self.clock = clock
    }

    public func promote(name: String, version: Int, alias: String, force: Bool = false,
                        actor: String) async throws -> PromotionDecision {
        try RegistryValidation.alias(alias)
        let candidate = try await store.modelVersion(name: name, version: version)
        guard candidate.status == .ready else {
            throw RegistryError(.invalidState, "Model version (name=\(name), version=\(version)) is \(candidate.status.rawValue), not READY; it cannot get an alias.")
        }
        let holderVersion = try await store.aliasHolder(name: name, alias: alias)
        let holder: ModelVersion? = if let holderVersion { try await store.modelVersion(name: name, version: holderVersion) } else { nil }
        var gates: [GateResult] = []
        var source: String?
        if let policy = policies[name], policy.gates(for: alias) != nil {
            let evaluated = try await GateEvaluator.evaluate(policy: policy, alias: alias, candidate: candidate,
                                                             holder: holder, context: context)
            gates = evaluated.gates
            source = policy.source
        } else if !force {
            let why = policies[name].map { "its policy (\($0.source ?? "policy")) lists no gates for alias '\(alias)'" }
                ?? "there is no promotion policy for model '\(name)'"
            throw RegistryError(.invalidParameterValue, "Cannot promote \(name) version \(version) to '\(alias)': \(why); use force to override.")
        }
        let decision = PromotionDecision(model: name, version: version, alias: alias, previousHolder: holderVersion,
                                         gates: gates, forced: force, actor: actor, timestamp: clock(),
                                         policySource: source)
        return try await store.commitPromotion(decision)
    }
}
