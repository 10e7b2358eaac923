import Features
import Foundation
import Logging
import ModelPackage
import Synchronization

/// The models a server hosts, by name, each in a ``ModelSlot``; one of them is the default model
/// (`/invocations`, `/recommend`). Every model is loaded before the host exists, so a server never
/// listens with a model missing. ``refresh()`` re-resolves the references that follow an alias, a
/// stage or `latest`, loads a new package in the background and swaps it in; a failed load is
/// reported and the old model keeps serving. ``AliasFollower`` calls it on a timer.
///
/// ```swift
/// let host = try await ModelHost.load([try HostedModelSpec(default: "models:/churn@champion")],
///                                     resolver: RegistryModelResolver(registry: registry))
/// let model = host.defaultModel          // churn/3
/// let outcomes = await host.refresh()    // [.swapped(name: "churn", from: "churn/3", to: "churn/4")]
/// ```
public final class ModelHost: Sendable {
    /// What one ``refresh()`` did for one followed model.
    public enum RefreshOutcome: Sendable, Hashable {
        /// Still resolves to the package serving.
        case unchanged(name: String)
        /// The new version was loaded and now serves.
        case swapped(name: String, from: String, to: String)
        /// The new version could not be loaded; the old one keeps serving.
        case loadFailed(name: String, target: String, message: String)
        /// The reference could not be resolved (registry unreachable, alias deleted); nothing changed.
        case resolveFailed(name: String, message: String)
        /// A failed target is not retried yet (backing off); the old model keeps serving.
        case backingOff(name: String, target: String)
    }

    public let defaultName: String
    /// Slots by name; the set of names never changes after loading.
    public let slots: [String: ModelSlot]
    /// The names in the order they were given (the default first).
    public let names: [String]
    public let resolver: any ModelResolver
    public let observer: any ModelHostObserver
    private let logger: Logger
    private let follow: Mutex<[String: FollowState]>

    /// Per followed model: the last failed target and how many polls to skip before retrying it.
    struct FollowState: Sendable {
        var refreshing = false
        var failedTarget: ResolvedPackage?
        var failures = 0
        var skip = 0
        var lastResolveError: String?
    }

    init(slots: [ModelSlot], resolver: any ModelResolver, observer: any ModelHostObserver, logger: Logger) {
        defaultName = slots.first?.name ?? "model"
        names = slots.map(\.name)
        self.slots = Dictionary(slots.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.resolver = resolver
        self.observer = observer
        self.logger = logger
        follow = Mutex(Dictionary(uniqueKeysWithValues: slots.map { ($0.name, FollowState()) }))
    }

    /// Resolves and loads every model (the first spec is the default model); throws naming the
    /// first model that cannot be loaded, or a name given twice. Each model's predictors are the
    /// standard ones with its spec's ``HostedModelSpec/scoring`` options, unless `predictors` is given.
    public static func load(_ specs: [HostedModelSpec], resolver: any ModelResolver,
                            predictors custom: PredictorRegistry<FeatureValue>? = nil,
                            observer: any ModelHostObserver = NoModelHostObserver(),
                            logger: Logger = Logger(label: "mltrack.serve")) async throws(ServingError) -> ModelHost {
        guard !specs.isEmpty else { throw ServingError(.invalidParameterValue, "no model to serve") }
        var seen = Set<String>()
        for spec in specs where !seen.insert(spec.name).inserted {
            throw ServingError(.invalidParameterValue, "the model name '\(spec.name)' is given twice (use --model NAME=URI with distinct names)")
        }
        var slots: [ModelSlot] = []
        for spec in specs {
            let predictors = custom ?? .standard(options: spec.scoring)
            let resolved = try await resolve(spec.reference, with: resolver, name: spec.name)
            let model = try await loadInBackground(name: spec.name, resolved: resolved, predictors: predictors,
                                                   defaultK: spec.scoring.defaultK)
            slots.append(ModelSlot(model, reference: spec.reference, predictors: predictors, maxBodyBytes: spec.maxBodyBytes))
            logger.info("model loaded", metadata: ["model": "\(spec.name)", "version": "\(model.versionLabel)",
                                                  "uri": "\(spec.reference)", "path": "\(resolved.path)"])
        }
        let host = ModelHost(slots: slots, resolver: resolver, observer: observer, logger: logger)
        for slot in slots { observer.modelServing(slot.current, replacing: nil) }
        return host
    }

    /// A host over models already loaded (tests, embedding); the first is the default model.
    public convenience init(models: [ServedModel], resolver: any ModelResolver,
                            predictors: PredictorRegistry<FeatureValue> = .standard,
                            observer: any ModelHostObserver = NoModelHostObserver(),
                            logger: Logger = Logger(label: "mltrack.serve")) {
        self.init(slots: models.map { ModelSlot($0, predictors: predictors) }, resolver: resolver, observer: observer, logger: logger)
        for slot in slots.values { observer.modelServing(slot.current, replacing: nil) }
    }

    /// The model serving under `name`, nil for an unknown name.
    public func model(named name: String) -> ServedModel? { slots[name]?.current }

    /// The default model, serving now.
    public var defaultModel: ServedModel? { slots[defaultName]?.current }

    /// Whether any hosted reference can move (an alias, a stage, `latest`).
    public var followsAny: Bool { slots.values.contains { $0.reference.follows } }

    /// Re-resolves every reference that follows and swaps in the packages that changed. Never
    /// throws: failures are logged, reported to the observer and returned.
    public func refresh() async -> [RefreshOutcome] {
        var outcomes: [RefreshOutcome] = []
        for name in names {
            guard let slot = slots[name], slot.reference.follows else { continue }
            if let outcome = await refresh(slot) { outcomes.append(outcome) }
        }
        return outcomes
    }

    private func refresh(_ slot: ModelSlot) async -> RefreshOutcome? {
        let name = slot.name
        // One refresh per slot at a time (a manual refresh racing the timer does nothing).
        let started = follow.withLock { states -> Bool in
            if states[name]?.refreshing == true { return false }
            states[name, default: FollowState()].refreshing = true
            return true
        }
        guard started else { return nil }
        defer { follow.withLock { $0[name]?.refreshing = false } }

        let target: ResolvedPackage
        do {
            target = try await Self.resolve(slot.reference, with: resolver, name: name)
        } catch {
            let message = error.message
            let repeated = follow.withLock { states -> Bool in
                defer { states[name]?.lastResolveError = message }
                return states[name]?.lastResolveError == message
            }
            if !repeated {
                logger.warning("cannot resolve the model; the current version keeps serving",
                               metadata: ["model": "\(name)", "uri": "\(slot.reference)", "error": "\(message)"])
            }
            return .resolveFailed(name: name, message: message)
        }
        follow.withLock { $0[name]?.lastResolveError = nil }
        let current = slot.current
        if target == current.resolved {
            follow.withLock { $0[name]?.failedTarget = nil; $0[name]?.failures = 0; $0[name]?.skip = 0 }
            return .unchanged(name: name)
        }
        // A target that failed before is retried after 1, 2, 4 … 32 skipped polls.
        let backingOff = follow.withLock { states -> Bool in
            guard var s = states[name], s.failedTarget == target, s.skip > 0 else { return false }
            s.skip -= 1
            states[name] = s
            return true
        }
        if backingOff { return .backingOff(name: name, target: target.versionLabel) }

        logger.info("loading a new model version", metadata: ["model": "\(name)", "from": "\(current.versionLabel)",
                                                              "to": "\(target.versionLabel)", "path": "\(target.path)"])
        let model: ServedModel
        do {
            model = try await Self.loadInBackground(name: name, resolved: target, predictors: slot.predictors,
                                                    defaultK: current.defaultK)
        } catch {
            let failures = follow.withLock { states -> Int in
                var s = states[name] ?? FollowState()
                s.failures = s.failedTarget == target ? s.failures + 1 : 1
                s.failedTarget = target
                s.skip = min(1 << (s.failures - 1), 32)
                states[name] = s
                return s.failures
            }
            logger.error("loading the new model version failed; the current version keeps serving",
                         metadata: ["model": "\(name)", "version": "\(current.versionLabel)", "target": "\(target.versionLabel)",
                                    "failures": "\(failures)", "error": "\(error.message)"])
            observer.modelLoadFailed(name: name, target: target, error: error)
            return .loadFailed(name: name, target: target.versionLabel, message: error.message)
        }
        let old = slot.swap(to: model)
        follow.withLock { $0[name]?.failedTarget = nil; $0[name]?.failures = 0; $0[name]?.skip = 0 }
        observer.modelServing(model, replacing: old)
        logger.info("model swapped", metadata: ["model": "\(name)", "from": "\(old.versionLabel)", "to": "\(model.versionLabel)"])
        return .swapped(name: name, from: old.versionLabel, to: model.versionLabel)
    }

    static func resolve(_ reference: ModelReference, with resolver: any ModelResolver, name: String) async throws(ServingError) -> ResolvedPackage {
        do {
            return try await resolver.resolve(reference)
        } catch let e as ServingError {
            throw e
        } catch {
            throw ServingError(.internalError, "cannot resolve model '\(name)' (\(reference)): \(error)")
        }
    }

    /// Loads a package on a Dispatch worker, so reading and verifying a large package never holds
    /// one of the few cooperative threads that answer requests.
    static func loadInBackground(name: String, resolved: ResolvedPackage,
                                 predictors: PredictorRegistry<FeatureValue>, defaultK: Int = 10) async throws(ServingError) -> ServedModel {
        let result: Result<ServedModel, ServingError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                do {
                    continuation.resume(returning: .success(try ServedModel.load(name: name, resolved: resolved, predictors: predictors, defaultK: defaultK)))
                } catch let e as ServingError {
                    continuation.resume(returning: .failure(e))
                } catch {
                    continuation.resume(returning: .failure(ServingError(.internalError, "cannot load model '\(name)': \(error)")))
                }
            }
        }
        return try result.get()
    }
}
