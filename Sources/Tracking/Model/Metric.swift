/// One logged metric value (MLflow's `Metric`): NaN and ±infinity are legal values and round-trip
/// through every store. A run keeps every logged point (the history); ``RunData/metrics`` shows the
/// latest per key, the maximum by (step, timestamp, value) as MLflow defines it.
///
/// ```swift
/// try store.logMetric(runId: id, metric: Metric(key: "loss", value: 0.31, timestamp: now, step: 3))
/// ```
public struct Metric: Codable, Sendable, Hashable {
    public var key: String
    public var value: Double
    /// Milliseconds since the epoch (non-negative).
    public var timestamp: Int64
    public var step: Int64

    public init(key: String, value: Double, timestamp: Int64, step: Int64 = 0) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.step = step
    }

    /// Equality that treats two NaN values as equal (the stored identity of a point).
    public static func == (a: Metric, b: Metric) -> Bool {
        a.key == b.key && a.timestamp == b.timestamp && a.step == b.step
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }

    public func hash(into h: inout Hasher) {
        h.combine(key)
        h.combine(timestamp)
        h.combine(step)
        h.combine(value.isNaN ? Double.nan.bitPattern : (value == 0 ? 0 : value.bitPattern))
    }

    /// MLflow's "latest" order: by step, then timestamp, then value (NaN counts as 0, as MLflow
    /// stores it).
    public func isNewer(than other: Metric) -> Bool {
        let a = value.isNaN ? 0 : value, b = other.value.isNaN ? 0 : other.value
        return (step, timestamp, a) > (other.step, other.timestamp, b)
    }
}
