/// A hand-written SVG line chart (used by `mltrack run` reports and the tracking server's web UI), 640×480 by default: a title, x and y axes with ticks, tick
/// labels and axis labels, light grid lines, and layers (paths, circles, text) given in data
/// coordinates. The output is deterministic and valid XML (all text escaped).
///
/// Plot area: x from 70 to `width − 20`, y from 50 (top) to `height − 60` (bottom), so a data
/// point (x, y) lands at `70 + (x − x₀)/(x₁ − x₀)·(width − 90)`, `height − 60 − (y − y₀)/(y₁ − y₀)·(height − 110)`.
///
/// ```swift
/// var chart = SVGChart(title: "Loss", xLabel: "iteration", yLabel: "loss",
///                      xDomain: 1 ... 10, yDomain: 0 ... 1, xTicks: [1, 5, 10], yTicks: [0, 0.5, 1])
/// chart.addLine([(1, 0.9), (10, 0.2)], cssClass: "curve")
/// let svg = chart.render()
/// ```
public struct SVGChart: Sendable {
    /// Where the legend box goes inside the plot area.
    public enum LegendCorner: Sendable { case topRight, bottomRight }

    public var width: Double
    public var height: Double
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xDomain: ClosedRange<Double>
    public var yDomain: ClosedRange<Double>
    public var xTicks: [Double]
    public var yTicks: [Double]
    public var legendCorner: LegendCorner = .bottomRight
    private var layers: [String] = []
    private var legend: [(label: String, stroke: String, dashed: Bool)] = []

    public static let left = 70.0, right = 20.0, top = 50.0, bottom = 60.0

    public init(title: String, xLabel: String, yLabel: String, xDomain: ClosedRange<Double>, yDomain: ClosedRange<Double>,
                xTicks: [Double], yTicks: [Double], width: Double = 640, height: Double = 480) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xDomain = xDomain
        self.yDomain = yDomain
        self.xTicks = xTicks
        self.yTicks = yTicks
        self.width = width
        self.height = height
    }

    var plotLeft: Double { Self.left }
    var plotRight: Double { width - Self.right }
    var plotTop: Double { Self.top }
    var plotBottom: Double { height - Self.bottom }

    /// The pixel x of data x.
    public func px(_ x: Double) -> Double {
        let span = xDomain.upperBound - xDomain.lowerBound
        return plotLeft + (span > 0 ? (x - xDomain.lowerBound) / span : 0.5) * (plotRight - plotLeft)
    }

    /// The pixel y of data y (SVG's y grows downwards).
    public func py(_ y: Double) -> Double {
        let span = yDomain.upperBound - yDomain.lowerBound
        return plotBottom - (span > 0 ? (y - yDomain.lowerBound) / span : 0.5) * (plotBottom - plotTop)
    }

    private func point(_ x: Double, _ y: Double) -> String {
        SVGFormat.coordinate(px(x)) + " " + SVGFormat.coordinate(py(y))
    }

    private static func strokeAttributes(_ stroke: String, width: Double, dashed: Bool) -> String {
        "stroke=\"\(SVGFormat.xml(stroke))\" stroke-width=\"\(SVGFormat.coordinate(width))\" fill=\"none\""
            + (dashed ? " stroke-dasharray=\"6 4\"" : "")
    }

    /// A polyline through the points: `M x y` then one `L x y` per further point.
    public mutating func addLine(_ points: [(Double, Double)], cssClass: String, stroke: String = "#1f77b4",
                                 width: Double = 2, dashed: Bool = false, legend label: String? = nil) {
        guard let first = points.first else { return }
        var d = "M" + point(first.0, first.1)
        for p in points.dropFirst() { d += " L" + point(p.0, p.1) }
        addPath(d, cssClass: cssClass, stroke: stroke, width: width, dashed: dashed, legend: label)
    }

    /// A step line (matplotlib's `steps-post`): `M x₀ y₀`, then per further point `H xₖ V yₖ`
    /// (horizontal at the previous y, then vertical).
    public mutating func addSteps(_ points: [(Double, Double)], cssClass: String, stroke: String = "#1f77b4",
                                  width: Double = 2, legend label: String? = nil) {
        guard let first = points.first else { return }
        var d = "M" + point(first.0, first.1)
        for p in points.dropFirst() {
            d += " H" + SVGFormat.coordinate(px(p.0)) + " V" + SVGFormat.coordinate(py(p.1))
        }
        addPath(d, cssClass: cssClass, stroke: stroke, width: width, dashed: false, legend: label)
    }

    private mutating func addPath(_ d: String, cssClass: String, stroke: String, width: Double, dashed: Bool, legend label: String?) {
        layers.append("<path class=\"\(SVGFormat.xml(cssClass))\" d=\"\(d)\" \(Self.strokeAttributes(stroke, width: width, dashed: dashed))/>")
        if let label { legend.append((label, stroke, dashed)) }
    }

    /// A filled circle at a data point.
    public mutating func addCircle(_ x: Double, _ y: Double, radius: Double = 4, cssClass: String, fill: String = "#1f77b4") {
        layers.append("<circle class=\"\(SVGFormat.xml(cssClass))\" cx=\"\(SVGFormat.coordinate(px(x)))\" cy=\"\(SVGFormat.coordinate(py(y)))\" r=\"\(SVGFormat.coordinate(radius))\" fill=\"\(SVGFormat.xml(fill))\"/>")
    }

    /// Text anchored at a data point, shifted by (dx, dy) pixels.
    public mutating func addText(_ text: String, at x: Double, _ y: Double, dx: Double = 0, dy: Double = 0,
                                 cssClass: String, anchor: String = "start", size: Double = 11) {
        layers.append("<text class=\"\(SVGFormat.xml(cssClass))\" x=\"\(SVGFormat.coordinate(px(x) + dx))\" y=\"\(SVGFormat.coordinate(py(y) + dy))\" text-anchor=\"\(anchor)\" font-size=\"\(SVGFormat.coordinate(size))\">\(SVGFormat.xml(text))</text>")
    }

    /// The whole document (an XML declaration, then the `<svg>` element).
    public func render() -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + renderElement()
    }

    /// The `<svg>` element alone, to embed in an HTML page; `cssClass` goes on the element.
    public func renderElement(cssClass: String? = nil) -> String {
        let c = SVGFormat.coordinate
        var s = ""
        let classAttribute = cssClass.map { " class=\"\(SVGFormat.xml($0))\"" } ?? ""
        s += "<svg\(classAttribute) xmlns=\"http://www.w3.org/2000/svg\" width=\"\(c(width))\" height=\"\(c(height))\" viewBox=\"0 0 \(c(width)) \(c(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"\(c(width))\" height=\"\(c(height))\" fill=\"white\"/>\n"
        s += "<text class=\"title\" x=\"\(c(width / 2))\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">\(SVGFormat.xml(title))</text>\n"
        // Grid and ticks.
        s += "<g class=\"grid\" stroke=\"#e5e5e5\" stroke-width=\"1\">\n"
        for t in xTicks { s += "<line x1=\"\(c(px(t)))\" y1=\"\(c(plotTop))\" x2=\"\(c(px(t)))\" y2=\"\(c(plotBottom))\"/>\n" }
        for t in yTicks { s += "<line x1=\"\(c(plotLeft))\" y1=\"\(c(py(t)))\" x2=\"\(c(plotRight))\" y2=\"\(c(py(t)))\"/>\n" }
        s += "</g>\n"
        s += "<g class=\"axes\" stroke=\"black\" stroke-width=\"1\">\n"
        s += "<line class=\"x-axis\" x1=\"\(c(plotLeft))\" y1=\"\(c(plotBottom))\" x2=\"\(c(plotRight))\" y2=\"\(c(plotBottom))\"/>\n"
        s += "<line class=\"y-axis\" x1=\"\(c(plotLeft))\" y1=\"\(c(plotTop))\" x2=\"\(c(plotLeft))\" y2=\"\(c(plotBottom))\"/>\n"
        for t in xTicks { s += "<line x1=\"\(c(px(t)))\" y1=\"\(c(plotBottom))\" x2=\"\(c(px(t)))\" y2=\"\(c(plotBottom + 5))\"/>\n" }
        for t in yTicks { s += "<line x1=\"\(c(plotLeft - 5))\" y1=\"\(c(py(t)))\" x2=\"\(c(plotLeft))\" y2=\"\(c(py(t)))\"/>\n" }
        s += "</g>\n"
        s += "<g class=\"tick-labels\" font-size=\"11\">\n"
        for t in xTicks {
            s += "<text class=\"x-tick\" x=\"\(c(px(t)))\" y=\"\(c(plotBottom + 19))\" text-anchor=\"middle\">\(SVGFormat.xml(SVGFormat.tick(t)))</text>\n"
        }
        for t in yTicks {
            s += "<text class=\"y-tick\" x=\"\(c(plotLeft - 8))\" y=\"\(c(py(t) + 4))\" text-anchor=\"end\">\(SVGFormat.xml(SVGFormat.tick(t)))</text>\n"
        }
        s += "</g>\n"
        let midX = (plotLeft + plotRight) / 2, midY = (plotTop + plotBottom) / 2
        s += "<text class=\"x-label\" x=\"\(c(midX))\" y=\"\(c(height - 18))\" text-anchor=\"middle\" font-size=\"13\">\(SVGFormat.xml(xLabel))</text>\n"
        s += "<text class=\"y-label\" x=\"18\" y=\"\(c(midY))\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 18 \(c(midY)))\">\(SVGFormat.xml(yLabel))</text>\n"
        s += "<g class=\"data\">\n"
        for l in layers { s += l + "\n" }
        s += "</g>\n"
        if !legend.isEmpty {
            let boxW = 170.0, rowH = 18.0, boxH = rowH * Double(legend.count) + 8
            let x0 = plotRight - boxW - 10
            let y0 = legendCorner == .bottomRight ? plotBottom - boxH - 10 : plotTop + 10
            s += "<g class=\"legend\" font-size=\"11\">\n"
            s += "<rect x=\"\(c(x0))\" y=\"\(c(y0))\" width=\"\(c(boxW))\" height=\"\(c(boxH))\" fill=\"white\" stroke=\"#999\"/>\n"
            for (i, e) in legend.enumerated() {
                let y = y0 + 4 + rowH * (Double(i) + 0.5)
                s += "<line x1=\"\(c(x0 + 8))\" y1=\"\(c(y))\" x2=\"\(c(x0 + 32))\" y2=\"\(c(y))\" \(Self.strokeAttributes(e.stroke, width: 2, dashed: e.dashed))/>\n"
                s += "<text x=\"\(c(x0 + 38))\" y=\"\(c(y + 4))\">\(SVGFormat.xml(e.label))</text>\n"
            }
            s += "</g>\n"
        }
        s += "</svg>\n"
        return s
    }
}
