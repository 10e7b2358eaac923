import Foundation
import Registry
import Tracking

/// A ``ModelReference`` resolved to a package directory on this machine, with the registered
/// version it is (nil for `runs:/` URIs and plain paths).
///
/// ```swift
/// let r = try await RegistryModelResolver(registry: store).resolve(try ModelReference(parsing: "models:/churn@champion"))
/// print(r.path, r.version ?? 0)   // /…/artifacts/1/ab12…/artifacts/model 3
/// ```
public struct ResolvedPackage: Sendable, Hashable {
    public var reference: ModelReference
    /// The package directory.
    public var path: String
    /// The registered model name (nil for a path or a run URI).
    public var registeredName: String?
    /// The registered version (nil for a path or a run URI).
    public var version: Int?
    /// The run that produced the package, when known.
    public var runId: String?

    public init(reference: ModelReference, path: String, registeredName: String? = nil, version: Int? = nil, runId: String? = nil) {
        self.reference = reference
        self.path = path
        self.registeredName = registeredName
        self.version = version
        self.runId = runId
    }

    /// What names this package in headers, metrics and logs: `churn/3`, `run:<id>` or `local`.
    public var versionLabel: String {
        if let registeredName, let version { return "\(registeredName)/\(version)" }
        if let runId { return "run:\(runId)" }
        return "local"
    }
}

/// Resolves references to packages (the registry's URIs through a ``RegistryStore``).
public protocol ModelResolver: Sendable {
    func resolve(_ reference: ModelReference) async throws -> ResolvedPackage
}

/// The resolver over a registry store (nil: only package paths can be resolved). Package paths must
/// be directories holding an `MLmodel`. Any ``RegistryStore`` works: the SQLite registry, or
/// `RESTRegistryStore` for a tracking server. A resolved source becomes a local directory through
/// `localPackage`: by default a ``PackageCache`` download, so a version whose source is remote
/// (`mlflow-artifacts:/…`, an http(s) artifact-proxy URI) is fetched once and loaded from the cache.
///
/// ```swift
/// let resolver = RegistryModelResolver(registry: try SQLiteRegistryStore(tracking: tracking))
/// ```
public struct RegistryModelResolver: ModelResolver {
    public let registry: (any RegistryStore)?
    /// The local package directory of a resolved source URI.
    public let localPackage: @Sendable (String) async throws -> URL

    public init(registry: (any RegistryStore)?, packages: PackageCache = PackageCache()) {
        self.init(registry: registry) { source in try await packages.localURL(for: source) }
    }

    public init(registry: (any RegistryStore)?, localPackage: @escaping @Sendable (String) async throws -> URL) {
        self.registry = registry
        self.localPackage = localPackage
    }

    public func resolve(_ reference: ModelReference) async throws -> ResolvedPackage {
        switch reference.target {
        case .package(let path):
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
                throw ServingError(.resourceDoesNotExist, "model package '\(path)': no such directory")
            }
            return ResolvedPackage(reference: reference, path: path)
        case .registry(let uri):
            guard let registry else {
                throw ServingError(.invalidParameterValue, "'\(reference)': no model registry is configured to resolve it")
            }
            let resolved: ResolvedModel
            do {
                resolved = try await registry.resolve(uri: uri.description)
            } catch let e as RegistryError {
                throw ServingError(e.code == .resourceDoesNotExist ? .resourceDoesNotExist : .invalidParameterValue, e.message)
            }
            let url: URL
            do {
                url = try await localPackage(resolved.source)
            } catch let e as TrackingError {
                throw ServingError(e.code == .resourceDoesNotExist ? .resourceDoesNotExist : .invalidParameterValue, "'\(reference)': \(e.message)")
            } catch let e as RegistryError {
                throw ServingError(e.code == .resourceDoesNotExist ? .resourceDoesNotExist : .invalidParameterValue, "'\(reference)': \(e.message)")
            }
            var runId = resolved.version?.runId
            if case .run(let id, _) = uri { runId = id }
            return ResolvedPackage(reference: reference, path: url.path, registeredName: resolved.version?.name,
                                   version: resolved.version?.version, runId: runId)
        }
    }
}
