import Tracking

/// URI resolution written once over the ``RegistryStore`` read methods, so every backend resolves
/// alike: a store's `resolve(uri:)` calls ``resolve(_:store:runs:)``.
///
/// ```swift
/// func resolve(uri: String) async throws -> ResolvedModel {
///     try await ModelURIResolution.resolve(uri, store: self, runs: runLocator)
/// }
/// ```
public enum ModelURIResolution {
    public static func resolve(_ text: String, store: some RegistryStore,
                               runs: (any RunArtifactLocator)?) async throws -> ResolvedModel {
        let uri = try ModelURI(parsing: text)
        func named(_ e: RegistryError) -> RegistryError {
            RegistryError(e.code, "Cannot resolve '\(text)': \(e.message)")
        }
        do {
            switch uri {
            case .version(let name, let version):
                let v = try await store.modelVersion(name: name, version: version)
                return ResolvedModel(uri: uri, source: v.source, version: v)
            case .alias(let name, let alias):
                let v = try await store.modelVersion(name: name, alias: alias)
                return ResolvedModel(uri: uri, source: v.source, version: v)
            case .stage(let name, let stage):
                guard let v = try await store.latestVersions(name: name, stages: [stage]).first else {
                    throw RegistryError(.resourceDoesNotExist, "no version of '\(name)' is in stage \(stage.rawValue)")
                }
                return ResolvedModel(uri: uri, source: v.source, version: v)
            case .latest(let name):
                guard let v = try await store.latestVersions(name: name, stages: []).max(by: { $0.version < $1.version }) else {
                    throw RegistryError(.resourceDoesNotExist, "registered model '\(name)' has no versions")
                }
                return ResolvedModel(uri: uri, source: v.source, version: v)
            case .run(let runId, let path):
                guard let runs else {
                    throw RegistryError(.invalidParameterValue, "this registry has no access to runs, so runs:/ URIs cannot be resolved")
                }
                var root = try await runs.artifactURI(runId: runId)
                while root.hasSuffix("/") { root.removeLast() }
                return ResolvedModel(uri: uri, source: root + "/" + path, version: nil)
            }
        } catch let e as RegistryError {
            throw named(e)
        } catch let e as TrackingError {
            throw RegistryError(e.code, "Cannot resolve '\(text)': \(e.message)")
        } catch {
            throw RegistryError(.internalError, "Cannot resolve '\(text)': \(error)")
        }
    }
}
