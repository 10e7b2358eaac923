import Features

extension JSONParser {
    /// A request body parsed as JSON, a syntax error as MLflow's 400 `BAD_REQUEST`
    /// ("Invalid input. Malformed JSON at byte 12: …", "Invalid input. The request body is empty").
    ///
    /// ```swift
    /// let root = try JSONParser.request(body)
    /// ```
    static func request(_ body: [UInt8]) throws(ServingError) -> JSONValue {
        do {
            return try parse(body)
        } catch {
            if error.isEmpty { throw ServingError(.badRequest, "Invalid input. The request body is empty") }
            throw ServingError(.badRequest, "Invalid input. Malformed JSON at byte \(error.offset): \(error.message)")
        }
    }
}
