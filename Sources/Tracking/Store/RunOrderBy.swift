import Foundation

/// One `order_by` item of a run search: an attribute, metric, param or tag, ascending or not.
/// Runs lacking the key (and NaN metrics, just before them) sort last in both directions, as MLflow
/// does; every search ends with MLflow's tail order `start_time DESC, run_id ASC`.
///
/// ```swift
/// let order = try RunOrderBy.parse("metrics.test_auc DESC")
/// let best = try store.searchRuns(experimentIds: ["1"], orderBy: [order], maxResults: 1)
/// ```
public struct RunOrderBy: Sendable, Hashable {
    /// What is compared: a run attribute, or the latest metric / a param / a tag of that key.
    public enum Key: Sendable, Hashable {
        case attribute(RunAttribute)
        case metric(String)
        case param(String)
        case tag(String)
    }

    /// The orderable run attributes (MLflow's orderable `RunInfo` fields plus experiment and stage),
    /// e.g. `RunAttribute(rawValue: "start_time")`.
    public enum RunAttribute: String, Sendable, Hashable, CaseIterable {
        case runId = "run_id", runName = "run_name", userId = "user_id", status
        case startTime = "start_time", endTime = "end_time", artifactUri = "artifact_uri"
        case experimentId = "experiment_id", lifecycleStage = "lifecycle_stage"
    }

    public var key: Key
    public var ascending: Bool

    public init(_ key: Key, ascending: Bool = true) {
        self.key = key
        self.ascending = ascending
    }

    /// Parses MLflow's `order_by` syntax: `<entity>.<key> [ASC|DESC]`; keys may be quoted with
    /// backticks or double quotes (``tags.`mlflow.source.type` DESC``); an identifier without an
    /// entity is an attribute (`start_time`, `created`, `run name`).
    public static func parse(_ text: String) throws -> RunOrderBy {
        var body = text.trimmingCharacters(in: .whitespaces)
        var ascending = true
        let upper = body.uppercased()
        if upper.hasSuffix(" DESC") {
            ascending = false
            body = String(body.dropLast(5))
        } else if upper.hasSuffix(" ASC") {
            body = String(body.dropLast(4))
        }
        body = body.trimmingCharacters(in: .whitespaces)
        guard !body.isEmpty else { throw bad(text, "empty order_by clause") }
        var entity = "attribute", key = body
        if let dot = body.firstIndex(of: "."), !(body.first == "`" || body.first == "\"") {
            entity = String(body[..<dot]).lowercased()
            key = String(body[body.index(after: dot)...])
        }
        if key.count >= 2, let f = key.first, f == "`" || f == "\"", key.last == f {
            key = String(key.dropFirst().dropLast())
        } else if key.contains("`") || key.contains("\"") {
            throw bad(text, "unbalanced quotes in '\(key)'")
        }
        guard !key.isEmpty else { throw bad(text, "missing key after '\(entity).'") }
        switch entity {
        case "metric", "metrics": return RunOrderBy(.metric(key), ascending: ascending)
        case "param", "params", "parameter", "parameters": return RunOrderBy(.param(key), ascending: ascending)
        case "tag", "tags": return RunOrderBy(.tag(key), ascending: ascending)
        case "attribute", "attributes", "attr", "run":
            let name: String
            switch key {
            case "created", "Created": name = "start_time"
            case "run name", "Run name", "Run Name": name = "run_name"
            default: name = key
            }
            guard let a = RunAttribute(rawValue: name) else {
                throw bad(text, "invalid attribute key '\(key)'; valid keys are \(RunAttribute.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return RunOrderBy(.attribute(a), ascending: ascending)
        default:
            throw bad(text, "invalid entity type '\(entity)'; expected metrics, params, tags or attributes")
        }
    }

    private static func bad(_ text: String, _ why: String) -> TrackingError {
        TrackingError(.invalidParameterValue, "Invalid order_by clause '\(text)': \(why)")
    }
}
