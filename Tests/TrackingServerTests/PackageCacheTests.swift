import Foundation
import Registry
import Testing
import Tracking

/// A model package whose registered source is on the artifact proxy is downloaded once into the
/// cache, whole, and reused; local sources pass through.
@Suite struct PackageCacheTests {
    @Test func remoteSourceIsDownloadedOnceAndReused() async throws {
        let fx = try ArtifactFixture.make()
        let cacheDir = try TestPaths.tempDir("pkg-cache").path
        let package = try TestPaths.tempDir("pkg-src")
        try HTTPArtifactStoreTests.write("flavors:\n  mltrack: {}\n", package.appendingPathComponent("MLmodel"))
        try HTTPArtifactStoreTests.write("[1.5, -2]", package.appendingPathComponent("weights/w.json"))
        try await HTTPArtifactStoreTests.withLiveServer(fx) { url in
            let source = "mlflow-artifacts:/1/r1/artifacts/model"
            let store = try HTTPArtifactStore(uri: source, trackingURI: url, retry: HTTPArtifactStoreTests.retry)
            try store.log(directory: package.path, at: "")
            let cache = PackageCache(directory: cacheDir, trackingURI: .http(url))
            // Two resolvers at once: both get the same whole copy.
            let paths = onThreads(2) { _ in _ = try cache.localURL(for: source) }
            #expect(paths.isEmpty, "\(paths)")
            let local = try cache.localURL(for: source)
            #expect(local.deletingLastPathComponent().path == URL(fileURLWithPath: cacheDir).standardizedFileURL.path
                || local.path.hasPrefix(cacheDir))
            #expect(HTTPArtifactStoreTests.files(under: local) == HTTPArtifactStoreTests.files(under: package))
            #expect(try FileManager.default.contentsOfDirectory(atPath: cacheDir).count == 1)
            // Reused: gone from the server, still served from the cache.
            try store.delete(path: "")
            #expect(try cache.localURL(for: source) == local)
            #expect(HTTPArtifactStoreTests.files(under: local) == HTTPArtifactStoreTests.files(under: package))
            // A missing remote package is RESOURCE_DOES_NOT_EXIST, and leaves nothing behind.
            #expect { try cache.localURL(for: "mlflow-artifacts:/1/none/artifacts/model/MLmodel") } throws: {
                ($0 as? RegistryError)?.code == .resourceDoesNotExist
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: cacheDir).count == 1)
        }
        // Local sources are returned as they are, without the cache.
        let cache = PackageCache(directory: cacheDir, trackingURI: nil)
        #expect(try await cache.localURL(for: "file://" + package.path).path == package.path)
        #expect(try await cache.localURL(for: package.path).path == package.path)
        #expect { try cache.localURL(for: "s3://bucket/model") } throws: { "\($0)".contains("s3://bucket/model") }
    }
}
