import Foundation

/// Calls MLflow REST endpoints (`/api/2.0/mlflow/<path>`) of one tracking server: GET with the
/// request as a query string, POST/PATCH/DELETE with a JSON body, `Authorization` from the
/// credentials, retries per ``RESTRetryPolicy``, and MLflow error bodies turned back into
/// ``TrackingError`` with the same code.
///
/// ```swift
/// let client = try RESTClient(baseURL: "http://127.0.0.1:5000")
/// let data = try client.get("experiments/get", query: [("experiment_id", "0")])
/// ```
public struct RESTClient: Sendable {
    public let baseURL: URL
    public let transport: any RESTTransport
    public let retry: RESTRetryPolicy
    public let credentials: RESTCredentials
    /// How the client waits between retries (tests pass a recorder instead of sleeping).
    let sleep: @Sendable (Double) -> Void
    /// 0…1, for the jitter.
    let random: @Sendable () -> Double

    public static let apiPrefix = "/api/2.0/mlflow/"

    public init(baseURL: String, transport: (any RESTTransport)? = nil, retry: RESTRetryPolicy = .fromEnvironment(),
                credentials: RESTCredentials = .fromEnvironment(),
                sleep: @escaping @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0 ... 1) }) throws {
        var text = baseURL.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw TrackingError(.invalidParameterValue, "tracking URI '\(baseURL)' is not an http(s)://host[:port][/prefix] URL")
        }
        self.baseURL = url
        self.transport = transport ?? URLSessionTransport(timeout: retry.timeout)
        self.retry = retry
        self.credentials = credentials
        self.sleep = sleep
        self.random = random
    }

    /// `GET` with `query` as the query string (repeated keys for repeated fields).
    public func get(_ path: String, query: [(String, String)] = []) throws -> Data {
        var components = URLComponents(url: endpoint(path), resolvingAgainstBaseURL: false)
        if !query.isEmpty {
            components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
            // URLComponents leaves '+' alone, which servers read as a space.
            let encoded = components?.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
            components?.percentEncodedQuery = encoded
        }
        guard let url = components?.url else {
            throw TrackingError(.invalidParameterValue, "cannot build the URL for \(path) with \(query)")
        }
        return try send(RESTRequest(method: "GET", url: url))
    }

    /// `method` (POST, PATCH, DELETE) with `body` as JSON.
    public func call<B: Encodable>(_ method: String, _ path: String, body: B) throws -> Data {
        try send(RESTRequest(method: method, url: endpoint(path), headers: ["Content-Type": "application/json"],
                             body: try MLflowWire.encode(body)))
    }

    func endpoint(_ path: String) -> URL {
        URL(string: baseURL.absoluteString + Self.apiPrefix + path) ?? baseURL
    }

    /// Sends with retries; a 200 returns the body, anything else throws the mapped error.
    public func send(_ request: RESTRequest) throws -> Data {
        var r = request
        r.headers["Accept"] = "application/json"
        r.headers["User-Agent"] = "mltrack-rest-store"
        if let auth = credentials.authorizationHeader { r.headers["Authorization"] = auth }
        var attempt = 0
        while true {
            let response: RESTResponse
            do {
                response = try transport.send(r)
            } catch let e as RESTConnectionError {
                if attempt < retry.maxRetries {
                    sleep(retry.delay(attempt: attempt, random: random()))
                    attempt += 1
                    continue
                }
                throw TrackingError(.internalError, "tracking server \(baseURL.absoluteString) unreachable after \(attempt + 1) attempt(s): \(e.message)")
            }
            if response.status == 200 { return response.body }
            if retry.shouldRetry(status: response.status), attempt < retry.maxRetries {
                sleep(retry.delay(attempt: attempt, random: random()))
                attempt += 1
                continue
            }
            throw Self.error(status: response.status, body: response.body, request: r)
        }
    }

    /// The ``TrackingError`` for a non-200 answer: MLflow's `error_code` when the body carries
    /// one (codes the tracking layer has no case for become `INTERNAL_ERROR` with the original code
    /// in the message), else one derived from the HTTP status as MLflow's client derives it.
    public static func error(status: Int, body: Data, request: RESTRequest) -> TrackingError {
        let where_ = "\(request.method) \(request.url.path)"
        if let e = try? JSONDecoder().decode(MLflowWire.ErrorBody.self, from: body), let code = e.error_code {
            let message = e.message ?? "HTTP \(status)"
            switch code {
            case "INVALID_PARAMETER_VALUE", "BAD_REQUEST", "INVALID_REQUEST", "MALFORMED_REQUEST":
                return TrackingError(.invalidParameterValue, message)
            case "RESOURCE_ALREADY_EXISTS", "ALREADY_EXISTS":
                return TrackingError(.resourceAlreadyExists, message)
            case "RESOURCE_DOES_NOT_EXIST", "NOT_FOUND":
                return TrackingError(.resourceDoesNotExist, message)
            case "INVALID_STATE":
                return TrackingError(.invalidState, message)
            case "INTERNAL_ERROR":
                return TrackingError(.internalError, message)
            default:
                return TrackingError(.internalError, "\(code) from \(where_): \(message)")
            }
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        switch status {
        case 400: return TrackingError(.invalidParameterValue, "BAD_REQUEST from \(where_): \(text)")
        case 404: return TrackingError(.internalError, "ENDPOINT_NOT_FOUND: \(where_) (HTTP 404; is this an MLflow tracking server?) \(text)")
        case 401, 403: return TrackingError(.internalError, "\(status == 401 ? "UNAUTHENTICATED" : "PERMISSION_DENIED") from \(where_): check MLTRACK_TRACKING_TOKEN or MLTRACK_TRACKING_USERNAME/PASSWORD. \(text)")
        default: return TrackingError(.internalError, "HTTP \(status) from \(where_): \(text)")
        }
    }
}
