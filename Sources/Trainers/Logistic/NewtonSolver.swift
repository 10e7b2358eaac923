import Foundation
import Linalg

/// What a solver returns: the parameters (w…, b) and how it stopped.
struct SolverResult: Sendable {
    var theta: [Double]
    var iterations: Int
    var converged: Bool
    var loss: Double
    var gradientNorm: Double
}

/// Wall-clock seconds since a start, for progress reports.
struct Stopwatch: Sendable {
    private let start = ContinuousClock.now
    var seconds: Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

@inline(__always) func maxAbs(_ v: [Double]) -> Double {
    var m = 0.0
    for x in v { m = max(m, abs(x)) }
    return m
}

/// Newton–Raphson (IRLS) on ``LogisticObjective``: each iteration solves ∇²F·δ = −∇F by Cholesky
/// (LAPACK posv) and backtracks (Armijo, c = 1e-4, halving) from the full step. The candidate
/// point is evaluated with its gradient and Hessian in the same pass, so an accepted full step (the
/// usual case) costs one pass over the data. Stops when ‖∇F‖∞ ≤ tolerance (converged), when no step
/// along δ lowers F beyond rounding (converged if the gradient is within 1e3 × tolerance, the
/// limit of double precision for that problem), or after `maxIterations` steps.
enum NewtonSolver {
    static func minimize(_ f: LogisticObjective, tolerance: Double, maxIterations: Int,
                         clock: Stopwatch, progress: ProgressHandler?) throws -> SolverResult {
        let d = f.dimension
        var theta = [Double](repeating: 0, count: d)
        var current = f.evaluate(theta, gradient: true, hessian: true)
        var iterations = 0
        var converged = false
        while true {
            let gNorm = maxAbs(current.gradient)
            if gNorm <= tolerance { converged = true; break }
            if iterations >= maxIterations { break }
            guard let hessian = current.hessian else { break }
            let g = current.gradient
            var step = try newtonStep(hessian, gradient: g)
            var slope = 0.0
            for j in 0 ..< d { slope += g[j] * step[j] }
            if !(slope < 0) || !slope.isFinite {
                // Not a descent direction (Hessian numerically indefinite): steepest descent.
                step = g.map { -$0 }
                slope = -g.reduce(0) { $0 + $1 * $1 }
            }
            var t = 1.0
            var accepted: (theta: [Double], eval: LogisticObjective.Evaluation)?
            let gL1 = g.reduce(0) { $0 + abs($1) }
            for _ in 0 ..< 60 {
                var candidate = theta
                for j in 0 ..< d { candidate[j] += t * step[j] }
                let e = f.evaluate(candidate, gradient: true, hessian: true)
                if e.loss.isFinite {
                    if e.loss <= current.loss + 1e-4 * t * slope {
                        accepted = (candidate, e)
                        break
                    }
                    // At the optimum to rounding, F cannot decrease measurably; accept a step that
                    // shrinks the gradient without raising F beyond rounding (as scikit-learn's
                    // newton-cholesky does).
                    let rounding = 64 * Double.ulpOfOne * max(abs(current.loss), Double.leastNormalMagnitude)
                    if e.loss <= current.loss + rounding, e.gradient.reduce(0, { $0 + abs($1) }) < gL1 {
                        accepted = (candidate, e)
                        break
                    }
                }
                t *= 0.5
            }
            guard let next = accepted else {
                converged = gNorm <= 1e3 * tolerance
                break
            }
            theta = next.theta
            current = next.eval
            iterations += 1
            if let progress {
                progress(TrainingProgress(iteration: iterations, loss: current.loss, elapsed: clock.seconds,
                                          detail: "newton ‖∇F‖∞ \(formatShort(maxAbs(current.gradient))), step \(formatShort(t))"))
            }
        }
        return SolverResult(theta: theta, iterations: iterations, converged: converged, loss: current.loss,
                            gradientNorm: maxAbs(current.gradient))
    }

    /// −H⁻¹g by Cholesky; when H is numerically singular (e.g. the unpenalized intercept on
    /// separable data with a huge C), retried with a growing ridge τ·I.
    static func newtonStep(_ h: Matrix<Double>, gradient g: [Double]) throws -> [Double] {
        let d = h.rows
        let rhs = g.map { -$0 }
        var scale = 0.0
        for i in 0 ..< d { scale = max(scale, abs(h[i, i])) }
        var tau = 0.0
        for _ in 0 ..< 12 {
            var a = h
            if tau > 0 { for i in 0 ..< d { a[i, i] += tau } }
            do {
                let s = try BLAS.solveSPD(a, rhs: rhs)
                if s.allSatisfy(\.isFinite) { return s }
            } catch LinalgError.notPositiveDefinite {
            }
            tau = tau == 0 ? max(scale, Double.leastNormalMagnitude) * 1e-12 : tau * 100
        }
        return rhs
    }
}

/// `1.23e-05` style, for progress details.
func formatShort(_ v: Double) -> String {
    String(format: "%.3g", v)
}
