import HTTPTypes
import Hummingbird
import Logging

/// Wraps every route of a server: turns anything a handler throws into the server's error answer,
/// times the request, hands it to the server's observer (which records metrics and returns extra
/// log fields) and, when `logRequests` is on, logs one line per request (method, path, status,
/// duration_us and the observer's fields).
///
/// ```swift
/// router.add(middleware: ObservingMiddleware(logger: logger, logRequests: true,
///     answer: { error, request in Response(status: .internalServerError) },
///     observe: { request, route, response, duration in metrics.record(route, response.status.code, duration); return [:] }))
/// ```
public struct ObservingMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The response for an error a handler threw (Hummingbird's 404/405 included).
    public typealias ErrorAnswer = @Sendable (_ error: any Error, _ request: Request) -> Response
    /// Records a finished request; returns extra fields for its log line. `route` is the matched
    /// route pattern, or "NotFound".
    public typealias Observer = @Sendable (_ request: Request, _ route: String, _ response: Response,
                                           _ duration: Duration) -> Logger.Metadata

    public let logger: Logger
    public let logRequests: Bool
    public let answer: ErrorAnswer
    public let observe: Observer

    public init(logger: Logger, logRequests: Bool, answer: @escaping ErrorAnswer, observe: @escaping Observer) {
        self.logger = logger
        self.logRequests = logRequests
        self.answer = answer
        self.observe = observe
    }

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            if !(error is any HTTPResponseError) {
                logger.error("unexpected error", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            response = answer(error, request)
        }
        let duration = ContinuousClock.now - start
        let extra = observe(request, context.endpointPath ?? "NotFound", response, duration)
        if logRequests {
            var fields: Logger.Metadata = [
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
                "status": "\(response.status.code)", "duration_us": "\(duration.wholeMicroseconds)",
            ]
            fields.merge(extra) { $1 }
            logger.info("request", metadata: fields)
        }
        return response
    }
}

extension Duration {
    /// Whole microseconds.
    public var wholeMicroseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
