import Prometheus
import Synchronization

/// The tracking server's Prometheus metrics (text exposition at `GET /metrics`):
/// `mltrack_tracking_requests_total{route,method,status}` and
/// `mltrack_tracking_request_duration_seconds{route,method}` (histogram), and the artifact
/// proxy's `mltrack_tracking_artifact_bytes_total{direction="upload"|"download"}`. Instruments are
/// cached per label set.
///
/// ```swift
/// let metrics = TrackingServerMetrics()
/// metrics.recordRequest(route: "/api/2.0/mlflow/runs/log-batch", method: "POST", status: 200, duration: .microseconds(80))
/// print(String(decoding: metrics.exposition(), as: UTF8.self))
/// ```
public final class TrackingServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    private struct RequestKey: Hashable, Sendable { var route: String, method: String, status: Int }
    private struct SeriesKey: Hashable, Sendable { var route: String, method: String }
    private let counters = Mutex<[RequestKey: Counter]>([:])
    private let durations = Mutex<[SeriesKey: DurationHistogram]>([:])

    static var requestsName: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "mltrack", subsystem: "tracking", metricName: "requests", unitName: "total",
                             helpText: "HTTP requests answered by the tracking server, by route, method and status.")
    }
    static var durationName: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "mltrack", subsystem: "tracking", metricName: "request_duration", unitName: "seconds",
                             helpText: "Time from the request head to the response, by route and method.")
    }

    /// Latency buckets from 50 µs to 10 s.
    public static let durationBuckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    static var artifactBytesName: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "mltrack", subsystem: "tracking", metricName: "artifact_bytes", unitName: "total",
                             helpText: "Artifact bytes stored by uploads and sent by downloads through the artifact proxy.")
    }
    private let uploadedBytes: Counter
    private let downloadedBytes: Counter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        uploadedBytes = registry.makeCounter(descriptor: Self.artifactBytesName, labels: [("direction", "upload")])
        downloadedBytes = registry.makeCounter(descriptor: Self.artifactBytesName, labels: [("direction", "download")])
    }

    /// Counts artifact bytes received (stored or not) by the proxy.
    public func recordArtifactUpload(bytes: Int) { if bytes > 0 { uploadedBytes.increment(by: Int64(bytes)) } }

    /// Counts artifact bytes sent by the proxy.
    public func recordArtifactDownload(bytes: Int) { if bytes > 0 { downloadedBytes.increment(by: Int64(bytes)) } }

    public func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let key = RequestKey(route: route, method: method, status: status)
        let counter = counters.withLock { cache in
            if let c = cache[key] { return c }
            let c = registry.makeCounter(descriptor: Self.requestsName,
                                         labels: [("route", route), ("method", method), ("status", String(status))])
            cache[key] = c
            return c
        }
        counter.increment()
        let series = SeriesKey(route: route, method: method)
        let histogram = durations.withLock { cache in
            if let h = cache[series] { return h }
            let h = registry.makeDurationHistogram(descriptor: Self.durationName, labels: [("route", route), ("method", method)],
                                                   buckets: Self.durationBuckets)
            cache[series] = h
            return h
        }
        histogram.record(duration)
    }

    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}
