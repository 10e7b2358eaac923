import Foundation

/// The async face of ``RESTClient``: the same requests, retries and error mapping, with the
/// blocking exchange run on ``RESTBlockingPool`` instead of the caller's (cooperative) thread.
/// Async stores (the REST registry) use these.
///
/// ```swift
/// let data = try await client.get("registered-models/get", query: [("name", "churn")])
/// _ = try await client.call("DELETE", "registered-models/alias", body: ["name": "churn", "alias": "champion"])
/// ```
extension RESTClient {
    /// `GET` with `query` as the query string, off the cooperative pool.
    public func get(_ path: String, query: [(String, String)] = [], pool: RESTBlockingPool = .shared) async throws -> Data {
        try await pool.run { try self.get(path, query: query) }
    }

    /// `method` (POST, PATCH, DELETE) with `body` as JSON, off the cooperative pool. The body is
    /// encoded before the call, on the caller's thread.
    public func call<B: Encodable>(_ method: String, _ path: String, body: B, pool: RESTBlockingPool = .shared) async throws -> Data {
        let request = RESTRequest(method: method, url: endpoint(path), headers: ["Content-Type": "application/json"],
                                  body: try MLflowWire.encode(body))
        return try await pool.run { try self.send(request) }
    }
}
