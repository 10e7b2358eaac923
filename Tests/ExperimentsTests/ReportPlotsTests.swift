import Foundation
import Testing
import Tracking
import Trainers
@testable import Experiments

#if canImport(FoundationXML)
import FoundationXML
#endif

/// What XMLParser saw in an SVG: elements in order with their attributes and text.
final class SVGScan: NSObject, XMLParserDelegate {
    struct Element { var name: String; var attributes: [String: String]; var text: String }
    var elements: [Element] = []
    private var open: [Int] = []

    static func parse(_ svg: String) -> SVGScan? {
        let scan = SVGScan()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = scan
        return parser.parse() ? scan : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(Element(name: name, attributes: attributes, text: ""))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let i = open.last { elements[i].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        _ = open.popLast()
    }

    func all(_ name: String, cssClass: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (cssClass == nil || $0.attributes["class"] == cssClass) }
    }

    func text(_ cssClass: String) -> [String] { all("text", cssClass: cssClass).map(\.text) }
}

/// Path commands (letters) of a `d` attribute.
func commands(_ d: String) -> [Character] { d.filter(\.isLetter).map { $0 } }

@Suite struct ReportPlotsTests {
    // scikit-learn's docstring example: y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8].
    let labels: [Double] = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]

    @Test func rocPlotHasTheCurveTheDiagonalAndTheAUC() throws {
        let roc = try ClassificationMetrics.rocCurve(labels: labels, scores: scores)
        let svg = try ReportPlots.roc(roc)
        let scan = try #require(SVGScan.parse(svg))
        #expect(scan.elements.first?.attributes["width"] == "640")
        #expect(scan.elements.first?.attributes["height"] == "480")
        #expect(scan.text("title") == ["ROC curve (AUC = 0.750)"])
        #expect(scan.text("x-label") == ["False positive rate"])
        #expect(scan.text("y-label") == ["True positive rate"])
        #expect(scan.text("x-tick") == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        #expect(scan.text("y-tick") == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        // Plot area x 70…620, y 420…50: fpr/tpr (0, 0.5) → (70, 235), (0.5, 1) → (345, 50).
        let curve = try #require(scan.all("path", cssClass: "curve").first?.attributes["d"])
        #expect(curve == "M70 420 L70 235 L345 235 L345 50 L620 50")
        #expect(commands(curve).count == roc.falsePositiveRates.count)
        #expect(scan.all("path", cssClass: "reference").first?.attributes["d"] == "M70 420 L620 50")
        #expect(svg == (try ReportPlots.roc(roc)))  // deterministic
    }

    @Test func precisionRecallPlotIsAStepCurveWithAveragePrecision() throws {
        let pr = try ClassificationMetrics.precisionRecallCurve(labels: labels, scores: scores)
        let svg = try ReportPlots.precisionRecall(pr, positiveRate: 0.5)
        let scan = try #require(SVGScan.parse(svg))
        // AP = 0.5·(2/3) + 0.5·1 = 0.8333.
        #expect(scan.text("title") == ["Precision–recall curve (AP = 0.833)"])
        #expect(scan.text("x-label") == ["Recall"])
        #expect(scan.text("y-label") == ["Precision"])
        // (recall, precision): (1, .5) (1, 2/3) (.5, .5) (.5, 1) (0, 1); y(2/3) = 420 − 246.67.
        let curve = try #require(scan.all("path", cssClass: "curve").first?.attributes["d"])
        #expect(curve == "M620 235 H620 V173.33 H345 V235 H345 V50 H70 V50")
        #expect(commands(curve).count == 1 + 2 * (pr.recall.count - 1))
        #expect(scan.all("path", cssClass: "reference").first?.attributes["d"] == "M70 235 L620 235")
    }

    @Test func calibrationPlotShowsBinsWithCounts() throws {
        // Two bins: [0.1, 0.3, 0.35] → mean 0.25, 1/3 positive; [0.8, 0.9] → mean 0.85, all positive.
        let cal = try ClassificationMetrics.calibrationCurve(labels: [0, 0, 1, 1, 1], probabilities: [0.1, 0.3, 0.35, 0.8, 0.9], bins: 2)
        let scan = try #require(SVGScan.parse(try ReportPlots.calibration(cal)))
        #expect(scan.text("title") == ["Calibration (2 bins, 5 rows)"])
        #expect(scan.text("x-label") == ["Mean predicted probability"])
        #expect(scan.text("y-label") == ["Observed fraction of positives"])
        let points = scan.all("circle", cssClass: "point").map { [$0.attributes["cx"] ?? "", $0.attributes["cy"] ?? ""] }
        #expect(points == [["207.5", "296.67"], ["537.5", "50"]])
        #expect(scan.text("count") == ["n=3", "n=2"])
        #expect(scan.all("path", cssClass: "curve").first?.attributes["d"] == "M207.5 296.67 L537.5 50")
        #expect(scan.all("path", cssClass: "reference").first?.attributes["d"] == "M70 420 L620 50")
    }

    @Test func lossCurveHasNiceTicksAndSkipsNonFiniteLosses() throws {
        let scan = try #require(SVGScan.parse(try ReportPlots.loss(iterations: [1, 2, 3, 4], losses: [0.9, 0.5, 0.4, 0.35], title: "ALS training loss")))
        #expect(scan.text("title") == ["ALS training loss"])
        #expect(scan.text("x-tick") == ["1", "2", "3", "4"])
        #expect(scan.text("y-tick") == ["0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"])
        #expect(scan.text("x-label") == ["Iteration"])
        #expect(scan.text("y-label") == ["Loss"])
        // y domain 0.3…0.9: 0.9 → 50, 0.5 → 420 − (0.2/0.6)·370 = 296.67; x 2 → 70 + 550/3 = 253.33.
        let curve = try #require(scan.all("path", cssClass: "curve").first?.attributes["d"])
        #expect(curve == "M70 50 L253.33 296.67 L436.67 358.33 L620 389.17")
        #expect(scan.all("circle", cssClass: "point").count == 4)

        let progress = [TrainingProgress(iteration: 1, loss: 0.9, elapsed: 0), TrainingProgress(iteration: 2, loss: .nan, elapsed: 0),
                        TrainingProgress(iteration: 3, loss: nil, elapsed: 0), TrainingProgress(iteration: 4, loss: 0.4, elapsed: 0)]
        let skipped = try #require(SVGScan.parse(try ReportPlots.loss(progress)))
        #expect(skipped.text("title") == ["Training loss (1 non-finite skipped)"])
        #expect(skipped.all("circle", cssClass: "point").count == 2)
        #expect(throws: ExperimentError.self) { try ReportPlots.loss(iterations: [1], losses: [.nan]) }
        #expect(throws: ExperimentError.self) { try ReportPlots.loss(iterations: [1, 2], losses: [1]) }
    }

    @Test func badCurvesAndAwkwardTextAreHandled() throws {
        let bad = ClassificationMetrics.ROCCurve(falsePositiveRates: [0, 1], truePositiveRates: [0], thresholds: [])
        #expect(throws: ExperimentError.self) { try ReportPlots.roc(bad) }
        let nan = ClassificationMetrics.ROCCurve(falsePositiveRates: [0, .nan], truePositiveRates: [0, 1], thresholds: [])
        #expect(throws: ExperimentError.self) { try ReportPlots.roc(nan) }
        let roc = try ClassificationMetrics.rocCurve(labels: labels, scores: scores)
        let title = "churn <test> & \"quotes\" 'x'\u{1}"
        let scan = try #require(SVGScan.parse(try ReportPlots.roc(roc, title: title)))
        #expect(scan.text("title") == ["churn <test> & \"quotes\" 'x' (AUC = 0.750)"])
    }

    @Test func numbersAreCompact() {
        #expect(ReportFormat.coordinate(70) == "70")
        #expect(ReportFormat.coordinate(173.3333) == "173.33")
        #expect(ReportFormat.coordinate(125.5) == "125.5")
        #expect(ReportFormat.coordinate(-0.001) == "0")
        #expect(ReportFormat.tick(0.30000000000000004) == "0.3")
        #expect(ReportFormat.tick(0.69314718) == "0.6931")
        #expect(ReportFormat.tick(2500000) == "2.5e+06")
        #expect(SVGChart.niceTicks(0.23, 0.71).ticks == [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
        #expect(SVGChart.niceTicks(1, 15, count: 5, integer: true).ticks == [0, 2, 4, 6, 8, 10, 12, 14, 16])
        #expect(SVGChart.niceTicks(1, 3, count: 10, integer: true).ticks == [1, 2, 3])
        #expect(SVGChart.niceTicks(2, 2).ticks == [1.8, 1.9, 2, 2.1, 2.2])
    }
}
