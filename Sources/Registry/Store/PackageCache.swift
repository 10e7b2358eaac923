import Foundation
import GoldTables
import Tracking

/// Local copies of model packages whose `source` is remote (`mlflow-artifacts:/…` or an http(s)
/// artifact-proxy URI): each source is downloaded once, whole, into
/// `<directory>/<sha256 of the resolved source>` (written under a temporary name and renamed, so a
/// half-downloaded package is never visible), then reused. Local sources (`file://`, paths) are
/// returned as they are. A registered version's source never changes, so a copy stays valid;
/// delete the directory to force new downloads.
///
/// The directory is `MLTRACK_PACKAGE_CACHE`, else `~/.cache/mltrack/packages`.
///
/// ```swift
/// let cache = PackageCache(trackingURI: try TrackingURI.resolve())
/// let dir = try cache.localURL(for: "mlflow-artifacts:/1/ab12/artifacts/model")   // …/packages/3f9c…
/// ```
public struct PackageCache: Sendable {
    public let directory: String
    /// Resolves `mlflow-artifacts:` sources (an http(s) tracking URI; nil: such sources fail).
    public let trackingURI: TrackingURI?
    /// Opens the store of a remote source (tests pass their own).
    let open: @Sendable (String, TrackingURI?) throws -> any ArtifactStore

    public static var defaultDirectory: String {
        let env = ProcessInfo.processInfo.environment
        if let d = env["MLTRACK_PACKAGE_CACHE"], !d.isEmpty { return d }
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.temporaryDirectory.path
        return home + "/.cache/mltrack/packages"
    }

    public init(directory: String = PackageCache.defaultDirectory, trackingURI: TrackingURI? = try? TrackingURI.resolve()) {
        self.init(directory: directory, trackingURI: trackingURI, open: { try ArtifactStores.open(uri: $0, trackingURI: $1) })
    }

    init(directory: String, trackingURI: TrackingURI?, open: @escaping @Sendable (String, TrackingURI?) throws -> any ArtifactStore) {
        self.directory = directory
        self.trackingURI = trackingURI
        self.open = open
    }

    /// True for sources that must be downloaded before loading.
    public static func isRemote(_ source: String) -> Bool {
        let lower = source.lowercased()
        return lower.hasPrefix("mlflow-artifacts:") || lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// The local package directory of `source`, downloading it first when it is remote.
    public func localURL(for source: String) throws -> URL {
        guard Self.isRemote(source) else { return try PackageLocation.localURL(source) }
        let store = try open(source, trackingURI)
        var key = GoldSHA256()
        key.update(Array(store.uri.utf8))
        if let http = store as? HTTPArtifactStore { key.update(Array((http.baseURL.absoluteString + "|" + http.rootPath).utf8)) }
        let target = directory + "/" + GoldSHA256.hex(key.finalize())
        if FileManager.default.fileExists(atPath: target) { return URL(fileURLWithPath: target) }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw RegistryError(.invalidParameterValue, "package cache '\(directory)': cannot create it: \(error.localizedDescription)")
        }
        do {
            try store.download(path: "", to: target)
        } catch {
            // Another process may have placed the same package meanwhile: theirs is as good.
            if FileManager.default.fileExists(atPath: target) { return URL(fileURLWithPath: target) }
            if let e = error as? TrackingError {
                throw RegistryError(e.code == .resourceDoesNotExist ? .resourceDoesNotExist : .invalidParameterValue,
                                    "model source '\(source)': cannot download it: \(e.message)")
            }
            throw RegistryError(.invalidParameterValue, "model source '\(source)': cannot download it: \(error)")
        }
        return URL(fileURLWithPath: target)
    }

    /// ``localURL(for:)`` off the caller's thread (the download blocks), for async callers.
    public func localURL(for source: String) async throws -> URL {
        guard Self.isRemote(source) else { return try PackageLocation.localURL(source) }
        let cache = self
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<URL, any Error>) in
            Thread { c.resume(with: Result { try cache.localURL(for: source) }) }.start()
        }
    }
}
