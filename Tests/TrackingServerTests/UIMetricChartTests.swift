import Foundation
import Testing
import Tracking
@testable import TrackingServer

@Suite("UIMetricChart")
struct UIMetricChartTests {
    @Test func stepsIndicesNonFiniteAndThinning() throws {
        let h = [Metric(key: "m", value: 1, timestamp: 0, step: 0), Metric(key: "m", value: .nan, timestamp: 1, step: 1),
                 Metric(key: "m", value: 3, timestamp: 2, step: 5)]
        #expect(MetricChart.coordinates(h).map(\.0) == [0, 5])
        let same = (0..<4).map { Metric(key: "m", value: Double($0), timestamp: Int64($0), step: 0) }
        #expect(MetricChart.coordinates(same).map(\.0) == [0, 1, 2, 3])
        let long = (0..<5000).map { Metric(key: "m", value: Double($0), timestamp: 0, step: Int64($0)) }
        let thin = MetricChart.coordinates(long)
        #expect(thin.count == MetricChart.maxPoints)
        #expect(thin.first?.0 == 0 && thin.last?.0 == 4999)
        let svg = try #require(MetricChart.render(key: "loss <x>", series: [.init(label: "r", points: long)]))
        #expect(svg.seriesPaths.map(pathPoints) == [MetricChart.maxPoints])
        #expect(svg.contains("loss &lt;x&gt;"))
        #expect(MetricChart.render(key: "m", series: [.init(label: "r", points: [Metric(key: "m", value: .infinity, timestamp: 0)])]) == nil)
    }
}
