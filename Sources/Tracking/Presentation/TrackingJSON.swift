import Foundation

/// JSON for scripts in MLflow's REST shapes (`{"experiments": [...]}`, `{"runs": [...],
/// "next_page_token": "..."}`, `{"run": {...}}`, `{"files": [...]}`): sorted keys, pretty-printed,
/// non-finite metric values as `"NaN"`, `"Infinity"`, `"-Infinity"` (protobuf's JSON spelling).
///
/// ```swift
/// print(try TrackingJSON.text(["run": run]))
/// ```
public enum TrackingJSON {
    public static func text<T: Encodable>(_ value: T) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return String(decoding: try enc.encode(value), as: UTF8.self)
        } catch {
            throw TrackingError(.internalError, "cannot encode the result as JSON: \(error)")
        }
    }

    /// `runs/search`'s response: the runs and, unless this is the last page, `next_page_token`.
    public struct RunsPage: Encodable, Sendable {
        public var runs: [Run]
        public var nextPageToken: String?
        public init(runs: [Run], nextPageToken: String?) {
            self.runs = runs
            self.nextPageToken = nextPageToken
        }
        enum CodingKeys: String, CodingKey { case runs, nextPageToken = "next_page_token" }
    }

    /// `experiments/search`'s response.
    public struct ExperimentsPage: Encodable, Sendable {
        public var experiments: [Experiment]
        public var nextPageToken: String?
        public init(experiments: [Experiment], nextPageToken: String?) {
            self.experiments = experiments
            self.nextPageToken = nextPageToken
        }
        enum CodingKeys: String, CodingKey { case experiments, nextPageToken = "next_page_token" }
    }

    /// `artifacts/list`'s response: the run's artifact root and the files.
    public struct ArtifactList: Encodable, Sendable {
        public var rootUri: String
        public var files: [FileInfo]
        public init(rootUri: String, files: [FileInfo]) {
            self.rootUri = rootUri
            self.files = files
        }
        enum CodingKeys: String, CodingKey { case rootUri = "root_uri", files }
    }

    /// An audit event with snake_case fields like the rest of the JSON output; `details` is the
    /// event's JSON object itself, not its text.
    public struct AuditEntry: Encodable, Sendable {
        public var event: AuditEvent
        public init(_ event: AuditEvent) { self.event = event }

        enum CodingKeys: String, CodingKey {
            case id, timestamp, actor, entityKind = "entity_kind", entityId = "entity_id", action, details
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(event.id, forKey: .id)
            try c.encode(event.timestamp, forKey: .timestamp)
            try c.encode(event.actor, forKey: .actor)
            try c.encode(event.entityKind.rawValue, forKey: .entityKind)
            try c.encode(event.entityId, forKey: .entityId)
            try c.encode(event.action.rawValue, forKey: .action)
            try c.encode(JSONValue.parse(event.details), forKey: .details)
        }
    }
}
