import Foundation
import Linalg

/// The normalized L2-penalized log loss of a binary logistic model and its derivatives:
///
///     F(θ) = (1/S)·Σᵢ sᵢ·ℓᵢ + (1/(2·C·S))·‖w‖²,   θ = (w, b),   S = Σᵢ sᵢ,
///     ℓᵢ = log(1 + e^{−|zᵢ|}) + max(zᵢ, 0) − yᵢ·zᵢ,   zᵢ = xᵢ·w + b   (stable for any zᵢ),
///     ∇F = (1/S)·[Xᵀr; Σ r] + [w/(C·S); 0],   rᵢ = sᵢ·(σ(zᵢ) − yᵢ),
///     ∇²F = (1/S)·[X 1]ᵀ·diag(h)·[X 1] + diag(1/(C·S), …, 0),   hᵢ = sᵢ·σ(zᵢ)(1 − σ(zᵢ)).
///
/// One evaluation is a single pass over the rows in fixed blocks: z by gemv, r and h elementwise,
/// the gradient by a transposed gemv, the Hessian by syrk on a copy of the block scaled by √h (with a
/// column of √h for the intercept). The rows are split into a number of tasks that depends only on
/// the shape (so results do not depend on the thread count), run through ``Parallel/forEach``; each
/// task accumulates its own partial sums, added in task order. Memory beyond X: O(tasks·(block·d + d²)).
///
/// The rows may be a strided view of `x` (every `rowStride`-th row, see ``subsample(stride:minimumPerClass:)``):
/// BLAS reads them in place through the leading dimension, nothing is copied.
struct LogisticObjective: Sendable {
    /// The full matrix; this objective's row k is `x`'s row k·rowStride.
    let x: Matrix<Double>
    let rows: Int
    let rowStride: Int
    /// Labels of this objective's rows.
    let y: [Double]
    /// sᵢ: sample weight × class weight, of this objective's rows.
    let weights: [Double]
    let fitIntercept: Bool
    /// 1 / S.
    let inverseWeightSum: Double
    /// 1 / (C·S): the penalty's coefficient on the normalized scale.
    let penalty: Double
    /// (s for label 0, s for label 1) when every row's weight depends on its label only (no
    /// sample weights): the log term is then summed as the log of per-class products.
    let classWeights: (Double, Double)?
    let tasks: Int
    let blockRows: Int

    var features: Int { x.columns }
    /// Number of parameters: features (+ 1 for the intercept, stored last).
    var dimension: Int { x.columns + (fitIntercept ? 1 : 0) }

    /// `penalty` is 1/(C·S) for the problem as posed (a subsample keeps its parent's).
    init(x: Matrix<Double>, rowStride: Int = 1, y: [Double], weights: [Double], weightSum: Double, penalty: Double,
         fitIntercept: Bool, classWeights: (Double, Double)? = nil) {
        self.x = x
        self.classWeights = classWeights
        self.rows = y.count
        self.rowStride = rowStride
        self.y = y
        self.weights = weights
        self.fitIntercept = fitIntercept
        self.inverseWeightSum = 1 / weightSum
        self.penalty = penalty
        let d = x.columns + (fitIntercept ? 1 : 0)
        // ~256 KB blocks of X, so a block and its scaled copy stay in L2 between the forward gemv,
        // the transposed gemv, the copy and syrk; at least 64 rows.
        blockRows = max(64, min(4096, (1 << 15) / max(d, 1)))
        // Tasks: about 32 blocks each, at most 16, and their Hessians within ~64 MB.
        let byRows = (rows + 32 * blockRows - 1) / (32 * blockRows)
        let byMemory = max(1, (64 << 20) / (8 * max(d * d, 1)))
        tasks = max(1, min(16, byRows, byMemory))
    }

    /// Every `stride`-th row (0, stride, 2·stride, …) with the same penalty coefficient, so its
    /// normalized objective estimates this one's; nil when the subsample lacks either class in at
    /// least `minimumPerClass` rows. Only labels and weights are copied.
    func subsample(stride: Int, minimumPerClass: Int) -> LogisticObjective? {
        let m = (rows + stride - 1) / stride
        var ys = [Double](repeating: 0, count: m), ws = [Double](repeating: 0, count: m)
        var sum = 0.0, positives = 0, negatives = 0
        for k in 0 ..< m {
            ys[k] = y[k * stride]
            ws[k] = weights[k * stride]
            sum += ws[k]
            if ws[k] > 0 { if ys[k] == 1 { positives += 1 } else { negatives += 1 } }
        }
        guard positives >= minimumPerClass, negatives >= minimumPerClass, sum > 0 else { return nil }
        return LogisticObjective(x: x, rowStride: rowStride * stride, y: ys, weights: ws, weightSum: sum,
                                 penalty: penalty, fitIntercept: fitIntercept, classWeights: classWeights)
    }

    /// Zero coefficients and, with an intercept, b = log(S₁/S₀): the optimum of the intercept-only
    /// model, a better start than 0 for imbalanced labels.
    func initialTheta() -> [Double] {
        var theta = [Double](repeating: 0, count: dimension)
        if fitIntercept {
            var s1 = 0.0, s0 = 0.0
            for i in 0 ..< rows { if y[i] == 1 { s1 += weights[i] } else { s0 += weights[i] } }
            if s1 > 0, s0 > 0 { theta[features] = log(s1 / s0) }
        }
        return theta
    }

    struct Evaluation: Sendable {
        var loss: Double
        var gradient: [Double]
        /// Full symmetric d × d (row-major), when asked for.
        var hessian: Matrix<Double>?
    }

    /// F at `theta`, and ∇F / ∇²F when asked. F is non-finite when a feature value is (every row's
    /// z multiplies all of its features, and NaN or ±∞ survive into the loss sum).
    func evaluate(_ theta: [Double], gradient: Bool, hessian: Bool) -> Evaluation {
        let d = dimension, p = features
        let stride = 1 + d + (hessian ? d * d : 0)
        let slots = TaskSlots(count: tasks * stride)
        defer { slots.free() }
        let needGradient = gradient || hessian
        Parallel.forEach(count: tasks, threads: Parallel.threads) { range in
            for t in range {
                let lo = rows * t / tasks, hi = rows * (t + 1) / tasks
                let out = slots.base + t * stride
                runTask(rows: lo ..< hi, theta: theta, gradient: needGradient ? out + 1 : nil,
                        hessian: hessian ? out + 1 + d : nil, loss: out)
            }
        }
        var loss = 0.0
        var g = [Double](repeating: 0, count: d)
        var h: Matrix<Double>? = hessian ? Matrix(rows: d, columns: d) : nil
        for t in 0 ..< tasks {
            let out = slots.base + t * stride
            loss += out[0]
            if needGradient { for j in 0 ..< d { g[j] += out[1 + j] } }
            if hessian, h != nil {
                h?.values.withUnsafeMutableBufferPointer { ph in
                    for k in 0 ..< d * d { ph[k] += out[1 + d + k] }
                }
            }
        }
        var norm2 = 0.0
        for j in 0 ..< p { norm2 += theta[j] * theta[j] }
        loss = loss * inverseWeightSum + 0.5 * penalty * norm2
        if needGradient {
            for j in 0 ..< d { g[j] *= inverseWeightSum }
            for j in 0 ..< p { g[j] += penalty * theta[j] }
        }
        if var hm = h {
            hm.values.withUnsafeMutableBufferPointer { ph in
                for i in 0 ..< d {
                    for j in i ..< d { ph[i * d + j] *= inverseWeightSum }
                    if i < p { ph[i * d + i] += penalty }
                    for j in 0 ..< i { ph[i * d + j] = ph[j * d + i] }
                }
            }
            h = hm
        }
        return Evaluation(loss: loss, gradient: needGradient ? g : [], hessian: h)
    }

    /// Unnormalized sums over `rows` into `loss[0]`, `gradient[0..<d]`, upper `hessian[d×d]`.
    private func runTask(rows: Range<Int>, theta: [Double], gradient: UnsafeMutablePointer<Double>?,
                         hessian: UnsafeMutablePointer<Double>?, loss: UnsafeMutablePointer<Double>) {
        let p = features, d = dimension, bMax = blockRows
        let lda = rowStride * p
        let intercept = fitIntercept ? theta[p] : 0
        let z = UnsafeMutablePointer<Double>.allocate(capacity: bMax)
        let r = UnsafeMutablePointer<Double>.allocate(capacity: bMax)
        let scaled = hessian == nil ? nil : UnsafeMutablePointer<Double>.allocate(capacity: bMax * d)
        defer { z.deallocate(); r.deallocate(); scaled?.deallocate() }
        let needHessian = hessian != nil
        var lossSum = 0.0, linearSum = 0.0, residualSum = 0.0
        x.values.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                weights.withUnsafeBufferPointer { ps in
                    theta.withUnsafeBufferPointer { pw in
                        guard let xb0 = px.baseAddress, let wp = pw.baseAddress else { return }
                        var start = rows.lowerBound
                        while start < rows.upperBound {
                            let m = min(bMax, rows.upperBound - start)
                            let xb = xb0 + start * lda
                            Double.gemv(false, Int32(m), Int32(p), 1, xb, Int32(lda), wp, 0, z)
                            if let (w0, w1) = classWeights {
                                // Σ sᵢ·log(1 + eᵢ) = w₀·log Π₀(1 + eᵢ) + w₁·log Π₁(1 + eᵢ): one log per 32
                                // rows and class instead of one per row (each factor is in (1, 2],
                                // so 32 of them cannot overflow; the rounding matches summing logs).
                                var i = 0
                                while i < m {
                                    let end = min(i + 32, m)
                                    var product0 = 1.0, product1 = 1.0
                                    while i < end {
                                        let zi = z[i] + intercept
                                        let yi = py[start + i], si = ps[start + i]
                                        let e = exp(-abs(zi))
                                        let onePlusE = 1 + e
                                        // Selects, not branches: labels and signs are unpredictable.
                                        product1 *= yi == 1 ? onePlusE : 1
                                        product0 *= yi == 1 ? 1 : onePlusE
                                        linearSum += si * (max(zi, 0) - yi * zi)
                                        let prob = (zi >= 0 ? 1 : e) / onePlusE
                                        let ri = si * (prob - yi)
                                        r[i] = ri
                                        residualSum += ri
                                        if needHessian { z[i] = (si * e).squareRoot() / onePlusE }
                                        i += 1
                                    }
                                    lossSum += w0 * log(product0) + w1 * log(product1)
                                }
                            } else {
                                for i in 0 ..< m {
                                    let zi = z[i] + intercept
                                    let yi = py[start + i], si = ps[start + i]
                                    let e = exp(-abs(zi))
                                    let onePlusE = 1 + e
                                    // log(1 + e) rather than log1p(e): e ≤ 1, so the absolute error stays
                                    // ~1e-16 per row (the sum's own rounding), and it is faster.
                                    lossSum += si * (log(onePlusE) + max(zi, 0) - yi * zi)
                                    let prob = (zi >= 0 ? 1 : e) / onePlusE
                                    let ri = si * (prob - yi)
                                    r[i] = ri
                                    residualSum += ri
                                    // √(sᵢ·σ(1 − σ)), σ(1 − σ) = e / (1 + e)² for either sign of z.
                                    if needHessian { z[i] = (si * e).squareRoot() / onePlusE }
                                }
                            }
                            if let g = gradient {
                                Double.gemv(true, Int32(m), Int32(p), 1, xb, Int32(lda), r, 1, g)
                            }
                            if let hs = hessian, let a = scaled {
                                for i in 0 ..< m {
                                    let s = z[i]
                                    let src = xb + i * lda, dst = a + i * d
                                    for j in 0 ..< p { dst[j] = src[j] * s }
                                    if d > p { dst[p] = s }
                                }
                                Double.syrk(true, Int32(d), Int32(m), 1, a, Int32(d), 1, hs, Int32(d))
                            }
                            start += m
                        }
                    }
                }
            }
        }
        loss[0] = lossSum + linearSum
        if let g = gradient, fitIntercept { g[p] += residualSum }
    }
}

/// Per-task output slots written concurrently at disjoint offsets.
private struct TaskSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
    init(count: Int) {
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }
    func free() { base.deallocate() }
}
