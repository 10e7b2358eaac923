import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Serving
import Testing

/// The routes in-process (`app.test(.router)`): scoring answers equal the predictor's, the
/// headers name the version, errors have MLflow's status and body.
@Suite struct ServerRoutesTests {
    @Test func invocationsAnswerThePredictorsValuesAndNameTheVersion() async throws {
        let packages = try ServerPackages.get()
        let sut = try await ServerUnderTest.make(packages)
        let expected = try packages.probabilities(packages.churnV1)
        let app = sut.server.makeApplication()
        try await app.test(.router) { client in
            for uri in ["/invocations", "/models/churn/invocations"] {
                try await client.execute(uri: uri, method: .post, headers: jsonHeaders, body: try packages.recordsBody()) { r in
                    #expect(r.status == .ok)
                    let got = try predictedProbabilities(r.body)
                    #expect(got == expected)
                    #expect(r.headers[ServingHeaders.modelVersion] == "churn/1")
                    #expect(r.headers[ServingHeaders.model] == "churn")
                    #expect(r.headers[.contentType] == "application/json")
                }
            }
            try await client.execute(uri: "/models/nope/invocations", method: .post, headers: jsonHeaders,
                                     body: try packages.recordsBody()) { r in
                #expect(r.status == .notFound)
                #expect(errorCode(r.body) == "RESOURCE_DOES_NOT_EXIST")
                #expect(text(r.body).contains("nope"))
            }
        }
    }

    @Test func healthPingAndVersion() async throws {
        let packages = try ServerPackages.get()
        let sut = try await ServerUnderTest.make(packages)
        try await sut.server.makeApplication().test(.router) { client in
            for uri in ["/ping", "/health"] {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .ok)
                    #expect(text(r.body) == "\n")
                    #expect(r.headers[.contentType] == "application/json")
                }
            }
            try await client.execute(uri: "/version", method: .get) { r in
                #expect(r.status == .ok)
                #expect(text(r.body) == "churn/1 mltrack/test")
                #expect(r.headers[ServingHeaders.modelVersion] == "churn/1")
            }
            try await client.execute(uri: "/ping", method: .head) { r in #expect(r.status == .ok) }
        }
    }

    @Test func badRequestsGetMLflowErrors() async throws {
        let packages = try ServerPackages.get()
        let sut = try await ServerUnderTest.make(packages, maxBodyBytes: 256)
        try await sut.server.makeApplication().test(.router) { client in
            // Empty body: 400.
            try await client.execute(uri: "/invocations", method: .post, headers: jsonHeaders) { r in
                #expect(r.status == .badRequest)
                #expect(errorCode(r.body) == "BAD_REQUEST")
                #expect(r.headers[ServingHeaders.modelVersion] == "churn/1")
            }
            // Over the limit: 413, whether the length is declared or streamed.
            let big = ByteBuffer(bytes: Array(repeating: UInt8(ascii: " "), count: 257))
            try await client.execute(uri: "/invocations", method: .post, headers: jsonHeaders, body: big) { r in
                #expect(r.status == .contentTooLarge)
                #expect(errorCode(r.body) == "REQUEST_LIMIT_EXCEEDED")
            }
            // Malformed JSON: 400.
            try await client.execute(uri: "/invocations", method: .post, headers: jsonHeaders,
                                     body: ByteBuffer(string: "{\"dataframe_records\": [")) { r in
                #expect(r.status == .badRequest)
                #expect(errorCode(r.body) == "BAD_REQUEST")
            }
            // Unknown path: 404 with an MLflow error body.
            try await client.execute(uri: "/nope", method: .get) { r in
                #expect(r.status == .notFound)
                #expect(errorCode(r.body) == "RESOURCE_DOES_NOT_EXIST")
                #expect(text(r.body).contains("/nope"))
            }
            // Another method on a known route: 405 as FastAPI answers it.
            for (uri, method) in [("/invocations", HTTPRequest.Method.get), ("/ping", .post), ("/invocations", .put),
                                  ("/models/churn/invocations", .delete), ("/v2/models/churn/infer", .get)] {
                try await client.execute(uri: uri, method: method) { r in
                    #expect(r.status == .methodNotAllowed, "\(method) \(uri)")
                    #expect(text(r.body) == "{\"detail\":\"Method Not Allowed\"}")
                }
            }
        }
    }

    @Test func openInferenceRoutes() async throws {
        let packages = try ServerPackages.get()
        let sut = try await ServerUnderTest.make(packages)
        try await sut.server.makeApplication().test(.router) { client in
            try await client.execute(uri: "/v2", method: .get) { r in
                #expect(text(r.body) == "{\"name\":\"mltrack\",\"version\":\"test\",\"extensions\":[]}")
            }
            try await client.execute(uri: "/v2/health/live", method: .get) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/v2/health/ready", method: .get) { r in
                #expect(r.status == .ok)
                #expect(text(r.body) == "{\"ready\":true}")
            }
            for uri in ["/v2/models/churn", "/v2/models/churn/versions/1", "/v2/models/churn/versions/churn%2F1"] {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .ok, "\(uri)")
                    #expect(r.headers[ServingHeaders.modelVersion] == "churn/1")
                }
            }
            try await client.execute(uri: "/v2/models/churn/ready", method: .get) { r in
                #expect(text(r.body) == "{\"name\":\"churn\",\"ready\":true}")
            }
            for uri in ["/v2/models/churn/versions/2", "/v2/models/nope", "/v2/models/nope/ready"] {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .notFound, "\(uri)")
                    #expect(text(r.body).hasPrefix("{\"error\":"), "\(uri)")
                }
            }
            try await client.execute(uri: "/v2/models/churn/infer", method: .post, headers: jsonHeaders) { r in
                #expect(r.status == .badRequest)
                #expect(text(r.body).hasPrefix("{\"error\":"))
            }
        }
    }

    /// After N scoring requests and a few errors, /metrics counts each series exactly.
    @Test func metricsCountRequestsAndPredictions() async throws {
        let packages = try ServerPackages.get()
        let sut = try await ServerUnderTest.make(packages)
        try await sut.server.makeApplication().test(.router) { client in
            for _ in 0 ..< 5 {
                try await client.execute(uri: "/invocations", method: .post, headers: jsonHeaders, body: try packages.recordsBody()) { r in
                    #expect(r.status == .ok)
                }
            }
            for _ in 0 ..< 2 {
                try await client.execute(uri: "/invocations", method: .post, headers: jsonHeaders) { r in #expect(r.status == .badRequest) }
            }
            try await client.execute(uri: "/nope", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/metrics", method: .get) { r in
                #expect(r.status == .ok)
                let lines = Set(text(r.body).split(separator: "\n").map(String.init))
                let expected = [
                    #"mltrack_requests_total{route="/invocations",model="churn",version="churn/1",status="200"} 5"#,
                    #"mltrack_requests_total{route="/invocations",model="churn",version="churn/1",status="400"} 2"#,
                    #"mltrack_requests_total{route="NotFound",model="",version="",status="404"} 1"#,
                    #"mltrack_request_duration_seconds_count{route="/invocations",model="churn",version="churn/1"} 7"#,
                    #"mltrack_predictions_count{model="churn",version="churn/1"} 15"#,
                    #"mltrack_model_info{model="churn",version="churn/1"} 1.0"#,
                    #"mltrack_model_info{model="recs",version="recs/1"} 1.0"#,
                    #"mltrack_model_swaps_total{model="churn"} 0"#,
                    #"mltrack_model_load_failures_total{model="churn"} 0"#,
                ]
                for line in expected { #expect(lines.contains(line), "missing: \(line)\n\(text(r.body))") }
                let probabilities = try packages.probabilities(packages.churnV1)
                let below = (1 ... 10).map { b in probabilities.filter { $0 <= Double(b) / 10 }.count * 5 }
                for (b, count) in below.enumerated() {
                    let le = String(Double(b + 1) / 10)
                    #expect(lines.contains(#"mltrack_predictions_bucket{model="churn",version="churn/1",le="\#(le)"} \#(count)"#),
                            "bucket \(le)")
                }
            }
        }
    }

    /// One request over a real socket.
    @Test func liveServerAnswers() async throws {
        let packages = try ServerPackages.get()
        let sut = try await ServerUnderTest.make(packages)
        let expected = try packages.probabilities(packages.churnV1)
        try await sut.server.makeApplication().test(.live) { client in
            try await client.execute(uri: "/invocations", method: .post, headers: jsonHeaders, body: try packages.recordsBody()) { r in
                #expect(r.status == .ok)
                let got = try predictedProbabilities(r.body)
                #expect(got == expected)
                #expect(r.headers[ServingHeaders.modelVersion] == "churn/1")
            }
        }
    }
}
