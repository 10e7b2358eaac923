import Foundation

extension SVGChart {
    /// "Nice" ticks covering [lo, hi]: a step of 1, 2 or 5 × 10ᵏ giving about `count` intervals;
    /// returns the rounded-out domain and the ticks. `integer` keeps the step ≥ 1 and whole.
    ///
    /// ```swift
    /// SVGChart.niceTicks(0.23, 0.71)   // (0.2 ... 0.8, [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    /// ```
    public static func niceTicks(_ lo: Double, _ hi: Double, count: Int = 5, integer: Bool = false)
        -> (domain: ClosedRange<Double>, ticks: [Double]) {
        var a = lo, b = hi
        if !(a.isFinite && b.isFinite) { return (0 ... 1, [0, 0.5, 1]) }
        if a > b { swap(&a, &b) }
        if a == b {
            let pad = a == 0 ? 1 : abs(a) * 0.1
            a -= pad
            b += pad
        }
        let raw = (b - a) / Double(max(count, 1))
        let mag = pow(10, floor(log10(raw)))
        let norm = raw / mag
        var step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag
        if integer { step = max(1, step.rounded(.up)) }
        let first = floor(a / step + 1e-9), last = ceil(b / step - 1e-9)
        let n = Int(last - first)
        // Each tick as k·step, rounded to the step's decimals so labels stay short.
        let decimals = max(0, -Int(floor(log10(step))) + 1)
        let scale = pow(10, Double(min(decimals, 12)))
        let ticks = (0 ... max(n, 1)).map { ((first + Double($0)) * step * scale).rounded() / scale }
        return ((ticks.first ?? a) ... (ticks.last ?? b), ticks)
    }
}
