import Foundation

/// One page of a registry search, with MLflow's opaque continuation token (nil on the last page).
/// Tokens are base64 of `{"offset": N}`, as MLflow's own stores make them.
///
/// ```swift
/// var token: String? = nil
/// repeat {
///     let page = try await store.searchRegisteredModels(filter: nil, orderBy: [], maxResults: 100, pageToken: token)
///     token = page.nextPageToken
/// } while token != nil
/// ```
public struct RegistryPage<Item: Sendable & Hashable>: Sendable, Hashable {
    public var items: [Item]
    public var nextPageToken: String?

    public init(items: [Item], nextPageToken: String?) {
        self.items = items
        self.nextPageToken = nextPageToken
    }

    /// The page of `all` (already filtered and ordered) that `pageToken` and `maxResults` select.
    /// `maxResults` must be in `1...limit`; a malformed token is `INVALID_PARAMETER_VALUE`.
    public static func slice(_ all: [Item], maxResults: Int, limit: Int, pageToken: String?) throws -> RegistryPage<Item> {
        guard (1...limit).contains(maxResults) else {
            throw RegistryError(.invalidParameterValue, "Invalid value \(maxResults) for parameter 'max_results': it must be between 1 and \(limit).")
        }
        let offset = try offset(of: pageToken)
        let start = min(offset, all.count), end = min(all.count, start + maxResults)
        return RegistryPage(items: Array(all[start..<end]), nextPageToken: end < all.count ? token(offset: end) : nil)
    }

    /// The offset a token encodes (0 for nil or empty).
    public static func offset(of pageToken: String?) throws -> Int {
        guard let pageToken, !pageToken.isEmpty else { return 0 }
        guard let data = Data(base64Encoded: pageToken),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let offset = object["offset"] as? Int, offset >= 0 else {
            throw RegistryError(.invalidParameterValue, "Invalid page token '\(pageToken)'.")
        }
        return offset
    }

    /// The token for `offset`: base64 of `{"offset": N}`.
    public static func token(offset: Int) -> String {
        Data("{\"offset\": \(offset)}".utf8).base64EncodedString()
    }
}
