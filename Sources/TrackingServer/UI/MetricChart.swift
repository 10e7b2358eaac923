import Tracking

/// SVG line charts of metric histories, drawn on the server with ``SVGChart``: x is the step (or
/// the point's index when every point has the same step), one path per series (`M` then one `L`
/// per further point, non-finite values skipped), a circle on a series with a single point, and a
/// legend when there are several series.
///
/// ```swift
/// let svg = MetricChart.render(key: "loss", series: [.init(label: "baseline", points: history)])
/// ```
public enum MetricChart {
    /// One line: a label for the legend and the logged points in history order.
    public struct Series: Sendable {
        public var label: String
        public var points: [Metric]
        public init(label: String, points: [Metric]) {
            self.label = label
            self.points = points
        }
    }

    /// Line colours, one per series in order (repeating).
    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// At most this many points are drawn per series.
    public static let maxPoints = 1000

    /// The (x, y) points of a history: finite values only; x is the step unless every point has
    /// the same step, then the index. Longer than ``maxPoints``: evenly thinned, first and last kept.
    public static func coordinates(_ points: [Metric]) -> [(Double, Double)] {
        let sameStep = Set(points.map(\.step)).count <= 1 && points.count > 1
        let all: [(Double, Double)] = points.enumerated().compactMap { i, m in
            m.value.isFinite ? (sameStep ? Double(i) : Double(m.step), m.value) : nil
        }
        guard all.count > maxPoints else { return all }
        let stride = Double(all.count - 1) / Double(maxPoints - 1)
        return (0..<maxPoints).map { all[Int((Double($0) * stride).rounded())] }
    }

    /// The `<svg>` element (no XML declaration), 560×300; nil when no series has a finite point.
    public static func render(key: String, series: [Series], width: Double = 560, height: Double = 300) -> String? {
        let lines = series.map { (label: $0.label, xy: coordinates($0.points), sameStep: Set($0.points.map(\.step)).count <= 1 && $0.points.count > 1) }
        let all = lines.flatMap(\.xy)
        guard let first = all.first else { return nil }
        let xs = all.map(\.0), ys = all.map(\.1)
        let x = SVGChart.niceTicks(xs.min() ?? first.0, xs.max() ?? first.0, count: 6, integer: true)
        let y = SVGChart.niceTicks(ys.min() ?? first.1, ys.max() ?? first.1)
        let xLabel = lines.allSatisfy(\.sameStep) ? "point" : "step"
        var chart = SVGChart(title: key, xLabel: xLabel, yLabel: key, xDomain: x.domain, yDomain: y.domain,
                             xTicks: x.ticks, yTicks: y.ticks, width: width, height: height)
        chart.legendCorner = .topRight
        for (i, line) in lines.enumerated() where !line.xy.isEmpty {
            let color = palette[i % palette.count]
            chart.addLine(line.xy, cssClass: "series series-\(i)", stroke: color,
                          legend: series.count > 1 ? line.label : nil)
            if line.xy.count == 1, let p = line.xy.first { chart.addCircle(p.0, p.1, radius: 3, cssClass: "point", fill: color) }
        }
        return chart.renderElement(cssClass: "metric-chart")
    }
}
