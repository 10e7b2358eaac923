/// An SQL `LIKE` pattern: `%` matches any run of characters (also none), `_` exactly one
/// character (Unicode scalar); everything else, backslash included, matches itself. MLflow sends
/// no `ESCAPE` clause, so there is no way to match a literal `%` or `_` other than by themselves.
///
/// ```swift
/// LikePattern("lr_%", caseInsensitive: false).matches("lr_0.1")   // true
/// LikePattern("LR%", caseInsensitive: true).matches("lr_0.1")     // true
/// ```
public struct LikePattern: Sendable, Hashable {
    let pattern: [Unicode.Scalar]
    let caseInsensitive: Bool

    public init(_ pattern: String, caseInsensitive: Bool) {
        self.caseInsensitive = caseInsensitive
        self.pattern = Array((caseInsensitive ? pattern.lowercased() : pattern).unicodeScalars)
    }

    public func matches(_ text: String) -> Bool {
        let s = Array((caseInsensitive ? text.lowercased() : text).unicodeScalars)
        // Greedy match with backtracking to the last '%' (linear in practice, O(n·m) worst case).
        var p = 0, i = 0
        var starP = -1, starI = 0
        while i < s.count {
            if p < pattern.count, pattern[p] == "%" {
                starP = p; starI = i; p += 1
            } else if p < pattern.count, pattern[p] == "_" || pattern[p] == s[i] {
                p += 1; i += 1
            } else if starP >= 0 {
                p = starP + 1; starI += 1; i = starI
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "%" { p += 1 }
        return p == pattern.count
    }
}
