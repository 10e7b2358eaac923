/// A dotted field path into a spec, with list indexes: `features.numeric[0].impute`,
/// `trainer.params.l2`. Used by `--set` overrides and `sweep` axes.
///
/// ```swift
/// let p = try SpecPath("features.numeric[0].impute")
/// p.elements // [.key("features"), .key("numeric"), .index(0), .key("impute")]
/// ```
public struct SpecPath: Sendable, Hashable, CustomStringConvertible {
    /// A mapping key or a list index.
    public enum Element: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var elements: [Element]

    public init(elements: [Element]) { self.elements = elements }

    /// Parses `a.b[2].c`; keys are letters, digits, `_` and `-`. Throws naming the path.
    public init(_ text: String) throws {
        func fail(_ why: String) -> ExperimentError { ExperimentError(field: text.isEmpty ? "--set" : text, "bad field path: \(why)") }
        var out: [Element] = []
        var chars = Array(text)
        if chars.isEmpty { throw fail("empty") }
        var i = 0
        var expectKey = true
        while i < chars.count {
            if expectKey {
                var key = ""
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "-" {
                    key.append(chars[i])
                    i += 1
                }
                guard !key.isEmpty else { throw fail("expected a key at position \(i + 1)") }
                out.append(.key(key))
                expectKey = false
            } else if chars[i] == "." {
                i += 1
                expectKey = true
                if i == chars.count { throw fail("ends with '.'") }
            } else if chars[i] == "[" {
                i += 1
                var digits = ""
                while i < chars.count, chars[i].isASCII, chars[i].isNumber {
                    digits.append(chars[i])
                    i += 1
                }
                guard i < chars.count, chars[i] == "]", let n = Int(digits) else {
                    throw fail("expected [N] with a non-negative index at position \(i + 1)")
                }
                i += 1
                out.append(.index(n))
            } else {
                throw fail("unexpected '\(chars[i])' at position \(i + 1)")
            }
        }
        chars.removeAll()
        elements = out
    }

    public var description: String {
        var s = ""
        for e in elements {
            switch e {
            case .key(let k): s += s.isEmpty ? k : ".\(k)"
            case .index(let i): s += "[\(i)]"
            }
        }
        return s
    }

    /// The path is `prefix` or lies under it.
    public func starts(with prefix: SpecPath) -> Bool {
        elements.count >= prefix.elements.count && Array(elements.prefix(prefix.elements.count)) == prefix.elements
    }
}
