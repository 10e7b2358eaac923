import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange with a tracking server, below retries and error mapping: the seam tests
/// replace with canned answers. ``URLSessionTransport`` is the real one.
///
/// ```swift
/// if let url = URL(string: "http://127.0.0.1:5000/health") {
///     let response = try transport.send(RESTRequest(method: "GET", url: url))   // status 200, body "OK"
/// }
/// ```
public protocol RESTTransport: Sendable {
    /// The server's answer, whatever its status; throws ``RESTConnectionError`` when no answer came
    /// (refused, reset, timed out).
    func send(_ request: RESTRequest) throws -> RESTResponse
}

/// An HTTP request to a tracking server.
///
/// ```swift
/// let r = RESTRequest(method: "POST", url: url, headers: ["Content-Type": "application/json"], body: Data("{}".utf8))
/// ```
public struct RESTRequest: Sendable, Hashable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: Data?

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// An HTTP answer: status and body.
///
/// ```swift
/// RESTResponse(status: 200, body: Data("{}".utf8))
/// ```
public struct RESTResponse: Sendable, Hashable {
    public var status: Int
    public var body: Data
    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// No HTTP answer came back (connection refused or reset, DNS failure, timeout): retried like a
/// 503.
///
/// ```swift
/// throw RESTConnectionError(message: "connection refused")
/// ```
public struct RESTConnectionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// ``RESTTransport`` over Foundation's `URLSession`, made synchronous by waiting on a semaphore.
///
/// Threading caveat: each call blocks its calling thread until the answer (or the timeout). That is
/// fine on the CLI's main thread and on ordinary threads; from Swift concurrency, call the store
/// from a detached thread or accept that one cooperative thread is blocked for the duration of the
/// request (URLSession delivers on its own queue, so this cannot deadlock, but it can starve other
/// tasks on a 2-core machine).
///
/// ```swift
/// let transport = URLSessionTransport(timeout: 30)
/// ```
public final class URLSessionTransport: RESTTransport {
    private let session: URLSession
    public let timeout: TimeInterval

    public init(timeout: TimeInterval = 120) {
        self.timeout = timeout
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout
        config.httpShouldSetCookies = false
        config.urlCache = nil
        session = URLSession(configuration: config)
    }

    deinit { session.finishTasksAndInvalidate() }

    public func send(_ request: RESTRequest) throws -> RESTResponse {
        var r = URLRequest(url: request.url, timeoutInterval: timeout)
        r.httpMethod = request.method
        for (k, v) in request.headers { r.setValue(v, forHTTPHeaderField: k) }
        r.httpBody = request.body
        let box = RESTResultBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: r) { data, response, error in
            if let http = response as? HTTPURLResponse {
                box.set(.success(RESTResponse(status: http.statusCode, body: data ?? Data())))
            } else {
                box.set(.failure(RESTConnectionError(message: "\(request.method) \(request.url.absoluteString): \(error.map { "\($0.localizedDescription)" } ?? "no HTTP response")")))
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return try box.get()
    }
}

/// The answer of one URLSession task, handed from its completion handler to the waiting caller
/// (the synchronous transports block on a semaphore until it is set).
final class RESTResultBox: @unchecked Sendable {
    // @unchecked: `result` is only touched under `lock`.
    private let lock = NSLock()
    private var result: Result<RESTResponse, RESTConnectionError> = .failure(RESTConnectionError(message: "no answer"))
    func set(_ r: Result<RESTResponse, RESTConnectionError>) { lock.lock(); result = r; lock.unlock() }
    func get() throws -> RESTResponse { lock.lock(); defer { lock.unlock() }; return try result.get() }
}
