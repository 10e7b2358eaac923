import Foundation
import Linalg

/// Seeded logistic data for the trainer tests: features (optionally AR(1)-correlated), labels drawn
/// from a known logistic model (or from its sign, with a few flips, for near-separable data).
struct LogisticTestData {
    var x: Matrix<Double>
    var y: [Double]
    var names: [String]

    /// `correlation` ρ: feature j = ρ·feature(j−1) + √(1−ρ²)·noise. `bias` shifts the log-odds
    /// (negative = rare positives). `flip` > 0: labels are sign(x·β + bias) with that flip rate.
    static func make(rows n: Int, features p: Int, seed: UInt64, correlation: Double = 0, bias: Double = 0.3,
                     scale: Double = 1, flip: Double? = nil) -> LogisticTestData {
        var g = SeededGenerator(seed: seed)
        var values = [Double](repeating: 0, count: n * p)
        var beta = [Double](repeating: 0, count: p)
        for j in 0 ..< p {
            let sign: Double = j % 2 == 0 ? 1 : -1
            let size: Double = 0.2 + 0.2 * Double((j * 7) % 5)
            beta[j] = sign * scale * size
        }
        var y = [Double](repeating: 0, count: n)
        let s = (1 - correlation * correlation).squareRoot()
        for i in 0 ..< n {
            var prev = g.normal()
            var z = bias
            for j in 0 ..< p {
                let v = j == 0 ? prev : correlation * prev + s * g.normal()
                prev = v
                values[i * p + j] = v
                z += v * beta[j]
            }
            if let flip {
                let label: Double = z > 0 ? 1 : 0
                y[i] = Double.random(in: 0 ..< 1, using: &g) < flip ? 1 - label : label
            } else {
                y[i] = Double.random(in: 0 ..< 1, using: &g) < 1 / (1 + exp(-z)) ? 1 : 0
            }
        }
        // Matrix(rows:columns:values:) cannot fail here: the count is rows × columns.
        let x = (try? Matrix(rows: n, columns: p, values: values)) ?? Matrix(rows: 0, columns: 0)
        return LogisticTestData(x: x, y: y, names: (0 ..< p).map { "f\($0)" })
    }
}

extension Array where Element == Double {
    /// Little-endian float64 bytes (what numpy's fromfile reads).
    func writeRaw(to url: URL) throws {
        try withUnsafeBufferPointer { try Data(buffer: $0).write(to: url) }
    }
}
