import Foundation
import ModelPackage
import Registry
import Tracking

/// The ``GateContext`` of promotions in a tracking store: a version's logged metrics are its run's
/// latest metrics; `score(version:onTestSplitOf:)` rebuilds the candidate run's test split from its
/// recorded spec and Delta version (``RecordedRun``, ``HeldOutData``), loads the version's package
/// from its `source` (a `file://` URI or a path) and scores it there. The split is built once per
/// candidate run.
///
/// ```swift
/// let context = RunGateContext(tracking: store, artifacts: ExperimentRunner.defaultArtifacts)
/// let promoter = Promoter(store: registry, policies: policies, context: context)
/// ```
public struct RunGateContext: GateContext {
    public var tracking: any TrackingStore
    public var artifacts: ExperimentRunner.ArtifactStoreFactory
    private let cache = SplitCache()

    public init(tracking: any TrackingStore,
                artifacts: @escaping ExperimentRunner.ArtifactStoreFactory = ExperimentRunner.defaultArtifacts) {
        self.tracking = tracking
        self.artifacts = artifacts
    }

    /// The run's latest metrics, a `test_<name>` metric also answering for `<name>` (the same
    /// reading as ``TrackedRunGateContext``, which `mltrack models promote` used before scoring was
    /// available there).
    public func candidateMetrics(_ candidate: ModelVersion) async throws -> [String: Double] {
        _ = try Self.runId(of: candidate)
        return try await TrackedRunGateContext(tracking: tracking).candidateMetrics(candidate)
    }

    public func score(version: ModelVersion, onTestSplitOf candidate: ModelVersion) async throws -> [String: Double] {
        let runId = try Self.runId(of: candidate)
        let data: HeldOutData
        if let cached = cache[runId] {
            data = cached
        } else {
            data = try HeldOutData.make(try RecordedRun.load(runId: runId, store: tracking, artifacts: artifacts).spec)
            cache[runId] = data
        }
        return try data.score(try ModelPackage.load(from: try Self.packageURL(version.source)))
    }

    static func runId(of v: ModelVersion) throws -> String {
        guard let id = v.runId, !id.isEmpty else {
            throw RegistryError(.invalidParameterValue, "\(v.name) version \(v.version) names no run; its test split is unknown")
        }
        return id
    }

    /// The local directory of a package source: `file://…` or a plain path, or a remote source
    /// downloaded into the ``PackageCache``.
    static func packageURL(_ source: String) throws -> URL { try PackageCache().localURL(for: source) }
}

/// Held-out splits by candidate run id (thread-safe).
final class SplitCache: @unchecked Sendable {
    // @unchecked: `splits` is only touched under `lock`.
    private let lock = NSLock()
    private var splits: [String: HeldOutData] = [:]

    subscript(runId: String) -> HeldOutData? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return splits[runId]
        }
        set {
            lock.lock()
            defer { lock.unlock() }
            splits[runId] = newValue
        }
    }
}
