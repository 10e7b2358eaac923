import Foundation
import Tracking

/// The committed MLflow peer fixture (Tests/Fixtures/mlflow-search/cases.json, written by
/// generate.py with mlflow-skinny 3.17.2): eight runs, filter cases and order_by cases.
struct SearchFixture: Decodable {
    var mlflow_version: String
    var runs: [FixtureRun]
    var filters: [FilterCase]
    var orders: [OrderCase]
    var models: [FixtureModel]
    /// Filter cases for the other grammars: "experiments", "registered_models" (with matches
    /// over `models`), "model_versions".
    var grammars: [String: [FilterCase]]

    static func load() throws -> SearchFixture {
        let url = TestPaths.fixtures.appendingPathComponent("mlflow-search/cases.json")
        return try JSONDecoder().decode(SearchFixture.self, from: Data(contentsOf: url))
    }

    struct FilterCase: Decodable {
        var filter: String
        var clauses: [Clause]?
        var matches: [String]?
        var error: String?
    }

    struct OrderCase: Decodable {
        var order_by: [String]
        var run_ids: [String]?
        var error: String?
    }

    struct Clause: Decodable, Equatable, CustomStringConvertible {
        var type: String
        var key: String
        var comparator: String
        var value: JSONValue

        var description: String { "\(type).\(key) \(comparator) \(value)" }
    }

    enum JSONValue: Decodable, Equatable {
        case number(Double)
        case string(String)
        case list([String])
        case null

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let d = try? c.decode(Double.self) { self = .number(d) }
            else if let s = try? c.decode(String.self) { self = .string(s) }
            else { self = .list(try c.decode([String].self)) }
        }
    }
}

/// A registered model of the fixture (name and tags).
struct FixtureModel: Decodable, SearchableEntity {
    var name: String
    var tags: [String: String]
    func searchAttribute(_ key: String) -> SearchAttributeValue? { key == "name" ? .string(name) : nil }
    func searchTag(_ key: String) -> String? { tags[key] }
}

/// A fixture run; conforms to `SearchableRun` the way the store's `Run` will.
struct FixtureRun: Decodable, SearchableRun {
    var run_id: String
    var run_name: String?
    var status: String
    var user_id: String?
    var start_time: Int64
    var end_time: Int64?
    var artifact_uri: String?
    var metrics: [String: MetricValue]
    var params: [String: String]
    var tags: [String: String]
    var datasets: [SearchableDatasetInput]

    /// A number, or "NaN"/"Infinity"/"-Infinity" as MLflow's JSON spells non-finite doubles.
    struct MetricValue: Decodable {
        var value: Double
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) { value = d; return }
            switch try c.decode(String.self) {
            case "NaN": value = .nan
            case "Infinity": value = .infinity
            case "-Infinity": value = -.infinity
            case let other: throw DecodingError.dataCorruptedError(in: c, debugDescription: "metric value \(other)")
            }
        }
    }

    var runID: String { run_id }
    var runName: String? { run_name }
    var userID: String? { user_id }
    var artifactURI: String? { artifact_uri }
    var startTime: Int64 { start_time }
    var endTime: Int64? { end_time }
    func latestMetric(_ key: String) -> Double? { metrics[key]?.value }
    func param(_ key: String) -> String? { params[key] }
    func tag(_ key: String) -> String? { tags[key] }
    var datasetInputs: [SearchableDatasetInput] { datasets }
}

extension RunFilterClause {
    /// This clause in the fixture's normalised MLflow shape.
    var fixtureShape: SearchFixture.Clause {
        let v: SearchFixture.JSONValue
        switch value {
        case .number(let d): v = .number(d)
        case .string(let s): v = .string(s)
        case .list(let l): v = .list(l)
        case .none: v = .null
        }
        return SearchFixture.Clause(type: entity.rawValue, key: key, comparator: comparator.rawValue, value: v)
    }
}
