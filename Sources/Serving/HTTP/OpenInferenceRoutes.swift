import Foundation
import HTTPService
import Hummingbird

/// The Open Inference Protocol v2 (KServe) routes: `GET /v2`, `/v2/health/live`,
/// `/v2/health/ready`, `GET /v2/models/{name}[/versions/{v}]`, `…/ready`, `POST …/infer`.
/// Errors are `{"error": message}`. A `/versions/{v}` segment must name the version serving
/// (its number, or its label such as `run:<id>` / `local`), else 404.
///
/// ```swift
/// OpenInferenceRoutes(endpoint: endpoint, serverVersion: "0.1.0").register(on: &routes)
/// ```
public struct OpenInferenceRoutes: Sendable {
    public let endpoint: ScoringEndpoint
    public let serverVersion: String

    public init(endpoint: ScoringEndpoint, serverVersion: String) {
        self.endpoint = endpoint
        self.serverVersion = serverVersion
    }

    /// The model `{name}` (and `{version}` when the path has one) names, or the 404 error.
    static func model(_ endpoint: ScoringEndpoint, _ parameters: Parameters) -> Result<ServedModel, ServingError> {
        let name = decoded(parameters.get("name"))
        let found = endpoint.model(name, style: .openInference)
        guard case .success(let model) = found, let raw = parameters.get("version") else { return found }
        let version = decoded(raw)
        let served = model.resolved.version.map(String.init)
        guard version == served || version == model.versionLabel else {
            return .failure(ServingError(.resourceDoesNotExist,
                "model '\(name)' version '\(version)' is not served here (serving \(model.versionLabel))"))
        }
        return .success(model)
    }

    public func register<Context: RequestContext>(on routes: inout MethodGuard<Context>) {
        let endpoint = endpoint, serverVersion = serverVersion
        routes.on("/v2", .get) { _, _ in
            ServingResponses.text("{\"name\":\"mltrack\",\"version\":\"\(serverVersion)\",\"extensions\":[]}")
        }
        routes.on("/v2/health/live", .get) { _, _ in ServingResponses.text("{\"live\":true}") }
        routes.on("/v2/health/ready", .get) { _, _ in
            let ready = endpoint.host.names.allSatisfy { endpoint.host.model(named: $0) != nil }
            return ServingResponses.text("{\"ready\":\(ready)}", status: ready ? 200 : 503)
        }
        for prefix in ["/v2/models/{name}", "/v2/models/{name}/versions/{version}"] {
            routes.on(prefix, .get) { _, context in
                switch Self.model(endpoint, context.parameters) {
                case .success(let model): ServingResponses.bytes(ScoringHandlers.openInferenceMetadata(model: model), model: model)
                case .failure(let e): ServingResponses.error(e, style: .openInference)
                }
            }
            routes.on(prefix + "/ready", .get) { _, context in
                switch Self.model(endpoint, context.parameters) {
                case .success(let model):
                    ServingResponses.bytes(Array("{\"name\":".utf8) + JSONText.quoted(model.name) + Array(",\"ready\":true}".utf8), model: model)
                case .failure(let e): ServingResponses.error(e, style: .openInference)
                }
            }
            routes.on(prefix + "/infer", .post) { request, context in
                switch Self.model(endpoint, context.parameters) {
                case .success(let model):
                    await endpoint.score(request, model: model, style: .openInference) { body, _, model throws(ServingError) in
                        try ScoringHandlers.openInferenceInfer(body: body, model: model)
                    }
                case .failure(let e): ServingResponses.error(e, style: .openInference)
                }
            }
        }
    }
}

/// A path segment with its percent-escapes decoded (`churn%2F3` → `churn/3`); "" when absent.
func decoded(_ segment: String?) -> String {
    guard let segment else { return "" }
    return segment.removingPercentEncoding ?? segment
}
