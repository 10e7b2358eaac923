import Foundation

/// MLflow's REST JSON shapes as the tracking server sends and reads them (mlflow-compat.md §0–1):
/// snake_case fields, unset fields omitted, int64 as numbers (strings accepted), enums by name,
/// non-finite doubles as `"NaN"`, `"Infinity"`, `"-Infinity"`. Decoding is lenient the way the
/// Python client's `ParseDict(ignore_unknown_fields=True)` is: unknown fields are ignored, missing
/// repeated fields are empty.
///
/// ```swift
/// let run = try MLflowWire.decode(MLflowWire.RunResponse.self, from: body).run.model
/// let body = try MLflowWire.encode(MLflowWire.LogMetric(runId: id, metric: m))
/// ```
public enum MLflowWire {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return d
    }

    /// A request body as JSON.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        do { return try encoder().encode(value) } catch {
            throw TrackingError(.internalError, "cannot encode the request as JSON: \(error)")
        }
    }

    /// A response body; an empty body is `{}` (MLflow's void answers).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let body = data.isEmpty ? Data("{}".utf8) : data
        do { return try decoder().decode(type, from: body) } catch {
            let text = String(decoding: body.prefix(300), as: UTF8.self)
            throw TrackingError(.internalError, "the tracking server's answer is not the expected \(type) JSON (\(error)): \(text)")
        }
    }

    // MARK: Entities

    /// `{key, value}` (tags, params); an absent value is "".
    package struct KeyValue: Codable, Sendable, Hashable {
        package var key: String
        package var value: String
        package init(key: String, value: String) { self.key = key; self.value = value }
        package init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            key = try c.decode(String.self, forKey: .key)
            value = try c.decodeIfPresent(String.self, forKey: .value) ?? ""
        }
    }

    struct WireExperiment: Decodable {
        var model: Experiment
        enum K: String, CodingKey { case experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time, tags }
        init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: K.self)
            model = Experiment(
                experimentId: try c.decode(String.self, forKey: .experiment_id),
                name: try c.decodeIfPresent(String.self, forKey: .name) ?? "",
                artifactLocation: try c.decodeIfPresent(String.self, forKey: .artifact_location) ?? "",
                lifecycleStage: LifecycleStage(rawValue: try c.decodeIfPresent(String.self, forKey: .lifecycle_stage) ?? "active") ?? .active,
                creationTime: try c.int64(.creation_time) ?? 0,
                lastUpdateTime: try c.int64(.last_update_time) ?? 0,
                tags: (try c.decodeIfPresent([KeyValue].self, forKey: .tags) ?? [])
                    .map { ExperimentTag(key: $0.key, value: $0.value) }.sorted { $0.key < $1.key })
        }
    }

    struct WireMetric: Codable {
        var key: String
        var value: Double
        var timestamp: Int64
        var step: Int64
        init(_ m: Metric) { key = m.key; value = m.value; timestamp = m.timestamp; step = m.step }
        var model: Metric { Metric(key: key, value: value, timestamp: timestamp, step: step) }
        enum CodingKeys: String, CodingKey { case key, value, timestamp, step }
        init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            key = try c.decode(String.self, forKey: .key)
            value = try c.decodeIfPresent(Double.self, forKey: .value) ?? 0
            timestamp = try c.int64(.timestamp) ?? 0
            step = try c.int64(.step) ?? 0
        }
    }

    struct WireRunInfo: Decodable {
        var model: RunInfo
        enum K: String, CodingKey { case run_id, run_uuid, run_name, experiment_id, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage }
        init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: K.self)
            let id = try c.decodeIfPresent(String.self, forKey: .run_id) ?? c.decode(String.self, forKey: .run_uuid)
            let statusName = try c.decodeIfPresent(String.self, forKey: .status) ?? "RUNNING"
            guard let status = RunStatus(rawValue: statusName) else {
                throw DecodingError.dataCorruptedError(forKey: .status, in: c, debugDescription: "unknown run status '\(statusName)'")
            }
            model = RunInfo(
                runId: id, runName: try c.decodeIfPresent(String.self, forKey: .run_name) ?? "",
                experimentId: try c.decodeIfPresent(String.self, forKey: .experiment_id) ?? "",
                userId: try c.decodeIfPresent(String.self, forKey: .user_id) ?? "", status: status,
                startTime: try c.int64(.start_time) ?? 0, endTime: try c.int64(.end_time),
                artifactUri: try c.decodeIfPresent(String.self, forKey: .artifact_uri) ?? "",
                lifecycleStage: LifecycleStage(rawValue: try c.decodeIfPresent(String.self, forKey: .lifecycle_stage) ?? "active") ?? .active)
        }
    }

    struct WireDataset: Codable {
        var name: String
        var digest: String
        var source_type: String
        var source: String
        var schema: String?
        var profile: String?
        init(_ d: Dataset) {
            name = d.name; digest = d.digest; source_type = d.sourceType; source = d.source; schema = d.schema; profile = d.profile
        }
        var model: Dataset {
            Dataset(name: name, digest: digest, sourceType: source_type, source: source,
                    schema: schema.flatMap { $0.isEmpty ? nil : $0 }, profile: profile.flatMap { $0.isEmpty ? nil : $0 })
        }
        enum CodingKeys: String, CodingKey { case name, digest, source_type, source, schema, profile }
        init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            digest = try c.decodeIfPresent(String.self, forKey: .digest) ?? ""
            source_type = try c.decodeIfPresent(String.self, forKey: .source_type) ?? ""
            source = try c.decodeIfPresent(String.self, forKey: .source) ?? ""
            schema = try c.decodeIfPresent(String.self, forKey: .schema)
            profile = try c.decodeIfPresent(String.self, forKey: .profile)
        }
    }

    struct WireDatasetInput: Codable {
        var tags: [KeyValue]
        var dataset: WireDataset
        init(_ i: DatasetInput) { tags = i.tags.map { KeyValue(key: $0.key, value: $0.value) }; dataset = WireDataset(i.dataset) }
        var model: DatasetInput { DatasetInput(dataset: dataset.model, tags: tags.map { InputTag(key: $0.key, value: $0.value) }) }
        enum CodingKeys: String, CodingKey { case tags, dataset }
        init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            tags = try c.decodeIfPresent([KeyValue].self, forKey: .tags) ?? []
            dataset = try c.decode(WireDataset.self, forKey: .dataset)
        }
    }

    struct WireRun: Decodable {
        var model: Run
        enum K: String, CodingKey { case info, data, inputs, outputs }
        enum DataK: String, CodingKey { case metrics, params, tags }
        enum InputsK: String, CodingKey { case dataset_inputs, model_inputs }
        init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: K.self)
            let info = try c.decode(WireRunInfo.self, forKey: .info).model
            var data = RunData()
            if c.contains(.data) {
                let dc = try c.nestedContainer(keyedBy: DataK.self, forKey: .data)
                data.metrics = (try dc.decodeIfPresent([WireMetric].self, forKey: .metrics) ?? []).map(\.model).sorted { $0.key < $1.key }
                data.params = (try dc.decodeIfPresent([KeyValue].self, forKey: .params) ?? []).map { Param(key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
                data.tags = (try dc.decodeIfPresent([KeyValue].self, forKey: .tags) ?? []).map { RunTag(key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
            }
            var inputs = RunInputs()
            if c.contains(.inputs) {
                let ic = try c.nestedContainer(keyedBy: InputsK.self, forKey: .inputs)
                inputs.datasetInputs = (try ic.decodeIfPresent([WireDatasetInput].self, forKey: .dataset_inputs) ?? []).map(\.model)
                inputs.modelInputs = (try ic.decodeIfPresent([LoggedModelInput].self, forKey: .model_inputs) ?? []).sorted { $0.modelId < $1.modelId }
            }
            let outputs = try c.decodeIfPresent(RunOutputs.self, forKey: .outputs) ?? RunOutputs()
            model = Run(info: info, data: data, inputs: inputs,
                        outputs: RunOutputs(modelOutputs: outputs.modelOutputs.sorted { $0.modelId < $1.modelId }))
        }
    }

    // MARK: Responses

    struct CreateExperimentResponse: Decodable { var experiment_id: String }
    struct ExperimentResponse: Decodable { var experiment: WireExperiment }
    enum ExperimentsKey: WireListKey { static let name = "experiments" }
    typealias SearchExperimentsResponse = WireListPage<ExperimentsKey, WireExperiment>
    struct RunResponse: Decodable { var run: WireRun }
    struct UpdateRunResponse: Decodable { var run_info: WireRunInfo }
    enum RunsKey: WireListKey { static let name = "runs" }
    typealias SearchRunsResponse = WireListPage<RunsKey, WireRun>
    enum MetricsKey: WireListKey { static let name = "metrics" }
    typealias MetricHistoryResponse = WireListPage<MetricsKey, WireMetric>
    /// `{}` and anything else: a void answer.
    struct Empty: Decodable {}

    /// MLflow's error body: `{"error_code": "...", "message": "..."}`.
    struct ErrorBody: Decodable {
        var error_code: String?
        var message: String?
    }

    // MARK: Requests

    struct CreateExperiment: Encodable {
        var name: String
        var artifact_location: String?
        var tags: [KeyValue]
    }
    struct SearchExperiments: Encodable {
        var max_results: Int
        var page_token: String?
        var filter: String?
        var order_by: [String]
        var view_type: String
    }
    struct ExperimentId: Encodable { var experiment_id: String }
    struct UpdateExperiment: Encodable { var experiment_id: String; var new_name: String }
    struct SetExperimentTag: Encodable { var experiment_id: String; var key: String; var value: String }
    struct DeleteExperimentTag: Encodable { var experiment_id: String; var key: String }
    struct CreateRun: Encodable {
        var experiment_id: String
        var user_id: String
        var run_name: String?
        var start_time: Int64
        var tags: [KeyValue]
    }
    struct UpdateRun: Encodable {
        var run_id: String
        var run_uuid: String
        var status: String?
        var end_time: Int64?
        var run_name: String?
    }
    struct RunId: Encodable { var run_id: String }
    struct LogMetric: Encodable {
        var run_id: String
        var run_uuid: String
        var key: String
        var value: Double
        var timestamp: Int64
        var step: Int64
    }
    struct LogParam: Encodable { var run_id: String; var run_uuid: String; var key: String; var value: String }
    struct SetTag: Encodable { var run_id: String; var run_uuid: String; var key: String; var value: String }
    struct DeleteTag: Encodable { var run_id: String; var key: String }
    struct LogBatch: Encodable {
        var run_id: String
        var metrics: [WireMetric]
        var params: [KeyValue]
        var tags: [KeyValue]
    }
    struct LogInputs: Encodable { var run_id: String; var datasets: [WireDatasetInput] }
    struct SearchRuns: Encodable {
        var experiment_ids: [String]
        var filter: String?
        var run_view_type: String
        var max_results: Int
        var order_by: [String]
        var page_token: String?
    }
}

/// The key of a list answer's items (`runs`, `experiments`, `registered_models`, …).
package protocol WireListKey { static var name: String { get } }

/// A list answer of MLflow's API, `{"<items>": [...], "next_page_token": "..."}`; either may be
/// absent (MLflow omits empty fields), an empty token is no token.
package struct WireListPage<Key: WireListKey, Item: Decodable>: Decodable {
    package var items: [Item]
    package var nextPageToken: String?

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: WireCodingKey.self)
        items = try c.decodeIfPresent([Item].self, forKey: WireCodingKey(Key.name)) ?? []
        nextPageToken = try c.decodeIfPresent(String.self, forKey: WireCodingKey("next_page_token")).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// A JSON object key given at run time.
package struct WireCodingKey: CodingKey {
    package var stringValue: String
    package var intValue: Int? { nil }
    package init(_ name: String) { stringValue = name }
    package init?(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer {
    /// An int64 field sent as a number or a decimal string (protobuf JSON allows both); nil when absent.
    package func int64(_ key: Key) throws -> Int64? {
        guard contains(key), !(try decodeNil(forKey: key)) else { return nil }
        if let n = try? decode(Int64.self, forKey: key) { return n }
        let s = try decode(String.self, forKey: key)
        guard let n = Int64(s) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "'\(s)' is not an int64")
        }
        return n
    }
}
