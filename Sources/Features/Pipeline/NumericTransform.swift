/// The fitted imputation and scaling of one numeric feature: a null (NaN) becomes `fill`, then
/// `(x − center) / scale` when standardized.
///
/// ```swift
/// let t = NumericTransform(fill: 2, center: 2, scale: 0.5)
/// t.apply(.nan)   // 0   (imputed 2, then standardized)
/// t.apply(3)      // 2
/// ```
public struct NumericTransform: Sendable, Hashable, Codable {
    /// What a null becomes (the mean, the median or the constant).
    public var fill: Double
    /// Mean of the imputed fit values, when standardized.
    public var center: Double?
    /// Population standard deviation of the imputed fit values (1 when it is 0), when standardized.
    public var scale: Double?

    public init(fill: Double, center: Double? = nil, scale: Double? = nil) {
        self.fill = fill
        self.center = center
        self.scale = scale
    }

    /// The feature value of raw `x` (NaN = null). The one formula both transform paths use.
    @inline(__always)
    public func apply(_ x: Double) -> Double {
        let v = x.isNaN ? fill : x
        guard let c = center, let s = scale else { return v }
        return (v - c) / s
    }

    /// Learns from raw values (NaN = null), as scikit-learn's `SimpleImputer` followed by
    /// `StandardScaler` would.
    static func fit(_ values: [Double], impute: Imputation, standardize: Bool, name: String) throws -> NumericTransform {
        var present: [Double] = []
        present.reserveCapacity(values.count)
        for v in values where !v.isNaN { present.append(v) }
        let fill: Double
        switch impute {
        case .constant(let c):
            fill = c
        case .mean:
            guard !present.isEmpty else { throw FeatureError(column: name, "no non-null values to compute the mean from") }
            var sum = 0.0
            for v in present { sum += v }
            fill = sum / Double(present.count)
        case .median:
            guard !present.isEmpty else { throw FeatureError(column: name, "no non-null values to compute the median from") }
            present.sort()
            let m = present.count / 2
            fill = present.count % 2 == 1 ? present[m] : (present[m - 1] + present[m]) / 2
        }
        guard fill.isFinite else { throw FeatureError(column: name, "the imputed value is not finite") }
        guard standardize else { return NumericTransform(fill: fill) }
        guard !values.isEmpty else { throw FeatureError(column: name, "no rows to standardize on") }
        var sum = 0.0
        for v in values { sum += v.isNaN ? fill : v }
        let mean = sum / Double(values.count)
        var squares = 0.0
        for v in values {
            let d = (v.isNaN ? fill : v) - mean
            squares += d * d
        }
        let variance = squares / Double(values.count)
        // As StandardScaler: a (near-)constant column is centred but not scaled.
        let std = variance.squareRoot()
        let scale = std <= 10 * Double.ulpOfOne * max(abs(mean), 1) ? 1 : std
        guard mean.isFinite, scale.isFinite else { throw FeatureError(column: name, "values too large to standardize") }
        return NumericTransform(fill: fill, center: mean, scale: scale)
    }

    func validate(_ name: String) throws {
        guard fill.isFinite, center?.isFinite ?? true, (scale.map { $0.isFinite && $0 > 0 }) ?? true,
              (center == nil) == (scale == nil) else {
            throw FeatureError(column: name, "damaged fitted state: fill, center and scale must be finite (scale > 0)")
        }
    }
}
