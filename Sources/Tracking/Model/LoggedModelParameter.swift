/// A parameter of a logged model (MLflow's `LoggedModelParameter`). Write-once like run params:
/// logging a key again with the same value is a no-op, with another value `INVALID_PARAMETER_VALUE`.
///
/// ```swift
/// try store.logLoggedModelParams(id: modelId, params: [LoggedModelParameter(key: "C", value: "1.0")])
/// ```
public struct LoggedModelParameter: Codable, Sendable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
