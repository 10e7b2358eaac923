import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix

/// A handler of one MLflow API call: the request's fields in, the response message out (an
/// object; `.object([])` answers `{}`), or a thrown error answered as MLflow's error JSON.
public typealias APIHandler = @Sendable (APIParameters) throws -> WireValue

/// An `async` handler (the registry's store is async), run by ``APIEndpoint/answerAsync(_:bodyLimit:_:)``
/// on ``ThreadPoolExecutor``.
public typealias AsyncAPIHandler = @Sendable (APIParameters) async throws -> WireValue

/// What every API route shares: read the fields (query string for GET, JSON body otherwise, up to
/// the size limit), run the handler off the event loops (the stores block on SQLite), and answer
/// 200 with the JSON or the error with its status. Never throws.
///
/// ```swift
/// let endpoint = APIEndpoint(maxBodyBytes: 16 << 20)
/// router.get("/api/2.0/mlflow/experiments/get") { request, _ in
///     await endpoint.answer(request) { p in .object([("experiment", TrackingWire.experiment(try store.getExperiment(id: p.requiredString("experiment_id"))))]) }
/// }
/// ```
public struct APIEndpoint: Sendable {
    public let maxBodyBytes: Int

    public init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// The request's fields, or the 400/413 error.
    public func parameters(of request: Request, limit: Int? = nil) async throws(MLflowAPIError) -> APIParameters {
        if request.method == .get || request.method == .head {
            return APIParameters(query: request.uri.query)
        }
        let limit = min(limit ?? maxBodyBytes, maxBodyBytes)
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw tooLarge(limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw tooLarge(limit)
        } catch {
            throw MLflowAPIError(code: "BAD_REQUEST", message: "cannot read the request body: \(error)")
        }
        do {
            return try APIParameters(json: Array(buffer.readableBytesView))
        } catch {
            throw MLflowAPIError(error)
        }
    }

    private func tooLarge(_ limit: Int) -> MLflowAPIError {
        MLflowAPIError(code: "INVALID_PARAMETER_VALUE", message: "The request body is larger than the limit of \(limit) bytes")
    }

    /// Answers `request` with `handler`; `bodyLimit` lowers the body limit for this route.
    public func answer(_ request: Request, bodyLimit: Int? = nil, _ handler: @escaping APIHandler) async -> Response {
        do {
            let params = try await parameters(of: request, limit: bodyLimit)
            let result = try await NIOThreadPool.singleton.runIfActive { try handler(params) }
            return Self.json(result.bytes())
        } catch {
            return Self.error(MLflowAPIError(error))
        }
    }

    /// Answers `request` with an async handler, run with ``ThreadPoolExecutor/shared`` as its task
    /// executor: blocking store work inside lands on the thread pool, not on an event loop or the
    /// cooperative pool.
    public func answerAsync(_ request: Request, bodyLimit: Int? = nil, _ handler: @escaping AsyncAPIHandler) async -> Response {
        do {
            let params = try await parameters(of: request, limit: bodyLimit)
            let result = try await withTaskExecutorPreference(ThreadPoolExecutor.shared) { try await handler(params) }
            return Self.json(result.bytes())
        } catch {
            return Self.error(MLflowAPIError(error))
        }
    }

    public static func json(_ body: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    public static func error(_ e: MLflowAPIError) -> Response {
        json(e.body.bytes(), status: HTTPResponse.Status(code: e.status))
    }

    public static func text(_ text: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Registers API handlers under both of MLflow's prefixes, `/api/2.0/mlflow/` (the client) and
/// `/ajax-api/2.0/mlflow/` (MLflow's web UI).
///
/// ```swift
/// var api = APIRoutes(router: router, endpoint: endpoint)
/// api.add("experiments/get", .get) { p in ... }
/// ```
public struct APIRoutes<Context: RequestContext> {
    public let router: Router<Context>
    public let endpoint: APIEndpoint
    public static var prefixes: [String] { ["/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"] }

    public init(router: Router<Context>, endpoint: APIEndpoint) {
        self.router = router
        self.endpoint = endpoint
    }

    public func add(_ path: String, _ methods: HTTPRequest.Method..., bodyLimit: Int? = nil, _ handler: @escaping APIHandler) {
        let endpoint = endpoint
        for prefix in Self.prefixes {
            for method in methods {
                router.on(RouterPath(prefix + path), method: method) { request, _ in
                    await endpoint.answer(request, bodyLimit: bodyLimit, handler)
                }
            }
        }
    }

    /// Registers an async handler (see ``APIEndpoint/answerAsync(_:bodyLimit:_:)``).
    public func addAsync(_ path: String, _ methods: HTTPRequest.Method..., bodyLimit: Int? = nil, _ handler: @escaping AsyncAPIHandler) {
        let endpoint = endpoint
        for prefix in Self.prefixes {
            for method in methods {
                router.on(RouterPath(prefix + path), method: method) { request, _ in
                    await endpoint.answerAsync(request, bodyLimit: bodyLimit, handler)
                }
            }
        }
    }
}
