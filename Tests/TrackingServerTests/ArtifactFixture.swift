import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Tracking
import TrackingServer

/// A tracking server with the artifact proxy over a fresh destination directory (JSON bodies
/// limited to 1 MB, so a larger artifact proves the proxy streams), driven in-process or live.
struct ArtifactFixture {
    let dir: URL
    let destination: URL
    let store: SQLiteTrackingStore
    let server: TrackingServer

    static func make(maxArtifactBytes: Int64 = 5 << 30) throws -> ArtifactFixture {
        let dir = try TestPaths.tempDir("tsrv-art")
        let destination = dir.appendingPathComponent("mlartifacts")
        let store = try SQLiteTrackingStore(path: dir.appendingPathComponent("mltrack.db").path,
                                            artifactRoot: TrackingServerConfiguration.proxiedArtifactRoot,
                                            actor: "tester", clock: { 1_700_000_000_000 })
        let config = TrackingServerConfiguration(port: 0, artifactsDestination: destination.path, maxBodyBytes: 1 << 20,
                                                 maxArtifactBytes: maxArtifactBytes, logRequests: false)
        return ArtifactFixture(dir: dir, destination: destination, store: store, server: TrackingServer(store: store, configuration: config))
    }

    func test(_ setup: TestingSetup = .router, _ body: @escaping @Sendable (Raw) async throws -> Void) async throws {
        try await server.makeApplication().test(setup) { client in try await body(Raw(client: client)) }
    }

    /// Every name under the destination, relative (files and directories), sorted.
    func tree() -> [String] {
        let base = destination.path
        guard let e = FileManager.default.enumerator(atPath: base) else { return [] }
        return (e.allObjects as? [String] ?? []).sorted()
    }
}

/// Raw requests: bytes in, status, headers and bytes out.
struct Raw: Sendable {
    let client: any TestClientProtocol

    struct Answer: @unchecked Sendable {
        var status: Int
        var headers: HTTPFields
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, body: [UInt8]? = nil, headers: HTTPFields = [:]) async throws -> Answer {
        try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { r in
            Answer(status: Int(r.status.code), headers: r.headers, body: Array(r.body.readableBytesView))
        }
    }

    static let artifacts = "/api/2.0/mlflow-artifacts/artifacts"

    func put(_ path: String, _ bytes: [UInt8]) async throws -> Answer { try await send(.put, "\(Self.artifacts)/\(path)", body: bytes) }
    func get(_ path: String) async throws -> Answer { try await send(.get, "\(Self.artifacts)/\(path)") }
    func list(_ query: String?) async throws -> Answer { try await send(.get, Self.artifacts + (query.map { "?path=\($0)" } ?? "")) }
    func delete(_ path: String) async throws -> Answer { try await send(.delete, "\(Self.artifacts)/\(path)") }
}

/// Runs blocking work (URLSession-based clients) on its own thread, off the cooperative pool.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
        let t = Thread { c.resume(with: Result { try body() }) }
        t.stackSize = 8 << 20
        t.start()
    }
}
