import Foundation
import Registry
import Tracking

extension ExperimentRunner {
    /// Registers the run's `model` artifact as a new version of `spec.register.model` (creating the
    /// registered model if missing) and, with `register.auto_promote`, asks the ``Promoter`` for the
    /// alias under the spec's policy (`register.policy`, else the policies in ``policiesDirectory``),
    /// scoring with a ``RunGateContext``. The decision is recorded by the registry.
    public func register(runId: String, artifactUri: String, spec: ExperimentSpec,
                         progress: RunEventHandler? = nil) async throws -> RegistrationOutcome? {
        guard let registry, let target = spec.register else { return nil }
        do {
            _ = try await registry.registeredModel(name: target.model)
        } catch let e as RegistryError where e.code == .resourceDoesNotExist {
            do {
                _ = try await registry.createRegisteredModel(name: target.model, description: spec.description, tags: [:])
            } catch let e as RegistryError where e.code == .resourceAlreadyExists {
                // Created by another process meanwhile.
            }
        }
        let source = artifactUri + "/model"
        let version = try await registry.createModelVersion(name: target.model, source: source, runId: runId,
                                                            description: "", tags: [:])
        _ = try? store.setTag(runId: runId, tag: RunTag(key: RunTags.registeredVersion, value: "\(target.model)/\(version.version)"),
                          actor: actor)
        progress?(.status("registered \(target.model) version \(version.version) from run \(runId)"))
        var outcome = RegistrationOutcome(model: target.model, version: version.version, source: source, runId: runId)
        if let alias = target.autoPromote {
            let policies = try loadPolicies(spec)
            let promoter = Promoter(store: registry, policies: policies,
                                    context: RunGateContext(tracking: store, artifacts: artifacts))
            let decision = try await promoter.promote(name: target.model, version: version.version, alias: alias, actor: user)
            outcome.decision = decision
            progress?(.status(decision.report))
        }
        return outcome
    }

    func loadPolicies(_ spec: ExperimentSpec) throws -> PromotionPolicies {
        if let path = spec.policyPath { return try PromotionPolicies([try PromotionPolicy.load(path: path)]) }
        if let dir = policiesDirectory { return try PromotionPolicies.load(directory: dir) }
        return try PromotionPolicies([])
    }
}
