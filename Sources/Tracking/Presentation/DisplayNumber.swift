/// Metric values for people: the shortest text that reads back as the same double (`0.8`,
/// `0.7969999999999999`, `1e-05`), `NaN`, `inf`, `-inf`.
///
/// ```swift
/// DisplayNumber.text(0.5)          // "0.5"
/// DisplayNumber.text(3)            // "3.0"
/// DisplayNumber.text(.infinity)    // "inf"
/// ```
public enum DisplayNumber {
    public static func text(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return "\(v)"
    }
}
