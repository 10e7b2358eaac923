import Foundation
import Registry
import Serving
import Testing
import Tracking

/// Answers `registered-models/alias` and `get-download-uri` as mlflow 3.17.2 does (no network).
private final class AliasServer: RESTTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var paths: [String] = []

    func send(_ request: RESTRequest) throws -> RESTResponse {
        lock.lock()
        paths.append(request.url.path)
        lock.unlock()
        let body: String
        switch request.url.lastPathComponent {
        case "alias":
            body = #"{"model_version": {"name": "churn", "version": "3", "current_stage": "None", "run_id": "ab12", "status": "READY", "source": "mlflow-artifacts:/1/ab12/artifacts/model", "aliases": ["champion"]}}"#
        case "get-download-uri":
            body = #"{"artifact_uri": "mlflow-artifacts:/1/ab12/artifacts/model"}"#
        default:
            return RESTResponse(status: 404, body: Data())
        }
        return RESTResponse(status: 200, body: Data(body.utf8))
    }

    var requested: [String] { lock.lock(); defer { lock.unlock() }; return paths }
}

/// `mltrack serve models:/NAME@ALIAS` on an http tracking URI: the resolver works over the
/// REST registry; turning the remote source into a local package is the `localPackage` seam.
@Suite struct RemoteRegistryResolverTests {
    fileprivate func registry() throws -> (RESTRegistryStore, AliasServer) {
        let server = AliasServer()
        let client = try RESTClient(baseURL: "http://tracking.test:5000", transport: server, retry: RESTRetryPolicy(maxRetries: 0),
                                    credentials: .none)
        return (RESTRegistryStore(client: client), server)
    }

    @Test func aliasResolvesThroughTheRESTRegistryAndTheDownloader() async throws {
        let (store, server) = try registry()
        let resolver = RegistryModelResolver(registry: store) { source in
            #expect(source == "mlflow-artifacts:/1/ab12/artifacts/model")
            return URL(fileURLWithPath: "/cache/churn/3")
        }
        let r = try await resolver.resolve(try ModelReference(parsing: "models:/churn@champion"))
        #expect(r.path == "/cache/churn/3" && r.registeredName == "churn" && r.version == 3 && r.runId == "ab12")
        #expect(r.versionLabel == "churn/3")
        #expect(server.requested == ["/api/2.0/mlflow/registered-models/alias", "/api/2.0/mlflow/model-versions/get-download-uri"])
    }

    @Test func withoutADownloaderARemoteSourceIsRefusedNamingIt() async throws {
        let (store, _) = try registry()
        do {
            _ = try await RegistryModelResolver(registry: store).resolve(try ModelReference(parsing: "models:/churn@champion"))
            Issue.record("a remote source resolved to a local path")
        } catch let e as ServingError {
            #expect(e.message.contains("models:/churn@champion") && e.message.contains("mlflow-artifacts:/1/ab12/artifacts/model"), "\(e)")
        }
    }
}
