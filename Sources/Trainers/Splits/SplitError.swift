/// A split that cannot be made: a bad fraction, an unknown or unsuitable column, a bad cut-off.
///
/// ```swift
/// do { _ = try Split.random(rowCount: 10, testFraction: 2, seed: 1) }
/// catch let e as SplitError { print(e) }   // testFraction: must be in 0...1, got 2.0
/// ```
public struct SplitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The argument or column concerned (`testFraction`, `event_time`).
    public var field: String
    public var message: String
    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "\(field): \(message)" }
}
