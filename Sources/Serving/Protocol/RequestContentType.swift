/// The body formats `/invocations` reads, from the raw `Content-Type` header, with MLflow's rules:
/// the media type is matched case-insensitively; `charset` must be UTF-8 (else 415 "The scoring
/// server only supports UTF-8"); any other parameter, or another media type, is a 415 listing
/// what is supported. A missing header is a 415 too (MLflow answers 500; we say what to send).
///
/// ```swift
/// try RequestContentType(header: "application/json; charset=utf-8")   // .json
/// try RequestContentType(header: "text/csv")                          // .csv
/// ```
enum RequestContentType: Sendable, Hashable {
    case json
    case csv

    static let supported = "application/json, text/csv"

    init(header: String?) throws(ServingError) {
        guard let header, !header.allSatisfy({ $0 == " " || $0 == "\t" }) else {
            throw ServingError(.unsupportedMediaType,
                               "The request has no Content-Type header; send application/json (MLflow's JSON formats) or text/csv")
        }
        // The common exact spellings skip the parsing below (it allocates).
        if header == "application/json" { self = .json; return }
        if header == "text/csv" { self = .csv; return }
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        let media = parts[0].trimmingSpaces.lowercased()
        switch media {
        case "application/json": self = .json
        case "text/csv": self = .csv
        default:
            throw ServingError(.unsupportedMediaType,
                               "This predictor only supports the following content types: \(Self.supported). Got '\(header.prefix(100))'.")
        }
        for parameter in parts.dropFirst() {
            let kv = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = kv[0].trimmingSpaces.lowercased()
            if name.isEmpty { continue }
            guard name == "charset" else {
                throw ServingError(.unsupportedMediaType,
                                   "This predictor only supports the following content types: \(Self.supported) (no parameters other than charset). Got '\(header.prefix(100))'.")
            }
            var value = kv.count > 1 ? kv[1].trimmingSpaces.lowercased() : ""
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            guard value == "utf-8" || value == "utf8" else {
                throw ServingError(.unsupportedMediaType, "The scoring server only supports UTF-8. Got charset '\(value.prefix(40))'.")
            }
        }
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
