/// A validated artifact path: relative, `/`-separated, each component non-empty, not `.` or `..`,
/// without NUL or backslash, at most 255 UTF-8 bytes, and not starting with `.mltrack-` (names the
/// store reserves for its manifest and temporary files). The empty path is the root.
///
/// ```swift
/// try ArtifactPath("model/MLmodel").components   // ["model", "MLmodel"]
/// try ArtifactPath("a/../../b")                  // throws INVALID_PARAMETER_VALUE "artifact path 'a/../../b': …"
/// ```
public struct ArtifactPath: Sendable, Hashable, CustomStringConvertible {
    /// Prefix of the store's own names inside an artifact root.
    public static let reservedPrefix = ".mltrack-"

    public let components: [String]

    public var description: String { components.joined(separator: "/") }
    public var isRoot: Bool { components.isEmpty }

    /// Validates `text`; `allowRoot` accepts the empty path (listing, deleting everything).
    public init(_ text: String, allowRoot: Bool = false) throws {
        func fail(_ why: String) -> TrackingError {
            TrackingError(.invalidParameterValue, "artifact path '\(Self.printable(text))': \(why)")
        }
        if text.isEmpty {
            guard allowRoot else { throw fail("is empty") }
            components = []
            return
        }
        if text.utf8.contains(0) { throw fail("contains a NUL byte") }
        if text.contains("\\") { throw fail("contains a backslash (use '/' to separate components)") }
        if text.hasPrefix("/") { throw fail("is absolute; artifact paths are relative to the run's artifact root") }
        if text.hasPrefix("~") { throw fail("starts with '~'; artifact paths are relative to the run's artifact root") }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for p in parts {
            if p.isEmpty { throw fail("has an empty component ('//' or a trailing '/')") }
            if p == "." { throw fail("has a '.' component") }
            if p == ".." { throw fail("has a '..' component") }
            if p.utf8.count > 255 { throw fail("a component is longer than 255 bytes") }
            if p.hasPrefix(Self.reservedPrefix) { throw fail("names starting with '\(Self.reservedPrefix)' are reserved for the store") }
        }
        components = parts
    }

    /// The text with control characters escaped, for error messages.
    static func printable(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars {
            if s.value < 0x20 || s.value == 0x7f { out += "\\u{\(String(s.value, radix: 16))}" } else { out.unicodeScalars.append(s) }
        }
        return out
    }
}
