/// An error of the tracking layer (store, artifacts, search), with MLflow's error code so the
/// tracking server can answer as MLflow does (`RESOURCE_DOES_NOT_EXIST`, `INVALID_PARAMETER_VALUE`, …).
public struct TrackingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// MLflow's error codes that the tracking layer produces.
    public enum Code: String, Sendable, Hashable, Codable {
        case invalidParameterValue = "INVALID_PARAMETER_VALUE"
        case resourceAlreadyExists = "RESOURCE_ALREADY_EXISTS"
        case resourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST"
        case invalidState = "INVALID_STATE"
        case internalError = "INTERNAL_ERROR"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
