import Tracking

/// An error of the model registry (names, versions, aliases, promotion policies), carrying MLflow's
/// error code like ``TrackingError``.
public struct RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: TrackingError.Code
    public var message: String

    public init(_ code: TrackingError.Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
