/// One page of a listing or search, with the opaque token of the next page (nil on the last).
///
/// ```swift
/// var token: String? = nil
/// repeat {
///     let page = try store.searchRuns(experimentIds: ["1"], maxResults: 100, pageToken: token)
///     token = page.nextPageToken
/// } while token != nil
/// ```
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextPageToken: String?
    public init(items: [Item], nextPageToken: String?) {
        self.items = items
        self.nextPageToken = nextPageToken
    }
}

extension Page: Equatable where Item: Equatable {}
