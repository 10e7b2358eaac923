import HTTPService
import HTTPTypes
import Hummingbird
import Logging

extension ObservingMiddleware {
    /// The scoring server's request wrapper: an unknown path is 404 with MLflow's error body, any
    /// other thrown error its status with `BAD_REQUEST`/`REQUEST_LIMIT_EXCEEDED`/`INTERNAL_ERROR`;
    /// every request is counted in ``ServingMetrics`` and its log line carries the model and
    /// version, read from the response's ``ServingHeaders`` so handlers need not report them.
    ///
    /// ```swift
    /// router.add(middleware: ObservingMiddleware.scoring(metrics: metrics, logger: logger, logRequests: true))
    /// ```
    public static func scoring(metrics: ServingMetrics, logger: Logger, logRequests: Bool) -> Self {
        ObservingMiddleware(logger: logger, logRequests: logRequests, answer: { error, request in
            if let error = error as? HTTPError, error.status == .notFound {
                return ServingResponses.error(ServingError(.resourceDoesNotExist,
                    "no such endpoint: \(request.method) \(request.uri.path)"), style: .mlflow)
            }
            if let error = error as? any HTTPResponseError {
                let code: ServingError.Code = error.status == .contentTooLarge ? .requestLimitExceeded
                    : error.status.code < 500 ? .badRequest : .internalError
                var response = ServingResponses.error(ServingError(code, "\(error)"), style: .mlflow)
                response.status = error.status
                return response
            }
            return ServingResponses.error(ServingError(.internalError, "unexpected error: \(error)"), style: .mlflow)
        }, observe: { _, route, response, duration in
            let model = response.headers[ServingHeaders.model] ?? ""
            let version = response.headers[ServingHeaders.modelVersion] ?? ""
            metrics.recordRequest(route: route, model: model, version: version, status: response.status.code, duration: duration)
            return ["model": "\(model)", "version": "\(version)"]
        })
    }
}
