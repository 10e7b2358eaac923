/// Which direction of a metric is better for a `beat_holder` gate: `max` (AUC, precision, NDCG:
/// higher is better) or `min` (log loss, RMSE: lower is better).
///
/// ```yaml
/// - beat_holder: {metric: log_loss, by: 0.01, mode: min}
/// ```
public enum BeatHolderMode: String, Sendable, Hashable, Codable, CaseIterable {
    case max
    case min
}
