import ArgumentParser
import Foundation
import Logging
import Registry
import Serving
import Tracking
import TrackingServer

/// `mltrack server`: the MLflow-compatible tracking server.
struct ServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the MLflow-compatible tracking server (the real mlflow client works against it unchanged).",
        discussion: """
            Serves MLflow's REST tracking API under /api/2.0/mlflow/ and /ajax-api/2.0/mlflow/ (experiments, runs, \
            params, metrics and their history, tags, log-batch, dataset inputs, search with MLflow's filter grammar) \
            and its model-registry API (registered models, versions, stages, aliases, tags, search), over the store \
            --backend-store-uri names. Point the client at it with \
            MLFLOW_TRACKING_URI=http://HOST:PORT. Also GET /health, /version, /api/3.0/mlflow/server-info, /metrics.

            Experiments created through the server get artifact locations mlflow-artifacts:/<experiment_id>, as \
            MLflow's server hands out; the artifact proxy (/api/2.0/mlflow-artifacts/…: upload, download, list, \
            delete) keeps their files under --artifacts-destination. SIGTERM or SIGINT drain the requests in flight \
            and exit 0.
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, printed at start).")
    var port = 5000

    @Option(name: .customLong("backend-store-uri"),
            help: "The tracking store: sqlite:///abs/path.db, sqlite:relative.db or a file path (default: $MLTRACK_TRACKING_URI, else ./mltrack/mltrack.db).")
    var backendStoreURI: String?

    @Option(name: .customLong("artifacts-destination"),
            help: "The directory the artifact proxy stores artifacts in (default: ./mlartifacts).")
    var artifactsDestination = "./mlartifacts"

    @Option(help: "The largest artifact file the proxy accepts, in bytes (default: 5 GiB).")
    var maxArtifactBytes: Int64 = 5 << 30

    @Option(help: "The largest JSON request body accepted, in bytes (log-batch included: MLflow's server does not enforce its 1 MB batch rule).")
    var maxBodyBytes = 16 << 20

    @OptionGroup var logging: ServerLogOptions

    func validate() throws {
        if !(0 ... 65535).contains(port) { throw ValidationError("--port must be in 0...65535 (got \(port)).") }
        if maxArtifactBytes < 0 { throw ValidationError("--max-artifact-bytes must be ≥ 0 (got \(maxArtifactBytes)).") }
        if maxBodyBytes < 1 { throw ValidationError("--max-body-bytes must be ≥ 1 (got \(maxBodyBytes)).") }
    }

    func run() throws {
        let store = try cliErrors { () throws -> SQLiteTrackingStore in
            let uri = try TrackingURI.resolve(explicit: backendStoreURI)
            guard case let .sqlite(path) = uri else { throw CLIFailure("mltrack server needs a SQLite backend store for now (got \(uri))") }
            return try SQLiteTrackingStore(path: path, artifactRoot: TrackingServerConfiguration.proxiedArtifactRoot)
        }
        let logger = logging.logger(label: "mltrack.server")
        let config = TrackingServerConfiguration(host: host, port: port, artifactsDestination: artifactsDestination,
                                                 maxBodyBytes: maxBodyBytes, maxArtifactBytes: maxArtifactBytes, logRequests: !logging.quiet)
        let registry = try cliErrors { try SQLiteRegistryStore(tracking: store) }
        let ui = WebUI(tracking: store, registry: registry, artifacts: WebUI.localArtifacts(destination: artifactsDestination))
        let server = TrackingServer(store: store, configuration: config, logger: logger, ui: ui, registry: registry)
        let address = host, storePath = store.path
        do {
            try blockingAwait {
                try await server.run { port in
                    let shown = address.contains(":") ? "[\(address)]" : address
                    print("mltrack server: listening on http://\(shown):\(port) (store \(storePath))")
                    fflush(nil)
                }
            }
        } catch {
            throw CLIFailure("the server stopped: \(error)")
        }
    }
}
