import Foundation

/// Number and text formatting for hand-written SVG (``SVGChart``) and HTML: pixel coordinates,
/// tick labels and XML escaping. Deterministic (no locale), so a chart's bytes depend only on its data.
///
/// ```swift
/// SVGFormat.coordinate(125.504)  // "125.5"
/// SVGFormat.tick(0.2)            // "0.2"
/// SVGFormat.xml("a < b & c")     // "a &lt; b &amp; c"
/// ```
public enum SVGFormat {
    /// A pixel coordinate rounded to 2 decimals, trailing zeros dropped (`70`, `125.5`, `-3.25`).
    public static func coordinate(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 100).rounded() / 100
        if r == 0 { return "0" }
        if r == r.rounded(), abs(r) < 1e15 { return String(Int64(r)) }
        return trimZeros(String(format: "%.2f", r))
    }

    /// A tick or axis value with at most 4 significant digits (`0.2`, `1`, `0.6931`, `1.5e+06`).
    public static func tick(_ v: Double) -> String {
        if abs(v) < 1e-12 { return "0" }
        if v == v.rounded(), abs(v) < 1e6 { return String(Int64(v)) }
        let s = String(format: "%.4g", v)
        return s.contains("e") ? s : trimZeros(s)
    }

    static func trimZeros(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = Substring(s)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return t == "-0" ? "0" : String(t)
    }

    /// Escapes text for XML/HTML content and attribute values; drops characters XML 1.0 cannot carry.
    public static func xml(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
