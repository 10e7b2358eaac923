/// An error fitting or applying features: names the column (or spec field) and what is wrong.
public struct FeatureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The column, spec field or JSON key concerned.
    public var column: String
    public var message: String
    public init(column: String, _ message: String) {
        self.column = column
        self.message = message
    }
    public var description: String { "\(column): \(message)" }
}
