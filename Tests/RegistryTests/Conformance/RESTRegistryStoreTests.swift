import Foundation
import Registry
import Testing
import Tracking

/// The registry conformance suite through ``RESTRegistryStore`` against any MLflow-protocol
/// server. One line runs it against a server at a base URL:
///
/// ```swift
/// try await RESTRegistryConformance.run(baseURL: "http://127.0.0.1:5000", capabilities: .mlflowServer)
/// ```
/// Before each check every registered model is deleted through the API (which deletes versions,
/// tags, aliases and the promotion records), so each check sees a fresh, empty registry.
enum RESTRegistryConformance {
    static func run(baseURL: String, capabilities: RegistryConformanceCapabilities,
                    sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let store = try RESTRegistryStore(uri: baseURL)
        for check in RegistryStoreConformance.checks {
            try await reset(store)
            do {
                try await check.run(store, capabilities: capabilities)
            } catch {
                Issue.record("check '\(check.name)' against \(baseURL): \(error)", sourceLocation: sourceLocation)
            }
        }
        try await reset(store)
    }

    /// Deletes every registered model, prompts included (MLflow's search leaves them out unless
    /// asked).
    static func reset(_ store: RESTRegistryStore) async throws {
        let models = try await store.searchRegisteredModels(filter: nil)
            + store.searchRegisteredModels(filter: "tags.`mlflow.prompt.is_prompt` = 'true'")
        for name in Set(models.map(\.name)) {
            try await store.deleteRegisteredModel(name: name)
        }
    }
}

@Suite(.serialized) struct RESTRegistryStoreTests {
    @Test(.enabled(if: MLflowServerProcess.available, "no mlflow next to $MLTRACK_PYTHON: the REST registry is not checked against a real mlflow server"))
    func conformanceAgainstRealMLflowServer() async throws {
        let server = try await MLflowServerProcess.start()
        defer { server.stop() }
        try await RESTRegistryConformance.run(baseURL: server.url, capabilities: .mlflowServer)
    }

    /// `mltrack server` (the built binary, a fresh SQLite store) on a free port: our registry
    /// routes pass the same suite with no capability flag.
    @Test(.enabled(if: MLTrackCLI.binary != nil, "needs the built mltrack binary"))
    func conformanceAgainstMltrackServer() async throws {
        let server = try await MltrackServerProcess()
        defer { server.stop() }
        try await RESTRegistryConformance.run(baseURL: server.url, capabilities: .full)
    }

    /// `MLTRACK_REGISTRY_CONFORMANCE_URL=http://127.0.0.1:5000 swift test --filter RESTRegistryStoreTests`
    /// runs the suite against a server already running there (e.g. `mltrack server`); its
    /// registry is emptied. `MLTRACK_REGISTRY_CONFORMANCE_CAPABILITIES=mlflow` selects MLflow's
    /// differences, otherwise none are assumed.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["MLTRACK_REGISTRY_CONFORMANCE_URL"] != nil,
                   "set MLTRACK_REGISTRY_CONFORMANCE_URL to check a running server"))
    func conformanceAgainstGivenServer() async throws {
        let env = ProcessInfo.processInfo.environment
        let url = try #require(env["MLTRACK_REGISTRY_CONFORMANCE_URL"])
        let caps: RegistryConformanceCapabilities = env["MLTRACK_REGISTRY_CONFORMANCE_CAPABILITIES"] == "mlflow" ? .mlflowServer : .full
        try await RESTRegistryConformance.run(baseURL: url, capabilities: caps)
    }
}
