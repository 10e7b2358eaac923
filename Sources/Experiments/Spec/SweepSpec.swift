import Features

/// A grid of spec variants: each axis maps a field path to the values it takes; the grid is the
/// cartesian product in the order written (the last axis varies fastest), at most
/// ``maximumPoints`` points. `select` names how the best child run is chosen (default: the
/// primary metric, `max`, or `min` for `log_loss`).
///
/// ```yaml
/// sweep:
///   trainer.params.c: [0.1, 1, 10]
///   split.test_fraction: [0.2, 0.3]
///   select: {metric: roc_auc, mode: max}
/// ```
public struct SweepSpec: Sendable, Hashable, Codable {
    /// One sweep dimension: `trainer.params.c: [0.1, 1, 10]`.
    public struct Axis: Sendable, Hashable {
        public var path: SpecPath
        public var values: [SpecValue]
    }

    /// How the best point is chosen: `select: {metric: roc_auc, mode: max}`.
    public struct Select: Sendable, Hashable, Codable {
        public var metric: String
        /// `max` or `min`.
        public var mode: String
    }

    public var axes: [Axis]
    public var select: Select

    public static let maximumPoints = 1000

    /// The number of grid points (saturating).
    public var pointCount: Int {
        var n = 1
        for a in axes {
            let (m, o) = n.multipliedReportingOverflow(by: a.values.count)
            n = o ? Int.max : m
        }
        return n
    }

    public init(axes: [Axis], select: Select) {
        self.axes = axes
        self.select = select
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: SpecKey.self)
        var axes: [Axis] = []
        for key in c.allKeys where key.stringValue != "select" {
            let path: SpecPath
            do {
                path = try SpecPath(key.stringValue)
            } catch let e as ExperimentError {
                throw c.bad(key.stringValue, e.message)
            }
            if case .key(let first) = path.elements.first, first == "sweep" || first == "name" {
                throw c.bad(key.stringValue, "\(first) cannot be swept")
            }
            let value = try c.decode(SpecValue.self, forKey: key)
            guard case .list(let values) = value else {
                throw c.bad(key.stringValue, "expected a list of values to sweep, got \(value.text)")
            }
            guard !values.isEmpty else { throw c.bad(key.stringValue, "an empty list makes an empty grid") }
            guard Set(values).count == values.count else { throw c.bad(key.stringValue, "a value is listed twice") }
            axes.append(Axis(path: path, values: values))
        }
        guard !axes.isEmpty else { throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "a sweep needs at least one field: [values] entry")) }
        self.axes = axes
        let primary = MetricsSpec.default(for: decoder.experimentTask).primary
        var metric = primary, mode: String?
        if c.has("select") {
            let s = try c.nestedContainer(keyedBy: SpecKey.self, forKey: SpecKey("select"))
            try s.rejectUnknownKeys(["metric", "mode"])
            metric = try s.optional(String.self, "metric") ?? primary
            let valid = MetricsSpec.names(for: decoder.experimentTask)
            guard valid.contains(metric) else {
                throw s.bad("metric", "'\(metric)' is not a \(decoder.experimentTask.rawValue) metric (expected one of: \(valid.joined(separator: ", ")))")
            }
            mode = try s.keyword("mode", ["max", "min"])
        }
        select = Select(metric: metric, mode: mode ?? (MetricsSpec.higherIsBetter(metric) ? "max" : "min"))
        let n = pointCount
        guard n <= Self.maximumPoints else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath,
                debugDescription: "the grid has \(n == Int.max ? "too many" : String(n)) points (\(axes.map { "\($0.values.count)" }.joined(separator: " × "))); at most \(Self.maximumPoints) are allowed"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        for a in axes { try c.encode(a.values, forKey: SpecKey(a.path.description)) }
        try c.encode(select, forKey: SpecKey("select"))
    }
}
