import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Tracking
import TrackingServer

/// A tracking server over a fresh SQLite store with the proxied artifact root and a fixed clock,
/// driven in-process through `app.test(.router)`.
struct ServerFixture {
    let store: SQLiteTrackingStore
    let server: TrackingServer

    static func make() throws -> ServerFixture {
        let dir = try TestPaths.tempDir("tsrv")
        let store = try SQLiteTrackingStore(path: dir.appendingPathComponent("mltrack.db").path,
                                            artifactRoot: TrackingServerConfiguration.proxiedArtifactRoot,
                                            actor: "tester", clock: { 1_700_000_000_000 })
        return ServerFixture(store: store, server: TrackingServer(store: store, configuration: .init(port: 0, logRequests: false)))
    }

    /// Runs `body` with a client of the router.
    func test(_ body: @escaping @Sendable (API) async throws -> Void) async throws {
        try await server.makeApplication().test(.router) { client in try await body(API(client: client)) }
    }
}

/// A thin MLflow API client over the test client: JSON in, status and parsed JSON out.
struct API: Sendable {
    let client: any TestClientProtocol

    struct Answer: @unchecked Sendable {
        var status: Int
        var json: [String: Any]
        var text: String
        var errorCode: String? { json["error_code"] as? String }
        var contentType: String?
    }

    func call(_ method: HTTPRequest.Method, _ path: String, json body: String? = nil, prefix: String = "/api/2.0/mlflow/") async throws -> Answer {
        let uri = path.hasPrefix("/") ? path : prefix + path
        let buffer = body.map { ByteBuffer(string: $0) }
        return try await client.execute(uri: uri, method: method, headers: [.contentType: "application/json"], body: buffer) { r in
            let text = String(buffer: r.body)
            let obj = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return Answer(status: Int(r.status.code), json: obj, text: text, contentType: r.headers[.contentType])
        }
    }

    func post(_ path: String, _ body: String) async throws -> Answer { try await call(.post, path, json: body) }
    func get(_ path: String) async throws -> Answer { try await call(.get, path) }
}

extension Dictionary where Key == String, Value == Any {
    func obj(_ key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
    func list(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
    func str(_ key: String) -> String? { self[key] as? String }
    func has(_ key: String) -> Bool { keys.contains(key) }
    func int(_ key: String) -> Int64? { (self[key] as? NSNumber)?.int64Value }
    func double(_ key: String) -> Double? { (self[key] as? NSNumber)?.doubleValue }
    /// `[{key, value}]` as a dictionary.
    func pairs(_ key: String) -> [String: String] {
        var out: [String: String] = [:]
        for p in list(key) { if let k = p["key"] as? String { out[k] = p["value"] as? String } }
        return out
    }
}
