import Foundation
import Tracking

/// HTML building blocks for the web UI: escaping (every store string goes through ``escape(_:)``),
/// links with percent-encoded path segments and query strings, and small table helpers.
///
/// ```swift
/// HTML.escape("<script>")                                  // "&lt;script&gt;"
/// HTML.link("/runs/" + HTML.pathSegment(id), "baseline")  // "<a href=\"/runs/ab12\">baseline</a>"
/// HTML.query(["runs": ["a", "b"]])                         // "?runs=a&runs=b"
/// ```
public enum HTML {
    /// Text escaped for element content and quoted attribute values.
    public static func escape(_ s: String) -> String { SVGFormat.xml(s) }

    /// `<a href="…">text</a>`; `href` must be built from ``pathSegment(_:)`` / ``query(_:)``.
    public static func link(_ href: String, _ text: String, cssClass: String? = nil) -> String {
        "<a href=\"\(escape(href))\"\(cssClass.map { " class=\"\(escape($0))\"" } ?? "")>\(escape(text))</a>"
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// One path segment percent-encoded (a `/` inside becomes `%2F`).
    public static func pathSegment(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// A relative path with each `/`-separated segment percent-encoded.
    public static func path(_ s: String) -> String {
        s.split(separator: "/", omittingEmptySubsequences: false).map { pathSegment(String($0)) }.joined(separator: "/")
    }

    /// `?k=v&k=w…` in key order (values in their order); `""` when empty.
    public static func query(_ items: [String: [String]]) -> String {
        let parts = items.keys.sorted().flatMap { k in
            (items[k] ?? []).map { pathSegment(k) + "=" + pathSegment($0) }
        }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    /// Parses a raw query string (`a=1&b=x%20y&b=z`, `+` is a space) into repeated values.
    public static func parseQuery(_ raw: String?) -> [String: [String]] {
        var out: [String: [String]] = [:]
        guard let raw, !raw.isEmpty else { return out }
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(String(kv[0]))
            let value = kv.count > 1 ? decode(String(kv[1])) : ""
            out[key, default: []].append(value)
        }
        return out
    }

    /// Percent-decoding with `+` as a space; undecodable text is kept as is.
    public static func decode(_ s: String) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// A `<table>` with escaped header cells and pre-rendered row cells.
    static func table(_ headers: [String], _ rows: [[String]], cssClass: String = "grid") -> String {
        var s = "<table class=\"\(cssClass)\"><thead><tr>"
        for h in headers { s += "<th>\(escape(h))</th>" }
        s += "</tr></thead><tbody>\n"
        for r in rows { s += "<tr>" + r.map { "<td>\($0)</td>" }.joined() + "</tr>\n" }
        return s + "</tbody></table>\n"
    }

    /// A two-column key/value table, values already rendered.
    static func keyValues(_ rows: [(String, String)], cssClass: String = "kv") -> String {
        var s = "<table class=\"\(cssClass)\"><tbody>\n"
        for (k, v) in rows { s += "<tr><th>\(escape(k))</th><td>\(v)</td></tr>\n" }
        return s + "</tbody></table>\n"
    }

    /// `<p class="empty">…</p>` for an empty section.
    static func empty(_ text: String) -> String { "<p class=\"empty\">\(escape(text))</p>\n" }

    /// A metric value for a cell.
    static func number(_ v: Double) -> String { escape(DisplayNumber.text(v)) }
}
