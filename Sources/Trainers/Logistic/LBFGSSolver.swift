import Foundation

/// Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4/7.5) on ``LogisticObjective`` with `memory`
/// correction pairs (10, like scipy's L-BFGS-B `maxcor`) and a strong-Wolfe line search
/// (Algorithm 3.5/3.6: bracketing, then zoom with safeguarded cubic interpolation; c₁ = 1e-4,
/// c₂ = 0.9). Each evaluation is one pass (loss and gradient; two gemv per row block).
///
/// Stops as scipy's L-BFGS-B does under scikit-learn's settings: ‖∇F‖∞ ≤ tolerance (its `gtol`), or
/// the relative reduction (F_k − F_{k+1}) / max(|F_k|, |F_{k+1}|, 1) ≤ 64·ε (its `ftol`), both
/// counted as converged; or after `maxIterations`; or when the line search finds no decrease even
/// from a steepest-descent restart (not converged).
enum LBFGSSolver {
    static let memory = 10
    static let c1 = 1e-4
    static let c2 = 0.9
    static let maxLineSearch = 50

    static func minimize(_ f: LogisticObjective, tolerance: Double, maxIterations: Int,
                         clock: TrainingStopwatch, progress: ProgressHandler?) throws -> LogisticSolverResult {
        let d = f.dimension
        var theta = f.initialTheta()
        var current = f.evaluate(theta, gradient: true, hessian: false)
        guard current.loss.isFinite, current.gradient.allSatisfy(\.isFinite) else { throw LogisticNonFiniteObjective() }
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        var iterations = 0
        var converged = false
        while true {
            if current.gradient.infinityNorm <= tolerance { converged = true; break }
            if iterations >= maxIterations { break }
            var direction = twoLoop(current.gradient, s: s, y: y, rho: rho)
            var slope = dot(current.gradient, direction)
            if !(slope < 0) {
                s.removeAll(); y.removeAll(); rho.removeAll()
                direction = current.gradient.map { -$0 }
                slope = dot(current.gradient, direction)
            }
            // First step (no curvature yet): unit length, as L-BFGS-B does.
            var t0 = s.isEmpty ? min(1, 1 / dot(direction, direction).squareRoot()) : 1
            var search = lineSearch(f, theta: theta, at: current, direction: direction, slope: slope, initial: t0)
            if search == nil, !s.isEmpty {
                // A stale memory can give a poor direction: restart from steepest descent once.
                s.removeAll(); y.removeAll(); rho.removeAll()
                direction = current.gradient.map { -$0 }
                slope = dot(current.gradient, direction)
                t0 = min(1, 1 / dot(direction, direction).squareRoot())
                search = lineSearch(f, theta: theta, at: current, direction: direction, slope: slope, initial: t0)
            }
            guard let (t, next) = search else { break }
            var step = direction
            for j in 0 ..< d { step[j] *= t }
            var change = next.gradient
            for j in 0 ..< d { change[j] -= current.gradient[j] }
            let sy = dot(step, change)
            if sy > Double.ulpOfOne * dot(change, change) {
                if s.count == memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
                s.append(step); y.append(change); rho.append(1 / sy)
            }
            let previous = current.loss
            for j in 0 ..< d { theta[j] += step[j] }
            current = next
            iterations += 1
            if let progress {
                progress(TrainingProgress(iteration: iterations, loss: current.loss, elapsed: clock.seconds,
                                          detail: "lbfgs ‖∇F‖∞ \(formatShort(current.gradient.infinityNorm)), step \(formatShort(t))"))
            }
            if (previous - current.loss) / max(abs(previous), abs(current.loss), 1) <= 64 * Double.ulpOfOne {
                converged = true
                break
            }
        }
        return LogisticSolverResult(theta: theta, iterations: iterations, converged: converged, loss: current.loss,
                            gradientNorm: current.gradient.infinityNorm)
    }

    /// −H_k·g by the two-loop recursion, H₀ = (sᵀy / yᵀy)·I from the newest pair.
    static func twoLoop(_ g: [Double], s: [[Double]], y: [[Double]], rho: [Double]) -> [Double] {
        var q = g
        var alpha = [Double](repeating: 0, count: s.count)
        for i in stride(from: s.count - 1, through: 0, by: -1) {
            alpha[i] = rho[i] * dot(s[i], q)
            axpy(-alpha[i], y[i], &q)
        }
        if let sl = s.last, let yl = y.last {
            let gamma = dot(sl, yl) / dot(yl, yl)
            for j in q.indices { q[j] *= gamma }
        }
        for i in 0 ..< s.count {
            let beta = rho[i] * dot(y[i], q)
            axpy(alpha[i] - beta, s[i], &q)
        }
        for j in q.indices { q[j] = -q[j] }
        return q
    }

    /// A step t satisfying the strong Wolfe conditions along `direction`, with the evaluation there;
    /// nil when none lowers F (then the caller restarts or stops).
    static func lineSearch(_ f: LogisticObjective, theta: [Double], at start: LogisticObjective.Evaluation,
                           direction: [Double], slope: Double, initial: Double)
        -> (Double, LogisticObjective.Evaluation)? {
        let f0 = start.loss
        struct Point { var t: Double; var f: Double; var g: Double; var eval: LogisticObjective.Evaluation }
        func phi(_ t: Double) -> Point {
            var x = theta
            for j in x.indices { x[j] += t * direction[j] }
            let e = f.evaluate(x, gradient: true, hessian: false)
            let df = e.loss.isFinite ? dot(e.gradient, direction) : .nan
            return Point(t: t, f: e.loss.isFinite ? e.loss : .infinity, g: df, eval: e)
        }
        var best: Point?
        func consider(_ p: Point) {
            if p.f < f0, p.f < (best?.f ?? .infinity) { best = p }
        }
        var previous = Point(t: 0, f: f0, g: slope, eval: start)
        var t = initial
        var evaluations = 0
        var lo: Point, hi: Point
        bracket: while true {
            let p = phi(t)
            evaluations += 1
            consider(p)
            if p.f > f0 + c1 * t * slope || (evaluations > 1 && p.f >= previous.f) || !p.g.isFinite {
                lo = previous; hi = p
                break bracket
            }
            if abs(p.g) <= -c2 * slope { return (p.t, p.eval) }
            if p.g >= 0 {
                lo = p; hi = previous
                break bracket
            }
            if evaluations >= maxLineSearch { return best.map { ($0.t, $0.eval) } }
            previous = p
            t *= 4
        }
        // Zoom: lo satisfies sufficient decrease with the lowest F so far; the minimizer lies between.
        while evaluations < maxLineSearch {
            let a = min(lo.t, hi.t), b = max(lo.t, hi.t), width = b - a
            if width <= Double.ulpOfOne * max(b, 1e-300) { break }
            var trial = cubicMinimizer(lo, hi)
            if !trial.isFinite || trial < a + 0.1 * width || trial > b - 0.1 * width { trial = a + 0.5 * width }
            let p = phi(trial)
            evaluations += 1
            consider(p)
            if p.f > f0 + c1 * p.t * slope || p.f >= lo.f || !p.g.isFinite {
                hi = p
            } else {
                if abs(p.g) <= -c2 * slope { return (p.t, p.eval) }
                if p.g * (hi.t - lo.t) >= 0 { hi = lo }
                lo = p
            }
        }
        return best.map { ($0.t, $0.eval) }

        func cubicMinimizer(_ p: Point, _ q: Point) -> Double {
            guard q.f.isFinite, q.g.isFinite else { return .nan }
            let d1 = p.g + q.g - 3 * (p.f - q.f) / (p.t - q.t)
            let disc = d1 * d1 - p.g * q.g
            guard disc >= 0 else { return .nan }
            let d2 = (q.t > p.t ? 1.0 : -1.0) * disc.squareRoot()
            return q.t - (q.t - p.t) * (q.g + d2 - d1) / (q.g - p.g + 2 * d2)
        }
    }

    @inline(__always) static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    @inline(__always) static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        for i in y.indices { y[i] += alpha * x[i] }
    }
}

/// `1.23e-05` style, for progress details.
private func formatShort(_ v: Double) -> String {
    String(format: "%.3g", v)
}
