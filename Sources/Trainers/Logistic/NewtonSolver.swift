import Foundation
import Linalg

/// Newton–Raphson (IRLS) on ``LogisticObjective``: each iteration solves ∇²F·δ = −∇F by Cholesky
/// (LAPACK posv) and backtracks (Armijo, c = 1e-4, halving) from the full step. Stops when
/// ‖∇F‖∞ ≤ tolerance and ½λ² ≤ tolerance (λ the Newton decrement; converged), when no step along δ lowers F beyond rounding (converged if the
/// gradient is within 1e3 × tolerance, the limit of double precision for that problem), or after
/// `maxIterations` steps.
///
/// Passes over the data are what cost (O(n·d²) with the Hessian, O(n·d) without), so:
/// - a warm start (``solve(_:tolerance:maxIterations:clock:progress:warmStartRows:)``) solves the
///   problem on every 10th row first (recursively) and hands over its solution and its Hessian,
///   which estimates the full one (same normalized scale);
/// - a Hessian is reused (a chord step: one O(n·d) pass) while the gradient reduction it just
///   achieved, ρ, reaches the tolerance within two more steps; otherwise (or after any
///   backtracking) the exact Hessian at the current point is computed, and Newton converges
///   quadratically from there. On large n the full data is thus often read only 2–3 times, with no
///   O(n·d²) pass at all;
/// - a candidate point is evaluated together with its Hessian only after an exact step not
///   predicted to reach the tolerance (‖∇F⁺‖ ≈ ‖∇F‖·λ, λ the Newton decrement √(∇Fᵀ∇²F⁻¹∇F)).
/// A wrong guess costs a pass, never accuracy: the stopping test is always the full gradient.
enum NewtonSolver {
    /// Rows below which no warm start is attempted.
    static let warmStartRows = 10_000

    /// Newton from a warm start when `f` has ≥ 10·max(`warmStartRows`, 20·d) rows: the problem on
    /// every 10th row is solved first (recursively, to tolerance max(tolerance, 1e-3)). The answer is
    /// the full problem's: the stopping test is always on the full gradient.
    static func solve(_ f: LogisticObjective, tolerance: Double, maxIterations: Int, clock: TrainingStopwatch,
                      progress: ProgressHandler?, warmStartRows: Int = NewtonSolver.warmStartRows) throws -> LogisticSolverResult {
        var counter = 0
        return try solve(f, tolerance: tolerance, maxIterations: maxIterations, clock: clock, progress: progress,
                         warmStartRows: warmStartRows, counter: &counter, level: 0)
    }

    private static func solve(_ f: LogisticObjective, tolerance: Double, maxIterations: Int, clock: TrainingStopwatch,
                              progress: ProgressHandler?, warmStartRows: Int, counter: inout Int, level: Int) throws -> LogisticSolverResult {
        var start: [Double]?
        var startHessian: Matrix<Double>?
        let base = max(warmStartRows, 20 * f.dimension)
        if f.rows >= 10 * base, f.rowStride * 10 * f.features < Int(Int32.max),
           let sub = f.subsample(stride: 10, minimumPerClass: 50),
           let warm = try? solve(sub, tolerance: max(tolerance, 1e-3), maxIterations: maxIterations, clock: clock,
                                 progress: progress, warmStartRows: warmStartRows, counter: &counter, level: level + 1),
           warm.theta.allSatisfy(\.isFinite) {
            start = warm.theta
            // The subsample's own Hessian at its solution (one pass over a tenth of the rows) is a
            // better estimate than one the subsample may itself have borrowed from a coarser level.
            startHessian = sub.evaluate(warm.theta, gradient: false, hessian: true).hessian ?? warm.hessian
        }
        return try minimize(f, start: start ?? f.initialTheta(), startHessian: startHessian, tolerance: tolerance, maxIterations: maxIterations,
                            clock: clock, progress: progress, counter: &counter,
                            label: level == 0 ? "" : " (warm start on \(f.rows) rows)")
    }

    static func minimize(_ f: LogisticObjective, start: [Double], startHessian: Matrix<Double>? = nil, tolerance: Double,
                         maxIterations: Int, clock: TrainingStopwatch, progress: ProgressHandler?, counter: inout Int,
                         label: String = "") throws -> LogisticSolverResult {
        let d = f.dimension
        var theta = start
        // With a borrowed Hessian the start needs only the gradient; without, evaluate it here.
        var current = f.evaluate(theta, gradient: true, hessian: startHessian == nil)
        guard current.loss.isFinite, current.gradient.allSatisfy(\.isFinite) else { throw LogisticNonFiniteObjective() }
        // Features near 1e154 and beyond overflow the Hessian (x²) while the loss and gradient stay
        // finite: every step would then fail and an unfitted start be returned, so this is an error.
        if let h = current.hessian ?? startHessian, !h.values.allSatisfy(\.isFinite) { throw LogisticNonFiniteObjective() }
        var hessian = current.hessian ?? startHessian
        // Whether `hessian` was computed at `theta` (else it is borrowed or from an earlier point).
        var exact = current.hessian != nil
        var lastHessian = hessian
        var iterations = 0
        var converged = false
        while true {
            let gNorm = current.gradient.infinityNorm
            if gNorm <= tolerance {
                // Second test (scikit-learn's newton-cholesky has it too): the predicted decrease
                // ½λ² = ½·∇Fᵀ∇²F⁻¹∇F must be ≤ tolerance as well, so a flat objective (near-separable
                // data with a large C: small gradient, far from the optimum) does not stop early.
                // λ here is at the current point, with the latest Hessian (one d × d solve, no pass).
                guard let h = hessian ?? lastHessian, let s = try? newtonStep(h, gradient: current.gradient) else {
                    converged = true
                    break
                }
                var lambda2 = 0.0
                for j in 0 ..< d { lambda2 -= current.gradient[j] * s[j] }
                if 0.5 * lambda2 <= tolerance { converged = true; break }
            }
            if iterations >= maxIterations { break }
            if hessian == nil {
                current = f.evaluate(theta, gradient: true, hessian: true)
                hessian = current.hessian
                exact = true
            }
            guard let h = hessian else { break }
            lastHessian = h
            let g = current.gradient
            var step = try newtonStep(h, gradient: g)
            var slope = 0.0
            for j in 0 ..< d { slope += g[j] * step[j] }
            if !(slope < 0) || !slope.isFinite {
                // Not a descent direction (Hessian numerically indefinite): steepest descent.
                step = g.map { -$0 }
                slope = -g.reduce(0) { $0 + $1 * $1 }
            }
            let decrement = (-slope).squareRoot()
            // Fetch the next Hessian with the candidate only after an exact step not predicted to
            // converge (‖∇F⁺‖ ≈ ‖∇F‖·λ); after a step with a stale Hessian, reuse is tried first.
            let fuse = exact && gNorm * min(decrement, 1) > 0.5 * tolerance
            var t = 1.0
            var accepted: (theta: [Double], eval: LogisticObjective.Evaluation)?
            let gL1 = g.reduce(0) { $0 + abs($1) }
            for _ in 0 ..< 60 {
                var candidate = theta
                for j in 0 ..< d { candidate[j] += t * step[j] }
                let e = f.evaluate(candidate, gradient: true, hessian: fuse && t == 1)
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
                if !exact { break }  // a stale Hessian that needs backtracking is replaced instead
                // A step below the rounding of θ changes nothing: stop backtracking.
                if t * step.infinityNorm <= Double.ulpOfOne * max(theta.infinityNorm, 1) { break }
            }
            guard let next = accepted else {
                if !exact {
                    hessian = nil
                    continue
                }
                converged = gNorm <= 1e3 * tolerance
                break
            }
            theta = next.theta
            current = next.eval
            iterations += 1
            counter += 1
            if let fresh = current.hessian {
                hessian = fresh
                exact = true
            } else {
                // Keep the old Hessian (a chord step: one pass, no O(n·d²) work) while, at the
                // gradient reduction ρ it just achieved, at most two more steps reach the tolerance;
                // otherwise compute the exact one (quadratic convergence beats a slow linear rate).
                exact = false
                let g1 = current.gradient.infinityNorm
                let rho = g1 / gNorm
                if t < 1 || !(rho < 0.5) || (g1 > tolerance && log(g1 / tolerance) > 2 * log(1 / rho)) { hessian = nil }
            }
            if let progress {
                progress(TrainingProgress(iteration: counter, loss: current.loss, elapsed: clock.seconds,
                                          detail: "newton ‖∇F‖∞ \(formatShort(current.gradient.infinityNorm)), step \(formatShort(t)), decrement \(formatShort(decrement))\(label)"))
            }
        }
        return LogisticSolverResult(theta: theta, iterations: iterations, converged: converged, loss: current.loss,
                            gradientNorm: current.gradient.infinityNorm, hessian: hessian ?? lastHessian)
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
private func formatShort(_ v: Double) -> String {
    String(format: "%.3g", v)
}
