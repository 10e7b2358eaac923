import Testing
import TrackingServer

/// The plain endpoints and the protocol-level errors: health, version, server-info, metrics,
/// unknown endpoints, wrong methods, malformed bodies — never a 5xx for a client's mistake.
@Suite struct ServerBasicsTests {
    @Test func healthVersionServerInfoAndMetrics() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            let health = try await api.get("/health")
            #expect(health.status == 200 && health.text == "OK")
            let version = try await api.get("/version")
            #expect(version.status == 200 && version.text == "3.17.2")
            for prefix in ["/api", "/ajax-api"] {
                let info = try await api.get("\(prefix)/3.0/mlflow/server-info")
                #expect(info.status == 200)
                #expect(info.json["multipart_uploads_enabled"] as? Bool == false && info.json["multipart_downloads_enabled"] as? Bool == false)
                #expect(!info.json.has("store_type"))
            }
            _ = try await api.get("experiments/get?experiment_id=0")
            let metrics = try await api.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.text.contains(#"mltrack_tracking_requests_total{route="/api/2.0/mlflow/experiments/get",method="GET",status="200"} 1"#),
                    "\(metrics.text)")
        }
    }

    @Test func clientMistakesGetMLflowErrorJSON() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            let unknown = try await api.get("no/such/endpoint")
            #expect(unknown.status == 404 && unknown.errorCode == "ENDPOINT_NOT_FOUND")
            let wrongMethod = try await api.call(.delete, "experiments/get?experiment_id=0")
            #expect(wrongMethod.status == 404 && wrongMethod.errorCode == "ENDPOINT_NOT_FOUND")
            for body in ["{not json", "[1,2]", "\"text\"", "{\"name\": \"a\"", "\u{FF}\u{FE}"] {
                let r = try await api.post("experiments/create", body)
                #expect(r.status == 400, "\(body): \(r.text)")
                #expect(r.errorCode == "INVALID_PARAMETER_VALUE", "\(body): \(r.text)")
            }
            // Unknown fields are ignored, as MLflow's protobuf parsing does; an empty body is an empty message.
            let extra = try await api.post("experiments/create", #"{"name":"x","whatever":{"deep":[1,2]}}"#)
            #expect(extra.status == 200)
            let empty = try await api.post("experiments/create", "")
            #expect(empty.status == 400 && empty.errorCode == "INVALID_PARAMETER_VALUE")
        }
    }
}
