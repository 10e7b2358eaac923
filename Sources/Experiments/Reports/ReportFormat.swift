import Foundation
import Tracking

/// Text formatting shared by the reports: compact numbers, XML, CSV and Markdown escaping.
/// Everything is deterministic (no locale, no dates), so a report's bytes depend only on its data.
///
/// ```swift
/// ReportFormat.coordinate(125.504)  // "125.5"
/// ReportFormat.tick(0.2)            // "0.2"
/// ReportFormat.xml("a < b & c")     // "a &lt; b &amp; c"
/// ReportFormat.csvField("a,b")      // "\"a,b\""
/// ```
public enum ReportFormat {
    /// A pixel coordinate rounded to 2 decimals, trailing zeros dropped (`70`, `125.5`, `-3.25`).
    public static func coordinate(_ v: Double) -> String { SVGFormat.coordinate(v) }

    /// A tick or axis value with at most 4 significant digits (`0.2`, `1`, `0.6931`, `1.5e+06`).
    public static func tick(_ v: Double) -> String { SVGFormat.tick(v) }

    /// A metric shown in a title, `digits` decimals (`0.875`).
    public static func fixed(_ v: Double, _ digits: Int = 3) -> String {
        v.isFinite ? String(format: "%.\(digits)f", v) : (v.isNaN ? "NaN" : (v > 0 ? "inf" : "-inf"))
    }

    /// A number for a CSV cell: Swift's shortest round-trip spelling, `inf`/`-inf`/`NaN` otherwise.
    public static func csvNumber(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// A Float cell (ALS scores): its own shortest spelling, not the widened Double's.
    public static func csvNumber(_ v: Float) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded(), abs(v) < 1e7 { return String(Int64(v)) }
        return "\(v)"
    }

    /// Escapes text for XML content and attribute values; drops characters XML 1.0 cannot carry.
    public static func xml(_ s: String) -> String { SVGFormat.xml(s) }

    /// A CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, or starts/ends with
    /// a space; quotes doubled.
    public static func csvField(_ s: String) -> String {
        let needs = s.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || s.hasPrefix(" ") || s.hasSuffix(" ")
        return needs ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// One CSV line (LF-terminated).
    public static func csvLine(_ fields: [String]) -> String {
        fields.map(csvField).joined(separator: ",") + "\n"
    }

    /// Text for a Markdown table cell: pipes and backslashes escaped, line breaks as spaces.
    public static func markdownCell(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}
