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
}
