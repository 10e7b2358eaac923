import Foundation

/// An opaque `next_page_token` for searches: base64 of `{"offset": N, "query": H, "check": C}`.
///
/// `query` fingerprints the search (filter, order, scope such as experiment ids and view type),
/// so a token from another query is refused instead of silently paging a different result;
/// `check` covers offset and fingerprint, so an edited token is refused. Both are FNV-1a 64
/// digests: an integrity check against mistakes, not a security boundary (any offset is a
/// legitimate request anyway).
///
/// ```swift
/// let fp = SearchPageToken.fingerprint(filter: filter, ordering: ordering, scope: ["1", "ACTIVE_ONLY"])
/// let token = SearchPageToken(offset: 1000, fingerprint: fp).encoded
/// let offset = try SearchPageToken.decode(token, expecting: fp).offset   // 1000
/// ```
public struct SearchPageToken: Sendable, Hashable {
    public var offset: Int
    public var fingerprint: UInt64

    public init(offset: Int, fingerprint: UInt64) {
        self.offset = offset
        self.fingerprint = fingerprint
    }

    struct Payload: Codable {
        var offset: Int
        var query: String
        var check: String
    }

    /// The token text.
    public var encoded: String {
        let payload = Payload(offset: offset, query: Self.hex(fingerprint), check: Self.hex(Self.check(offset, fingerprint)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding three plain fields cannot fail; an empty token would be refused on decode.
        let data = (try? encoder.encode(payload)) ?? Data()
        return data.base64EncodedString()
    }

    /// Decodes `token` (empty = first page, offset 0) and checks it belongs to the query with
    /// `fingerprint`; throws `TrackingError(.invalidParameterValue)` otherwise.
    public static func decode(_ token: String?, expecting fingerprint: UInt64) throws -> SearchPageToken {
        guard let token, !token.isEmpty else { return SearchPageToken(offset: 0, fingerprint: fingerprint) }
        guard let data = Data(base64Encoded: token) else {
            throw TrackingError(.invalidParameterValue, "Invalid page token '\(token)', could not base64-decode")
        }
        guard let payload = try? JSONDecoder().decode(Payload.self, from: data),
              let query = UInt64(payload.query, radix: 16), let check = UInt64(payload.check, radix: 16) else {
            throw TrackingError(.invalidParameterValue, "Invalid page token '\(token)', decoded value=\(String(decoding: data, as: UTF8.self))")
        }
        guard payload.offset >= 0, check == Self.check(payload.offset, query) else {
            throw TrackingError(.invalidParameterValue, "Invalid page token '\(token)': it has been altered")
        }
        guard query == fingerprint else {
            throw TrackingError(.invalidParameterValue,
                "Invalid page token '\(token)': it belongs to a search with another filter, order_by or scope")
        }
        return SearchPageToken(offset: payload.offset, fingerprint: query)
    }

    /// The fingerprint of a run search: canonical filter and ordering texts plus free-form scope
    /// strings (experiment ids, view type).
    public static func fingerprint(filter: RunFilter, ordering: RunOrdering, scope: [String]) -> UInt64 {
        fingerprint(parts: [filter.description, ordering.description] + scope)
    }

    /// The fingerprint of any search given its canonical parts (for experiment and registry searches).
    public static func fingerprint(parts: [String]) -> UInt64 {
        var h = FNV1a()
        for part in parts {
            h.add(UInt64(part.utf8.count))
            h.add(part.utf8)
        }
        return h.value
    }

    static func check(_ offset: Int, _ fingerprint: UInt64) -> UInt64 {
        var h = FNV1a()
        h.add("mltrack-page-token".utf8)
        h.add(UInt64(bitPattern: Int64(offset)))
        h.add(fingerprint)
        return h.value
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    struct FNV1a {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add(_ byte: UInt8) {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        mutating func add(_ bytes: some Sequence<UInt8>) { for b in bytes { add(b) } }
        mutating func add(_ v: UInt64) { for i in 0..<8 { add(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    }
}
