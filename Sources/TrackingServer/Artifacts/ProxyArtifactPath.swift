import Tracking

/// The artifact path of a proxy request, from the raw (percent-encoded) URL path after
/// `/mlflow-artifacts/artifacts/` or from the decoded `?path=` of a listing. Anything unsafe is
/// MLflow's 400 `INVALID_PARAMETER_VALUE` "Invalid path": `..` or `.` components, absolute paths,
/// backslashes, NUL and control characters, empty components, names reserved by the store
/// (`.mltrack-…`), a percent-encoded `/` (`%2f`), and traversal hidden under more than one layer
/// of percent-encoding (`%252e%252e`; MLflow's server decodes until nothing changes).
///
/// ```swift
/// try ProxyArtifactPath(encoded: "1/abc/artifacts/my%20notes.txt").path   // "1/abc/artifacts/my notes.txt"
/// try ProxyArtifactPath(encoded: "%2e%2e/etc/passwd")                      // throws "Invalid path"
/// ```
public struct ProxyArtifactPath: Sendable, Hashable {
    public let path: ArtifactPath

    public static let invalid = MLflowAPIError(code: "INVALID_PARAMETER_VALUE", message: "Invalid path")

    /// From the raw URL path (each `/`-separated segment percent-decoded once).
    public init(encoded raw: String, allowRoot: Bool = false) throws(MLflowAPIError) {
        var parts: [String] = []
        if !raw.isEmpty {
            for segment in raw.split(separator: "/", omittingEmptySubsequences: false) {
                guard let decoded = Self.percentDecode(String(segment)), !decoded.contains("/") else { throw Self.invalid }
                parts.append(decoded)
            }
        }
        try self.init(decoded: parts.joined(separator: "/"), allowRoot: allowRoot)
    }

    /// From an already decoded path (a query parameter).
    public init(decoded text: String, allowRoot: Bool = false) throws(MLflowAPIError) {
        guard let p = try? ArtifactPath(text, allowRoot: allowRoot) else { throw Self.invalid }
        for c in p.components {
            if c.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { throw Self.invalid }
            // Deeper encodings of '.', '/' or '\' must not hide a traversal.
            var current = c
            for _ in 0 ..< 8 {
                guard current.contains("%"), let next = Self.percentDecode(current), next != current else { break }
                if next == "." || next == ".." || next.contains("/") || next.contains("\\") || next.utf8.contains(0) { throw Self.invalid }
                current = next
            }
        }
        path = p
    }

    /// RFC 3986 percent-decoding; nil for a malformed escape or bytes that are not UTF-8.
    static func percentDecode(_ text: String) -> String? {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var it = Array(text.utf8)[...]
        while let b = it.popFirst() {
            guard b == UInt8(ascii: "%") else { bytes.append(b); continue }
            guard let h = it.popFirst(), let l = it.popFirst(), let hv = hexValue(h), let lv = hexValue(l) else { return nil }
            bytes.append(hv << 4 | lv)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
