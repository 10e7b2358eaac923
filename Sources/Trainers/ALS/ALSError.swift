/// An error training or querying an ``ALS`` model: names the parameter, id or input concerned.
///
/// ```swift
/// do { _ = try model.similarItems(item: "nope", k: 5) }
/// catch let e as ALSError { print(e) }   // unknown item "nope"
/// ```
public enum ALSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A hyper-parameter out of range (its field name and why).
    case invalidParameter(String, String)
    /// A stored interaction value that is not finite (user and item ids).
    case invalidValue(user: String, item: String, value: Float)
    /// An item id the model was not trained on.
    case unknownItem(String)
    /// The explicit-feedback normal equations of a row could not be solved (not positive definite).
    case singularRow(String)
    /// A fitted model's stored state is inconsistent (decoding a damaged model).
    case inconsistentModel(String)
    /// The factors overflowed Float32 in this iteration (1-based): interaction values, or α times
    /// them, too large; rescale them.
    case nonFiniteFactors(iteration: Int)

    public var description: String {
        switch self {
        case .invalidParameter(let field, let why): "ALS parameter \(field): \(why)"
        case .invalidValue(let u, let i, let v): "interaction (user \"\(u)\", item \"\(i)\") has value \(v), which is not finite"
        case .unknownItem(let id): "unknown item \"\(id)\" (not in the training interactions)"
        case .singularRow(let what): "ALS: the least-squares system of \(what) is singular (use regularization > 0)"
        case .inconsistentModel(let why): "ALS model: \(why)"
        case .nonFiniteFactors(let i): "ALS: the factors overflowed Float32 in iteration \(i) (interaction values or α·value too large; rescale them)"
        }
    }
}
