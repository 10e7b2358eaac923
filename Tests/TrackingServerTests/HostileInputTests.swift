import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import Tracking
import TrackingServer

/// Hostile requests in-process: malformed bodies, wrong JSON types for each field kind, missing
/// fields, MLflow's batch and length limits, odd numbers, unknown fields, unknown routes. Each must
/// get MLflow's error code and status (a 4xx, never a 5xx: a 5xx makes the client retry for
/// minutes), and nothing stored may change: the victim run is re-read after every request.
@Suite struct HostileInputTests {
    /// What a request may touch, read straight from the store.
    struct Snapshot: Equatable, CustomStringConvertible {
        var params: [String], tags: [String], metrics: [String], history: [String], info: String, experiments: [String], runs: Int

        var description: String { "params \(params) tags \(tags) metrics \(metrics) history \(history) info \(info) experiments \(experiments) runs \(runs)" }

        static func of(_ store: SQLiteTrackingStore, run id: String) throws -> Snapshot {
            let run = try store.getRun(id: id)
            let history = try store.getMetricHistory(runId: id, key: "m")
            let experiments = try store.searchExperiments(ExperimentQuery(viewType: .all, maxResults: 1000)).items
            let runs = try store.searchRuns(RunQuery(experimentIds: experiments.map(\.experimentId), maxResults: 1000, viewType: .all)).items
            return Snapshot(params: run.data.params.map { "\($0.key)=\($0.value)" }.sorted(),
                            tags: run.data.tags.map { "\($0.key)=\($0.value)" }.sorted(),
                            metrics: run.data.metrics.map { "\($0.key)=\($0.value)@\($0.step)/\($0.timestamp)" }.sorted(),
                            history: history.map { "\($0.value)@\($0.step)/\($0.timestamp)" },
                            info: "\(run.info.status.rawValue) \(run.info.lifecycleStage.rawValue) \(run.info.runName) \(run.info.endTime ?? -1)",
                            experiments: experiments.map { "\($0.experimentId):\($0.name):\($0.lifecycleStage.rawValue):\($0.tags.count)" }.sorted(),
                            runs: runs.count)
        }
    }

    /// One bad request and MLflow's answer to it.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var method: HTTPRequest.Method
        var path: String
        var body: [UInt8]
        var status: Int
        var code: String?
        var description: String { name }

        /// A POST with a JSON text body.
        init(_ name: String, _ path: String, _ body: String = "", status: Int = 400, code: String? = "INVALID_PARAMETER_VALUE") {
            self.init(name, .post, path, bytes: Array(body.utf8), status: status, code: code)
        }

        init(_ name: String, _ method: HTTPRequest.Method, _ path: String, _ body: String = "", status: Int = 400,
             code: String? = "INVALID_PARAMETER_VALUE") {
            self.init(name, method, path, bytes: Array(body.utf8), status: status, code: code)
        }

        /// A POST with raw body bytes.
        init(_ name: String, _ path: String, bytes: [UInt8]) {
            self.init(name, .post, path, bytes: bytes, status: 400, code: "INVALID_PARAMETER_VALUE")
        }

        init(_ name: String, _ method: HTTPRequest.Method, _ path: String, bytes: [UInt8], status: Int, code: String?) {
            self.name = name
            self.method = method
            self.path = path
            self.body = bytes
            self.status = status
            self.code = code
        }
    }

    /// Experiment 1 with a victim run holding a param, a tag and a two-point history of `m`.
    static func victim(_ api: API) async throws -> String {
        _ = try await api.post("experiments/create", #"{"name":"exp"}"#)
        let id = try await RunRoutesTests.makeRun(api, name: "victim")
        for (path, body) in [("runs/log-parameter", #"{"run_id":"\#(id)","key":"p","value":"1"}"#),
                             ("runs/set-tag", #"{"run_id":"\#(id)","key":"t","value":"v"}"#),
                             ("runs/log-metric", #"{"run_id":"\#(id)","key":"m","value":1.5,"timestamp":10,"step":0}"#),
                             ("runs/log-batch", #"{"run_id":"\#(id)","metrics":[{"key":"m","value":2.5,"timestamp":11,"step":1}]}"#)] {
            let r = try await api.post(path, body)
            try #require(r.status == 200, "\(path): \(r.text)")
        }
        return id
    }

    static func metric(_ run: String, _ fields: String) -> String { #"{"run_id":"\#(run)",\#(fields)}"# }

    static func list(_ n: Int, _ item: (Int) -> String) -> String { "[" + (0 ..< n).map(item).joined(separator: ",") + "]" }

    /// Every case aimed at `run` (the victim); all must be refused.
    static func cases(run r: String) -> [Case] {
        let key251 = String(repeating: "k", count: 251)
        let m = { (fields: String) in Self.metric(r, fields) }
        return [
            // Malformed bodies
            Case("truncated JSON", "runs/log-metric", #"{"run_id": "\#(r)", "key": "m", "#),
            Case("JSON array body", "runs/log-metric", "[1, 2, 3]"),
            Case("JSON string body", "runs/log-metric", #""hello""#),
            Case("JSON number body", "runs/log-batch", "42"),
            Case("binary garbage", "runs/log-metric", bytes: Array(0 ... 255)),
            Case("invalid UTF-8 in a string", "runs/set-tag",
                 bytes: Array(#"{"run_id": "\#(r)", "key": "t", "value": ""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)),
            Case("invalid UTF-8 inside a string", "runs/set-tag",
                 bytes: Array(#"{"run_id": "\#(r)", "key": "t", "value": "0123{0abc"#.utf8) + Array(repeating: 0xFF, count: 16) + Array(#"def"}"#.utf8)),
            Case("lone surrogate escape", "runs/set-tag", #"{"run_id": "\#(r)", "key": "t", "value": "\ud800"}"#),
            Case("high surrogate without its pair", "runs/set-tag", #"{"run_id": "\#(r)", "key": "t", "value": "a\ud83d^ude00"}"#),
            Case("lone low surrogate", "runs/set-tag", #"{"run_id": "\#(r)", "key": "t", "value": "a\ude00b"}"#),
            Case("deeply nested JSON", "runs/log-batch",
                 #"{"run_id": "\#(r)", "metrics": "# + String(repeating: "[", count: 5000) + "1" + String(repeating: "]", count: 5000) + "}"),
            Case("deeply nested objects", "runs/set-tag",
                 #"{"run_id": "\#(r)", "key": "t", "value": "w", "x": "# + String(repeating: #"{"a":"#, count: 3000) + "1"
                    + String(repeating: "}", count: 3000) + "}"),
            Case("raw control character in a string", "runs/set-tag", "{\"run_id\": \"\(r)\", \"key\": \"t\", \"value\": \"a\u{11}b\"}"),
            Case("invalid escape in a string", "runs/set-tag", #"{"run_id": "\#(r)", "key": "t", "value": "a\.b"}"#),
            Case("short unicode escape", "runs/set-tag", #"{"run_id": "\#(r)", "key": "t", "value": "a\u12"}"#),
            Case("leading zero in a number", "runs/log-metric", m(#""key":"m","value":1,"timestamp":0002040968937"#)),
            Case("number with a sign inside", "runs/log-metric", m(#""key":"m","value":1,"timestamp":170000+000000"#)),
            Case("exponent beyond any double", "runs/log-metric", m(#""key":"m","value":1e22347758234775808,"timestamp":5"#)),
            Case("number ending in a dot", "runs/log-metric", m(#""key":"m","value":1.,"timestamp":5"#)),
            Case("exponent without digits", "runs/log-metric", m(#""key":"m","value":1e,"timestamp":5"#)),
            Case("raw newline in a string", "runs/set-tag", "{\"run_id\": \"\(r)\", \"key\": \"t\", \"value\": \"a\nb\"}"),
            Case("trailing garbage", "runs/set-tag", #"{"run_id": "\#(r)", "key": "t", "value": "w"} xyz"#),
            Case("two objects", "runs/set-tag", #"{"run_id": "\#(r)", "key": "t", "value": "w"}{}"#),
            Case("bare NaN token", "runs/log-metric", m(#""key":"m","value":NaN,"timestamp":5"#)),
            Case("value overflowing a double", "runs/log-metric", m(#""key":"m","value":1e999,"timestamp":5"#)),
            // Wrong JSON types, per field kind
            Case("double field: a word", "runs/log-metric", m(#""key":"m","value":"abc","timestamp":5"#)),
            Case("double field: an object", "runs/log-metric", m(#""key":"m","value":{"x":1},"timestamp":5"#)),
            Case("double field: a bool", "runs/log-metric", m(#""key":"m","value":true,"timestamp":5"#)),
            Case("double field: a list", "runs/log-metric", m(#""key":"m","value":[1],"timestamp":5"#)),
            Case("int64 field: a word", "runs/log-metric", m(#""key":"m","value":1,"timestamp":"soon""#)),
            Case("int64 field: fractional", "runs/log-metric", m(#""key":"m","value":1,"timestamp":1.5"#)),
            Case("int64 field: a bool", "runs/log-metric", m(#""key":"m","value":1,"timestamp":true"#)),
            Case("int64 field: a list", "runs/log-metric", m(#""key":"m","value":1,"timestamp":5,"step":[1]"#)),
            Case("int64 field: beyond int64", "runs/log-metric", m(#""key":"m","value":1,"timestamp":18446744073709551616"#)),
            Case("int64 field: step beyond int64", "runs/log-metric", m(#""key":"m","value":1,"timestamp":5,"step":9223372036854775808"#)),
            Case("string field: a number", "runs/log-metric", m(#""key":5,"value":1,"timestamp":5"#)),
            Case("string field: run_id a number", "runs/log-metric", #"{"run_id":5,"key":"m","value":1,"timestamp":5}"#),
            Case("string field: param value a number", "runs/log-parameter", #"{"run_id":"\#(r)","key":"x","value":5}"#),
            Case("string field: an object", "runs/set-tag", #"{"run_id":"\#(r)","key":{"k":"t"},"value":"w"}"#),
            Case("list field: an object", "runs/log-batch", #"{"run_id":"\#(r)","metrics":{"key":"m"}}"#),
            Case("list field: a string", "runs/log-batch", #"{"run_id":"\#(r)","params":"p=2"}"#),
            Case("message list: a number", "runs/log-batch", #"{"run_id":"\#(r)","metrics":[1]}"#),
            Case("message list: a null entry", "runs/log-batch", #"{"run_id":"\#(r)","tags":[null]}"#),
            Case("nested string: param key a number", "runs/log-batch", #"{"run_id":"\#(r)","params":[{"key":1,"value":"x"}]}"#),
            Case("nested double: a word", "runs/log-batch",
                 #"{"run_id":"\#(r)","metrics":[{"key":"m","value":1,"timestamp":1},{"key":"m","value":"x","timestamp":2}]}"#),
            Case("repeated string: numbers", "runs/search", #"{"experiment_ids":[1]}"#),
            Case("repeated string: order_by object", "runs/search", #"{"experiment_ids":["1"],"order_by":{"a":1}}"#),
            Case("enum field: unknown name", "runs/search", #"{"experiment_ids":["1"],"run_view_type":"SOME"}"#),
            Case("enum field: unknown number", "runs/update", #"{"run_id":"\#(r)","status":9}"#),
            Case("enum field: unknown status", "runs/update", #"{"run_id":"\#(r)","status":"DONE"}"#),
            Case("int64 field: max_results a word", "runs/search", #"{"experiment_ids":["1"],"max_results":"many"}"#),
            Case("GET int64: a word", .get, "runs/search?experiment_ids=1&max_results=abc"),
            Case("GET int64: history max_results", .get, "metrics/get-history?run_id=\(r)&metric_key=m&max_results=x"),
            Case("GET bool: not a bool", .get, "experiments/search?max_results=yes"),
            Case("experiment name a number", "experiments/create", #"{"name":123}"#),
            Case("experiment tags a string", "experiments/create", #"{"name":"n","tags":"team=ml"}"#),
            // Missing required fields
            Case("missing metric key", "runs/log-metric", m(#""value":1,"timestamp":5"#)),
            Case("missing metric value", "runs/log-metric", m(#""key":"m","timestamp":5"#)),
            Case("missing metric timestamp", "runs/log-metric", m(#""key":"m","value":1"#)),
            Case("null metric value", "runs/log-metric", m(#""key":"m","value":null,"timestamp":5"#)),
            Case("missing batch metric timestamp", "runs/log-batch", #"{"run_id":"\#(r)","metrics":[{"key":"m","value":1,"step":3}]}"#),
            Case("missing batch param key", "runs/log-batch", #"{"run_id":"\#(r)","params":[{"value":"2"}]}"#),
            Case("missing tag key", "runs/set-tag", #"{"run_id":"\#(r)","value":"x"}"#),
            Case("missing run id", "runs/set-tag", #"{"key":"t","value":"x"}"#),
            Case("missing experiment name", "experiments/create", "{}"),
            Case("missing run id on get", .get, "runs/get"),
            Case("missing metric key on history", .get, "metrics/get-history?run_id=\(r)"),
            Case("empty body on log-batch", "runs/log-batch", ""),
            Case("dataset without digest", "runs/log-inputs",
                 #"{"run_id":"\#(r)","datasets":[{"dataset":{"name":"d","source_type":"local","source":"{}"}}]}"#),
            // MLflow's limits
            Case("1001 metrics", "runs/log-batch",
                 #"{"run_id":"\#(r)","metrics":"# + list(1001) { #"{"key":"b\#($0)","value":1,"timestamp":1}"# } + "}"),
            Case("101 params", "runs/log-batch", #"{"run_id":"\#(r)","params":"# + list(101) { #"{"key":"q\#($0)","value":"1"}"# } + "}"),
            Case("101 tags", "runs/log-batch", #"{"run_id":"\#(r)","tags":"# + list(101) { #"{"key":"u\#($0)","value":"1"}"# } + "}"),
            Case("1001 entities in total", "runs/log-batch",
                 #"{"run_id":"\#(r)","metrics":"# + list(1000) { #"{"key":"b\#($0)","value":1,"timestamp":1}"# }
                    + #","params":[{"key":"q","value":"1"}]}"#),
            Case("a batch changing a param", "runs/log-batch", #"{"run_id":"\#(r)","params":[{"key":"p","value":"2"}]}"#),
            Case("a batch with one param twice", "runs/log-batch",
                 #"{"run_id":"\#(r)","params":[{"key":"z","value":"1"},{"key":"z","value":"2"}]}"#),
            Case("a batch with one bad name among good", "runs/log-batch",
                 #"{"run_id":"\#(r)","metrics":[{"key":"ok","value":1,"timestamp":1}],"tags":[{"key":"../x","value":"1"}]}"#),
            Case("param key 251 chars", "runs/log-parameter", #"{"run_id":"\#(r)","key":"\#(key251)","value":"1"}"#),
            Case("metric key 251 chars", "runs/log-metric", m(#""key":"\#(key251)","value":1,"timestamp":5"#)),
            Case("tag key 251 chars", "runs/set-tag", #"{"run_id":"\#(r)","key":"\#(key251)","value":"1"}"#),
            Case("experiment name 501 chars", "experiments/create", #"{"name":"\#(String(repeating: "e", count: 501))"}"#),
            Case("experiment tag value 20001 chars", "experiments/set-experiment-tag",
                 #"{"experiment_id":"1","key":"k","value":"\#(String(repeating: "v", count: 20001))"}"#),
            Case("dataset name 501 chars", "runs/log-inputs",
                 #"{"run_id":"\#(r)","datasets":[{"dataset":{"name":"\#(String(repeating: "d", count: 501))","digest":"1","source_type":"local","source":"{}"}}]}"#),
            Case("key with a path escape", "runs/log-parameter", #"{"run_id":"\#(r)","key":"../../etc/passwd","value":"1"}"#),
            Case("key with a NUL", "runs/log-parameter", #"{"run_id":"\#(r)","key":"a\u0000b","value":"1"}"#),
            // MLflow stores a NUL inside a value; mltrack refuses it rather than read it back cut short.
            Case("tag value with a NUL", "runs/set-tag", #"{"run_id":"\#(r)","key":"t","value":"a\u0000b"}"#),
            Case("param value with a NUL", "runs/log-parameter", #"{"run_id":"\#(r)","key":"pn","value":"a\u0000b"}"#),
            // Numbers
            Case("negative timestamp", "runs/log-metric", m(#""key":"m","value":1,"timestamp":-5"#)),
            Case("max_results negative", "runs/search", #"{"experiment_ids":["1"],"max_results":-1}"#),
            Case("max_results over the limit", "runs/search", #"{"experiment_ids":["1"],"max_results":50001}"#),
            Case("experiments max_results over the limit", "experiments/search", #"{"max_results":50001}"#),
            // Wrong ids, filters, tokens; double spellings
            Case("one field spelled both ways", "runs/set-tag", #"{"run_id":"\#(r)","runId":"\#(r)","key":"t","value":"w"}"#),
            Case("camelCase only (MLflow requires snake_case)", "runs/set-tag", #"{"runId":"\#(r)","key":"t","value":"w"}"#),
            Case("unknown run", "runs/log-metric", #"{"run_id":"\#(String(repeating: "0", count: 32))","key":"m","value":1,"timestamp":5}"#,
                 status: 404, code: "RESOURCE_DOES_NOT_EXIST"),
            Case("unknown experiment", "runs/create", #"{"experiment_id":"999"}"#, status: 404, code: "RESOURCE_DOES_NOT_EXIST"),
            Case("bad filter", "runs/search", #"{"experiment_ids":["1"],"filter":"metrics.m >>> 1"}"#),
            Case("OR filter", "runs/search", #"{"experiment_ids":["1"],"filter":"params.p = '1' OR params.p = '2'"}"#),
            Case("bad order_by", "runs/search", #"{"experiment_ids":["1"],"order_by":["metrics.m SIDEWAYS"]}"#),
            Case("bad page token", "runs/search", #"{"experiment_ids":["1"],"page_token":"%%%not-base64"}"#),
            Case("bad history page token", .get, "metrics/get-history?run_id=\(r)&metric_key=m&max_results=1&page_token=zzz"),
            Case("very long query string", .get, "runs/get?run_id=" + String(repeating: "a", count: 60_000), status: 404,
                 code: "RESOURCE_DOES_NOT_EXIST"),
            Case("very long filter", "runs/search",
                 #"{"experiment_ids":["1"],"filter":"\#(Array(repeating: "params.p = '1'", count: 5000).joined(separator: " and ")) and"}"#),
            Case("duplicate experiment", "experiments/create", #"{"name":"exp"}"#, code: "RESOURCE_ALREADY_EXISTS"),
            // Routes and methods: MLflow answers 404/405 in HTML; we answer JSON ENDPOINT_NOT_FOUND so the client's fallbacks work.
            Case("unknown endpoint", "runs/no-such-thing", #"{"run_id":"\#(r)"}"#, status: 404, code: "ENDPOINT_NOT_FOUND"),
            Case("wrong method: GET on log-metric", .get, "runs/log-metric?run_id=\(r)&key=m&value=1&timestamp=1", status: 404,
                 code: "ENDPOINT_NOT_FOUND"),
            Case("wrong method: DELETE on runs/get", .delete, "runs/get", #"{"run_id":"\#(r)"}"#, status: 404, code: "ENDPOINT_NOT_FOUND"),
            Case("wrong method: PUT on set-tag", .put, "runs/set-tag", #"{"run_id":"\#(r)","key":"t","value":"w"}"#, status: 404,
                 code: "ENDPOINT_NOT_FOUND"),
            Case("path traversal in the API path", .get, "../../../etc/passwd", status: 404, code: "ENDPOINT_NOT_FOUND"),
        ]
    }

    @Test func everyHostileRequestGetsMLflowsErrorAndChangesNothing() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            let run = try await Self.victim(api)
            let initial = try Snapshot.of(fx.store, run: run)
            for c in Self.cases(run: run) {
                let r = try await api.raw(c.method, c.path, bytes: c.body)
                #expect(r.status == c.status, "\(c): \(r.status) \(r.text.prefix(300))")
                #expect(r.errorCode == c.code, "\(c): \(r.text.prefix(300))")
                #expect(r.contentType == "application/json", "\(c)")
                #expect((r.json.str("message") ?? "").isEmpty == false, "\(c): no message")
                let now = try Snapshot.of(fx.store, run: run)
                #expect(now == initial, "\(c) changed the store: \(now)")
            }
            // Still serving, and the run still takes valid writes.
            #expect(try await api.post("runs/log-metric", Self.metric(run, #""key":"m","value":3.5,"timestamp":12,"step":2"#)).status == 200)
            #expect(try fx.store.getMetricHistory(runId: run, key: "m").map(\.value) == [1.5, 2.5, 3.5])
        }
    }

    /// Accepted as MLflow accepts them: unknown fields ignored, NaN and infinities as text, long
    /// param and tag values cut to MLflow's limits, negative steps, a batch body over 1 MB.
    @Test func lenientInputsAreAcceptedAsMLflowAcceptsThem() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            let run = try await Self.victim(api)
            let ok: [(String, String)] = [
                ("runs/set-tag", #"{"run_id":"\#(run)","key":"x","value":"y","no_such_field":{"deep":[1,2,{"z":null}]}}"#),
                ("runs/log-batch", #"{"run_id":"\#(run)","metrics":[{"key":"n","value":1,"timestamp":1,"step":0,"colour":"red"}]}"#),
                ("runs/log-metric", Self.metric(run, #""key":"nan","value":"NaN","timestamp":1"#)),
                ("runs/log-metric", Self.metric(run, #""key":"ninf","value":"-Infinity","timestamp":1"#)),
                ("runs/log-metric", Self.metric(run, #""key":"neg","value":1,"timestamp":1,"step":-1"#)),
                ("runs/log-metric", Self.metric(run, #""key":"big","value":1e308,"timestamp":9007199254740993,"step":9223372036854775807"#)),
                ("runs/log-parameter", #"{"run_id":"\#(run)","key":"long","value":"\#(String(repeating: "é", count: 6001))"}"#),
                ("runs/set-tag", #"{"run_id":"\#(run)","key":"longtag","value":"\#(String(repeating: "v", count: 8001))"}"#),
                ("runs/log-batch", #"{"run_id":"\#(run)","tags":[{"key":"pad","value":"\#(String(repeating: "x", count: 1_100_000))"}]}"#),
                ("runs/set-tag", #"{"run_id":"\#(run)","key":"unicode","value":"caf\u00e9 \ud83d\ude00 end"}"#),
            ]
            for (path, body) in ok {
                let r = try await api.post(path, body)
                #expect(r.status == 200, "\(path) \(body.prefix(120)): \(r.text.prefix(300))")
            }
            let data = try fx.store.getRun(id: run).data
            #expect(data.tag("x") == "y")
            #expect(data.param("long") == String(repeating: "é", count: 6000))
            #expect(data.tag("longtag")?.count == 8000 && data.tag("pad")?.count == 8000)
            #expect(data.tag("unicode") == "café 😀 end")
            let metrics = Dictionary(uniqueKeysWithValues: data.metrics.map { ($0.key, $0) })
            #expect(metrics["nan"]?.value.isNaN == true && metrics["ninf"]?.value == -.infinity)
            #expect(metrics["neg"]?.step == -1 && metrics["n"]?.value == 1)
            #expect(metrics["big"]?.value == 1e308 && metrics["big"]?.timestamp == 9_007_199_254_740_993 && metrics["big"]?.step == Int64.max)
            // The same value re-logged after the cut is the same param: a no-op, not a change.
            #expect(try await api.post("runs/log-parameter", #"{"run_id":"\#(run)","key":"long","value":"\#(String(repeating: "é", count: 7000))"}"#).status == 200)
        }
    }

    /// A body over the server's limit is refused before it is read whole.
    @Test func bodiesOverTheServerLimitAreRefused() async throws {
        let dir = try TestPaths.tempDir("tsrv-limit")
        let store = try SQLiteTrackingStore(path: dir.appendingPathComponent("mltrack.db").path,
                                            artifactRoot: TrackingServerConfiguration.proxiedArtifactRoot)
        let server = TrackingServer(store: store, configuration: .init(port: 0, maxBodyBytes: 64 << 10, logRequests: false))
        try await server.makeApplication().test(.router) { client in
            let api = API(client: client)
            let big = #"{"name":"\#(String(repeating: "n", count: 70 << 10))"}"#
            let r = try await api.post("experiments/create", big)
            #expect(r.status == 400 && r.errorCode == "INVALID_PARAMETER_VALUE" && r.text.contains("\(64 << 10) bytes"), "\(r.text)")
            #expect(try store.searchExperiments(ExperimentQuery(viewType: .all)).items.map(\.name) == ["Default"])
            #expect(try await api.post("experiments/create", #"{"name":"fits"}"#).status == 200)
        }
    }
}

extension API {
    /// A request with raw body bytes (nil body when empty on GET).
    func raw(_ method: HTTPRequest.Method, _ path: String, bytes: [UInt8]) async throws -> Answer {
        let uri = path.hasPrefix("/") ? path : "/api/2.0/mlflow/" + path
        let buffer: ByteBuffer? = bytes.isEmpty && method == .get ? nil : ByteBuffer(bytes: bytes)
        return try await client.execute(uri: uri, method: method, headers: [.contentType: "application/json"], body: buffer) { r in
            let text = String(buffer: r.body)
            let obj = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return Answer(status: Int(r.status.code), json: obj, text: text, contentType: r.headers[.contentType])
        }
    }
}
