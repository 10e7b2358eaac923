import Foundation

/// MLflow's opaque `next_page_token`: base64 of the JSON `{"offset": N}`, byte for byte what
/// MLflow's stores make (`json.dumps`, so one space after the colon). Decoding follows MLflow's
/// `SearchUtils.parse_start_offset_from_page_token`: any JSON object whose `offset` is a
/// non-negative integer (or a string of one) is accepted, so MLflow's tokens work here and ours
/// there. Absent or empty means offset 0. Clients treat tokens as opaque; any offset is a legitimate
/// request (past the end is an empty page).
///
/// ```swift
/// SearchPageToken(offset: 5).encoded                        // "eyJvZmZzZXQiOiA1fQ=="
/// try SearchPageToken.decode("eyJvZmZzZXQiOiA1fQ==").offset  // 5
/// let page = try SearchPageToken.page(history, maxResults: 100, pageToken: nil)   // in-memory lists
/// ```
public struct SearchPageToken: Sendable, Hashable {
    public var offset: Int

    public init(offset: Int) {
        self.offset = offset
    }

    /// The token text.
    public var encoded: String {
        Data("{\"offset\": \(offset)}".utf8).base64EncodedString()
    }

    /// Decodes `token` (nil or empty = offset 0); throws `TrackingError(.invalidParameterValue)`
    /// naming the token otherwise.
    public static func decode(_ token: String?) throws -> SearchPageToken {
        guard let token, !token.isEmpty else { return SearchPageToken(offset: 0) }
        guard let data = Data(base64Encoded: token) else {
            throw TrackingError(.invalidParameterValue, "Invalid page token '\(token)', could not base64-decode")
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let body = try? JSONDecoder().decode(Body.self, from: data) else {
            throw TrackingError(.invalidParameterValue, "Invalid page token '\(token)', decoded value=\(text)")
        }
        guard let offset = body.offset, offset >= 0 else {
            throw TrackingError(.invalidParameterValue, "Invalid page token '\(token)', parsed value=\(text): 'offset' must be a non-negative integer")
        }
        return SearchPageToken(offset: offset)
    }

    /// `{"offset": 5}` or `{"offset": "5"}` (MLflow calls `int()` on it); other keys are ignored.
    struct Body: Decodable {
        var offset: Int?
        enum CodingKeys: String, CodingKey { case offset }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let n = try? c.decode(Int.self, forKey: .offset) {
                offset = n
            } else if let s = try? c.decode(String.self, forKey: .offset) {
                offset = Int(s.trimmingCharacters(in: .whitespaces))
            } else {
                offset = nil
            }
        }
    }

    /// The page of `items` (already filtered and ordered) that `pageToken` and `maxResults` select,
    /// for searches served from memory (experiments, a metric history with `max_results`).
    /// `maxResults` must be in `1...maxResultsLimit`.
    public static func page<T: Sendable>(_ items: [T], maxResults: Int, pageToken: String?,
                                         maxResultsLimit: Int = RunSearch.maxResultsLimit) throws -> Page<T> {
        let size = try RunSearch.validateMaxResults(maxResults, limit: maxResultsLimit)
        let start = min(try decode(pageToken).offset, items.count)
        let end = min(items.count, start + size)
        return Page(items: Array(items[start ..< end]), nextPageToken: end < items.count ? SearchPageToken(offset: end).encoded : nil)
    }
}
