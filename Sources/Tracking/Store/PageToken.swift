import Foundation

/// MLflow's opaque page token: base64 of `{"offset": N}`. Malformed tokens throw
/// `INVALID_PARAMETER_VALUE`.
///
/// ```swift
/// PageToken.encode(offset: 1)               // "eyJvZmZzZXQiOiAxfQ=="
/// try PageToken.decode("eyJvZmZzZXQiOiAxfQ==")  // 1
/// ```
public enum PageToken {
    public static func encode(offset: Int) -> String {
        Data("{\"offset\": \(offset)}".utf8).base64EncodedString()
    }

    /// The offset a token names; 0 for nil or the empty token.
    public static func decode(_ token: String?) throws -> Int {
        guard let token, !token.isEmpty else { return 0 }
        struct Body: Decodable { var offset: Int }
        guard let data = Data(base64Encoded: token),
              let body = try? JSONDecoder().decode(Body.self, from: data), body.offset >= 0 else {
            throw TrackingError(.invalidParameterValue, "Invalid page token '\(token)': could not decode an offset")
        }
        return body.offset
    }

    /// Validates MLflow's `max_results` range (1…50,000).
    public static func validateMaxResults(_ n: Int) throws {
        if n < 1 {
            throw TrackingError(.invalidParameterValue, "Invalid value \(n) for parameter 'max_results' supplied. It must be a positive integer")
        }
        if n > EntityValidation.maxSearchResults {
            throw TrackingError(.invalidParameterValue, "Invalid value \(n) for parameter 'max_results' supplied. It must be at most \(EntityValidation.maxSearchResults)")
        }
    }

    /// Slices `items` by a token and page size (for callers that page an in-memory list, such as a
    /// metric history served with `max_results`).
    public static func page<T: Sendable>(_ items: [T], maxResults: Int, pageToken: String?) throws -> Page<T> {
        try validateMaxResults(maxResults)
        let offset = try decode(pageToken)
        guard offset < items.count else { return Page(items: [], nextPageToken: nil) }
        let end = min(items.count, offset + maxResults)
        return Page(items: Array(items[offset ..< end]), nextPageToken: end < items.count ? encode(offset: end) : nil)
    }
}
