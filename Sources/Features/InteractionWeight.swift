/// What one (user, item) cell of an ``Interactions`` matrix holds when built from a table.
///
/// ```swift
/// let m = try Interactions.build(from: events, user: "user_id", item: "item_id", weight: .column("rating"))
/// ```
public enum InteractionWeight: Sendable, Hashable, Codable {
    /// 1 for every pair that occurs, however often.
    case one
    /// The number of rows of the pair.
    case count
    /// The sum over the pair's rows of a numeric column (a rating, a play count).
    case column(String)
}
