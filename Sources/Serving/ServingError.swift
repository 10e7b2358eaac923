/// Why a scoring request (or a batch scoring job) failed, as MLflow's scoring server reports it:
/// an HTTP status and an MLflow error code, with a message naming the column, row, field or file.
/// The HTTP layer answers `{"error_code": code, "message": message}` with `status`.
///
/// ```swift
/// throw ServingError(.badRequest, "Invalid input. dataframe_split: 'data' row 3 has 4 values, 'columns' has 5")
/// throw ServingError(.invalidParameterValue, "column tenure_months, row 0: expected a number, got \"abc\"")
/// ```
public struct ServingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// MLflow's error codes the scoring server uses, with their HTTP status.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// Malformed request: not JSON, wrong shape, zero or several input formats (400).
        case badRequest = "BAD_REQUEST"
        /// The input does not satisfy the model's signature: a missing column, a wrong type, a null
        /// where none is allowed, an unknown category (400).
        case invalidParameterValue = "INVALID_PARAMETER_VALUE"
        /// No such model, user or item route target (404).
        case resourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST"
        /// The body is larger than the configured limit (413).
        case requestLimitExceeded = "REQUEST_LIMIT_EXCEEDED"
        /// A content type the server does not read (415).
        case unsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
        /// A model is not loaded yet (503).
        case temporarilyUnavailable = "TEMPORARILY_UNAVAILABLE"
        /// A bug or an I/O failure on our side (500).
        case internalError = "INTERNAL_ERROR"

        /// The HTTP status answered for this code.
        public var httpStatus: Int {
            switch self {
            case .badRequest, .invalidParameterValue: 400
            case .resourceDoesNotExist: 404
            case .requestLimitExceeded: 413
            case .unsupportedMediaType: 415
            case .temporarilyUnavailable: 503
            case .internalError: 500
            }
        }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var status: Int { code.httpStatus }
    public var description: String { "\(code.rawValue): \(message)" }
}
