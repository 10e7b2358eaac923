/// What the tracking server's request parser (WireValue.swift, APIParameters.swift) needs from
/// MLflowAPIError.swift, without the Tracking and Registry modules that file maps errors from: the
/// fuzzer compiles the parser sources alone.
struct MLflowAPIError: Error {
    var code: String
    var message: String
    var status: Int

    init(code: String, message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status ?? 400
    }

    static func missing(_ field: String) -> MLflowAPIError {
        MLflowAPIError(code: "INVALID_PARAMETER_VALUE", message: "Missing value for required parameter '\(field)'.")
    }

    static func invalid(_ message: String) -> MLflowAPIError {
        MLflowAPIError(code: "INVALID_PARAMETER_VALUE", message: message)
    }
}
