import Prometheus
import Synchronization

/// The server's Prometheus metrics, in its own ``PrometheusCollectorRegistry`` (text exposition at
/// `GET /metrics`):
/// - `mltrack_requests_total{route,model,version,status}`
/// - `mltrack_request_duration_seconds{route,model,version}` (histogram)
/// - `mltrack_predictions{model,version}` (histogram of predicted probabilities, 0.1 wide buckets)
/// - `mltrack_model_info{model,version}` (1 for the version serving, 0 for the ones replaced)
/// - `mltrack_model_swaps_total{model}`, `mltrack_model_load_failures_total{model}`
///
/// Instruments are cached per label set, so a request costs a dictionary lookup under a lock and
/// the instruments' own atomic updates.
///
/// ```swift
/// let metrics = ServingMetrics()
/// metrics.recordRequest(route: "/invocations", model: "churn", version: "churn/3", status: 200, duration: .microseconds(40))
/// print(metrics.exposition())
/// ```
public final class ServingMetrics: ModelHostObserver, Sendable {
    public let registry: PrometheusCollectorRegistry

    private struct RequestKey: Hashable, Sendable {
        var route: String, model: String, version: String, status: Int
    }
    private struct SeriesKey: Hashable, Sendable {
        var route: String, model: String, version: String
    }
    private struct ModelKey: Hashable, Sendable {
        var model: String, version: String
    }

    private let counters = Mutex<[RequestKey: Counter]>([:])
    private let durations = Mutex<[SeriesKey: DurationHistogram]>([:])
    private let predictions = Mutex<[ModelKey: ValueHistogram]>([:])

    static var requestsName: MetricNameDescriptor { MetricNameDescriptor(namespace: "mltrack", metricName: "requests", unitName: "total",
                                                   helpText: "HTTP requests answered, by route, model, model version and status.") }
    static var durationName: MetricNameDescriptor { MetricNameDescriptor(namespace: "mltrack", metricName: "request_duration", unitName: "seconds",
                                                   helpText: "Time from the request head to the response, by route, model and model version.") }
    static var predictionsName: MetricNameDescriptor { MetricNameDescriptor(namespace: "mltrack", metricName: "predictions", unitName: "",
                                                      helpText: "Predicted probabilities, by model and model version.") }
    static var infoName: MetricNameDescriptor { MetricNameDescriptor(namespace: "mltrack", metricName: "model", unitName: "info",
                                               helpText: "1 for the model version serving, 0 for versions it replaced.") }
    static var swapsName: MetricNameDescriptor { MetricNameDescriptor(namespace: "mltrack", metricName: "model_swaps", unitName: "total",
                                                helpText: "Hot swaps to a new model version.") }
    static var failuresName: MetricNameDescriptor { MetricNameDescriptor(namespace: "mltrack", metricName: "model_load_failures", unitName: "total",
                                                   helpText: "New model versions that could not be loaded (the old one kept serving).") }

    /// Latency buckets from 25 µs to 10 s.
    public static let durationBuckets: [Duration] = [
        .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
        .seconds(5), .seconds(10),
    ]
    /// 0.1, 0.2, … 1.0.
    public static let predictionBuckets: [Double] = (1 ... 10).map { Double($0) / 10 }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// Counts one answered request and its duration.
    public func recordRequest(route: String, model: String, version: String, status: Int, duration: Duration) {
        let key = RequestKey(route: route, model: model, version: version, status: status)
        let counter = counters.withLock { cache in
            if let c = cache[key] { return c }
            let c = registry.makeCounter(descriptor: Self.requestsName,
                                         labels: [("route", route), ("model", model), ("version", version), ("status", String(status))])
            cache[key] = c
            return c
        }
        counter.increment()
        let series = SeriesKey(route: route, model: model, version: version)
        let histogram = durations.withLock { cache in
            if let h = cache[series] { return h }
            let h = registry.makeDurationHistogram(descriptor: Self.durationName,
                                                   labels: [("route", route), ("model", model), ("version", version)],
                                                   buckets: Self.durationBuckets)
            cache[series] = h
            return h
        }
        histogram.record(duration)
    }

    /// Adds predicted probabilities to the distribution of `model` at `version`.
    public func recordPredictions(model: String, version: String, values: [Double]) {
        guard !values.isEmpty else { return }
        let histogram = predictionHistogram(model: model, version: version)
        for v in values where v.isFinite { histogram.record(v) }
    }

    private func predictionHistogram(model: String, version: String) -> ValueHistogram {
        let key = ModelKey(model: model, version: version)
        return predictions.withLock { cache in
            if let h = cache[key] { return h }
            let h = registry.makeValueHistogram(descriptor: Self.predictionsName,
                                                labels: [("model", model), ("version", version)],
                                                buckets: Self.predictionBuckets)
            cache[key] = h
            return h
        }
    }

    // MARK: ModelHostObserver

    public func modelServing(_ model: ServedModel, replacing old: ServedModel?) {
        if let old, old.versionLabel != model.versionLabel {
            registry.makeGauge(descriptor: Self.infoName, labels: [("model", old.name), ("version", old.versionLabel)]).set(0.0)
        }
        registry.makeGauge(descriptor: Self.infoName, labels: [("model", model.name), ("version", model.versionLabel)]).set(1.0)
        let swaps = registry.makeCounter(descriptor: Self.swapsName, labels: [("model", model.name)])
        let failures = registry.makeCounter(descriptor: Self.failuresName, labels: [("model", model.name)])
        if old != nil { swaps.increment() }
        _ = failures   // registered at 0 so dashboards see the series before the first failure
    }

    public func modelLoadFailed(name: String, target: ResolvedPackage, error: ServingError) {
        registry.makeCounter(descriptor: Self.failuresName, labels: [("model", name)]).increment()
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
