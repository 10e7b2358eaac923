import ArgumentParser
import Experiments
import Foundation
import Logging
import ModelPackage
import Registry
import Serving
import Tracking

/// `mltrack serve MODEL_URI [--model NAME=URI …]`: the real-time scoring server.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve models over HTTP: MLflow's scoring protocol, Open Inference Protocol v2, recommendations.",
        discussion: """
            MODEL_URI is models:/NAME@ALIAS, models:/NAME/VERSION, models:/NAME/STAGE, models:/NAME/latest, \
            runs:/RUN_ID/model or a model package directory. It is the default model (/invocations, /recommend), \
            named after its registered model (else `model`); --model NAME=URI adds more, served under \
            /models/NAME/… and /v2/models/NAME/…. Every model is loaded before the server listens.

            An alias, a stage or `latest` is followed: every --poll-interval seconds the server resolves it again, \
            loads a new version in the background and swaps it in atomically; if the load fails the old version \
            keeps serving. Responses name the version that answered in X-Mltrack-Model-Version.

            Routes: GET /ping /health /version /metrics; POST /invocations, /models/NAME/invocations; \
            POST /recommend, /recommend/batch, /similar-items; GET /v2, /v2/health/live, /v2/health/ready, \
            /v2/models/NAME[/versions/V][/ready]; POST /v2/models/NAME[/versions/V]/infer. \
            SIGTERM or SIGINT drain the requests in flight and exit 0.
            """
    )

    @Argument(help: "The default model: a model URI or a package directory.")
    var modelURI: String

    @Option(name: .customLong("model"), help: "Another model to serve, as NAME=URI (repeatable).")
    var models: [String] = []

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, printed at start).")
    var port = 5001

    @Option(name: .customLong("tracking-uri"),
            help: "The tracking store holding the registry: sqlite:///abs/path.db or a file path (default: $MLTRACK_TRACKING_URI, else ./mltrack/mltrack.db).")
    var trackingURI: String?

    @Option(help: "The largest request body accepted, in bytes (larger: 413). Default: each model's policy `serving.max_body_bytes`, else 1 MiB.")
    var maxBodyBytes: Int?

    @Option(help: "Seconds between re-resolving followed aliases (0: never). Default: the smallest `serving.poll_interval_seconds` of the models' policies, else 2.")
    var pollInterval: Double?

    @Option(help: "The directory of model policies whose `serving:` sections set defaults (unknown_categories, default_k, max_body_bytes, poll_interval_seconds).")
    var policies = "Models"

    @OptionGroup var logging: ServerLogOptions

    func validate() throws {
        if !(0 ... 65535).contains(port) { throw ValidationError("--port must be in 0...65535 (got \(port)).") }
        if let maxBodyBytes, maxBodyBytes < 1 { throw ValidationError("--max-body-bytes must be ≥ 1 (got \(maxBodyBytes)).") }
        if let pollInterval, !(pollInterval >= 0 && pollInterval <= 86_400) { throw ValidationError("--poll-interval must be in 0...86400 seconds.") }
    }

    func run() throws {
        var specs: [HostedModelSpec] = []
        do {
            specs.append(try HostedModelSpec(default: modelURI))
            for m in models { specs.append(try HostedModelSpec(parsing: m)) }
        } catch {
            throw CLIFailure(error.message)
        }
        // Serving defaults from each registered model's policy; the flags win over them.
        let loadedPolicies = try cliErrors { try PromotionPolicies.load(directory: policies) }
        var pollSeconds = pollInterval
        for i in specs.indices {
            let serving = specs[i].reference.registeredName.flatMap { loadedPolicies[$0]?.serving } ?? ServingDefaults()
            specs[i].scoring = ScoringOptions(unknownCategories: serving.unknownCategories, defaultK: serving.defaultK)
            specs[i].maxBodyBytes = maxBodyBytes ?? serving.maxBodyBytes
            if pollInterval == nil, specs[i].reference.follows {
                pollSeconds = min(pollSeconds ?? serving.pollIntervalSeconds, serving.pollIntervalSeconds)
            }
        }
        let pollEvery = pollSeconds ?? ServingDefaults.defaultPollIntervalSeconds
        let registry = try specs.contains { if case .registry = $0.reference.target { true } else { false } }
            ? openRegistry() : nil
        let logger = logging.logger(label: "mltrack.serve")

        let metrics = ServingMetrics()
        let resolver = RegistryModelResolver(registry: registry)
        let modelHost: ModelHost
        do {
            modelHost = try blockingAwait { [logger, specs] in
                try await ModelHost.load(specs, resolver: resolver, observer: metrics, logger: logger)
            }
        } catch let e as ServingError {
            throw CLIFailure(e.message)
        }
        let config = ScoringServerConfiguration(
            host: host, port: port, maxBodyBytes: maxBodyBytes ?? ServingDefaults.defaultMaxBodyBytes,
            pollInterval: pollEvery > 0 ? .milliseconds(Int64((pollEvery * 1000).rounded())) : nil,
            serverVersion: MLTrackVersion.current, logRequests: !logging.quiet)
        let server = ScoringServer(host: modelHost, metrics: metrics, configuration: config, logger: logger)
        let address = self.host
        let names = modelHost.names.map { n in "\(n)=\(modelHost.model(named: n)?.versionLabel ?? "?")" }.joined(separator: ", ")
        do {
            try blockingAwait {
                try await server.run { port in
                    let shown = address.contains(":") ? "[\(address)]" : address
                    print("mltrack serve: listening on http://\(shown):\(port) (\(names))")
                    fflush(nil)
                }
            }
        } catch {
            throw CLIFailure("the server stopped: \(error)")
        }
    }

    /// The registry in the tracking store the options name.
    private func openRegistry() throws -> any RegistryStore {
        let tracking = try cliErrors {
            let uri = try TrackingURI.resolve(explicit: trackingURI)
            guard case .sqlite = uri else { throw CLIFailure("serving from the registry needs a SQLite tracking store (got \(uri))") }
            return try SQLiteTrackingStore(uri: uri)
        }
        return try RegistryStoreFactory.make(tracking: tracking)
    }
}
