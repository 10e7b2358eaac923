import Registry
import Tracking

/// An error answered as MLflow answers it: `{"error_code": ..., "message": ...}` with the HTTP
/// status of ``MLflowErrorStatus``. Built from the store layers' errors (``TrackingError``,
/// `RegistryError`) by ``MLflowAPIError/init(_:)``; anything else is a 500 `INTERNAL_ERROR`.
///
/// ```swift
/// throw MLflowAPIError.missing("name")   // 400 INVALID_PARAMETER_VALUE
/// MLflowAPIError(TrackingError(.resourceDoesNotExist, "Run with id=x not found")).status   // 404
/// ```
public struct MLflowAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: String
    public var message: String
    /// The HTTP status; by default MLflow's for the code.
    public var status: Int

    public init(code: String, message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status ?? MLflowErrorStatus.status(for: code)
    }

    /// Maps an error of any layer. `INVALID_STATE` from a store means the client asked for
    /// something the entity's state forbids (renaming a deleted experiment): MLflow answers 500
    /// there, which makes its client retry for minutes, so we answer 400 with the same code.
    public init(_ error: any Error) {
        switch error {
        case let e as MLflowAPIError: self = e
        case let e as TrackingError: self.init(code: e.code.rawValue, message: e.message, status: e.code == .invalidState ? 400 : nil)
        case let e as RegistryError: self.init(code: e.code.rawValue, message: e.message, status: e.code == .invalidState ? 400 : nil)
        default: self.init(code: "INTERNAL_ERROR", message: "unexpected error: \(error)")
        }
    }

    /// MLflow's message for a missing required field.
    public static func missing(_ field: String) -> MLflowAPIError {
        MLflowAPIError(code: "INVALID_PARAMETER_VALUE",
                       message: "Missing value for required parameter '\(field)'. See the API docs for more information about request parameters.")
    }

    public static func invalid(_ message: String) -> MLflowAPIError {
        MLflowAPIError(code: "INVALID_PARAMETER_VALUE", message: message)
    }

    /// The JSON body.
    public var body: WireValue {
        .object([("error_code", .string(code)), ("message", .string(message))])
    }

    public var description: String { "\(code): \(message)" }
}
