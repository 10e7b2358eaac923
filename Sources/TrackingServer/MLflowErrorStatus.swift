import Tracking

/// The HTTP status MLflow's tracking server answers for each error code (its
/// `ERROR_CODE_TO_HTTP_STATUS`): the client derives retries from it, so a deterministic client
/// error must never be a 5xx.
///
/// ```swift
/// MLflowErrorStatus.status(for: "RESOURCE_DOES_NOT_EXIST")   // 404
/// MLflowErrorStatus.status(for: TrackingError.Code.invalidParameterValue.rawValue)   // 400
/// ```
public enum MLflowErrorStatus {
    public static func status(for code: String) -> Int {
        switch code {
        case "INVALID_PARAMETER_VALUE", "BAD_REQUEST", "RESOURCE_ALREADY_EXISTS", "MALFORMED_REQUEST": 400
        case "RESOURCE_DOES_NOT_EXIST", "NOT_FOUND", "ENDPOINT_NOT_FOUND": 404
        case "UNAUTHENTICATED", "CUSTOMER_UNAUTHORIZED": 401
        case "PERMISSION_DENIED": 403
        case "ALREADY_EXISTS", "RESOURCE_CONFLICT", "ABORTED": 409
        case "REQUEST_LIMIT_EXCEEDED", "RESOURCE_EXHAUSTED": 429
        case "CANCELLED": 499
        case "NOT_IMPLEMENTED": 501
        case "TEMPORARILY_UNAVAILABLE": 503
        case "DEADLINE_EXCEEDED": 504
        default: 500
        }
    }
}
