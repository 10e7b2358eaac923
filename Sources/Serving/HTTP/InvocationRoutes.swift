import Hummingbird

/// MLflow's scoring routes (`mlflow models serve`): `GET /ping`, `/health`, `/version`,
/// `POST /invocations` (the default model) and `POST /models/{name}/invocations`.
///
/// ```swift
/// InvocationRoutes(endpoint: endpoint, serverVersion: "0.1.0").register(on: &routes)
/// ```
public struct InvocationRoutes: Sendable {
    public let endpoint: ScoringEndpoint
    public let serverVersion: String

    public init(endpoint: ScoringEndpoint, serverVersion: String) {
        self.endpoint = endpoint
        self.serverVersion = serverVersion
    }

    public func register<Context: RequestContext>(on routes: inout MethodGuard<Context>) {
        let endpoint = endpoint, serverVersion = serverVersion
        let health: @Sendable (Request, Context) async throws -> Response = { _, _ in
            // MLflow answers "\n" as JSON; 503 while a model is missing.
            let ready = endpoint.host.names.allSatisfy { endpoint.host.model(named: $0) != nil }
            return ServingResponses.text("\n", status: ready ? 200 : 503)
        }
        routes.on("/ping", .get, use: health)
        routes.on("/health", .get, use: health)
        routes.on("/version", .get) { _, _ in
            // The version answering, then the server's: "churn/3 mltrack/0.1.0" (MLflow: its own version).
            let model = endpoint.host.defaultModel
            let text = (model.map { $0.versionLabel + " " } ?? "") + "mltrack/\(serverVersion)"
            return ServingResponses.text(text, model: model)
        }
        let invoke: ScoringEndpoint.Handler = { body, type, model throws(ServingError) in
            try ScoringHandlers.invocations(body: body, contentType: type, model: model)
        }
        routes.on("/invocations", .post) { request, _ in
            await endpoint.score(request, model: nil, style: .mlflow, handler: invoke)
        }
        routes.on("/models/{name}/invocations", .post) { request, context in
            await endpoint.score(request, model: decoded(context.parameters.get("name")), style: .mlflow, handler: invoke)
        }
    }
}
