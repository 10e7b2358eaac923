/// A run parameter (MLflow's `Param`): write-once. Logging the same key again with the same value
/// is a no-op; a different value fails with `INVALID_PARAMETER_VALUE`. Values up to 6,000 characters.
///
/// ```swift
/// try store.logParam(runId: id, param: Param(key: "l2", value: "1.0"))
/// ```
public struct Param: Codable, Sendable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
