import Linalg
import Testing
@testable import Trainers

/// Serving scores one row at a time, batch scoring many: both must give the same bits.
@Suite struct LogisticRowParityTests {
    @Test(arguments: [1, 3, 7, 31, 40, 65, 257])
    func oneRowEqualsItsRowInABatch(width: Int) throws {
        var g = SeededGenerator(seed: UInt64(width))
        let n = 300
        let x = try Matrix<Double>(rows: n, columns: width, values: (0 ..< n * width).map { _ in g.normal() * 3 })
        let model = LogisticModel(featureNames: (0 ..< width).map { "f\($0)" },
                                  coefficients: (0 ..< width).map { _ in g.normal() }, intercept: g.normal(),
                                  parameters: .init(), solver: .newton, iterations: 1, converged: true, loss: 0, gradientNorm: 0)
        let batch = try model.predictProbabilities(x)
        let z = try model.decisionFunction(x)
        for i in 0 ..< n {
            let row = Array(x.row(i))
            #expect(try model.predictProbability(row) == batch[i], "row \(i)")
            #expect(try model.decisionFunction(row) == z[i], "row \(i)")
            // And the value is the log-odds (checked against a plain loop to rounding).
            let naive = zip(row, model.coefficients).reduce(model.intercept) { $0 + $1.0 * $1.1 }
            #expect(abs(z[i] - naive) <= 1e-12 * max(1, abs(naive)) * Double(width))
        }
    }
}
