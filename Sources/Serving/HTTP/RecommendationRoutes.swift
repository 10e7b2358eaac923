import Hummingbird

/// Recommendation routes over an ALS model: `POST /recommend` (one user), `/recommend/batch`
/// (many users), `/similar-items`, for the default model and under `/models/{name}/…`.
///
/// ```swift
/// RecommendationRoutes(endpoint: endpoint).register(on: &routes)
/// ```
public struct RecommendationRoutes: Sendable {
    public let endpoint: ScoringEndpoint

    public init(endpoint: ScoringEndpoint) {
        self.endpoint = endpoint
    }

    public func register<Context: RequestContext>(on routes: inout MethodGuard<Context>) {
        let endpoint = endpoint
        let handlers: [(String, ScoringEndpoint.Handler)] = [
            ("recommend", { body, _, model throws(ServingError) in try ScoringHandlers.recommend(body: body, model: model) }),
            ("recommend/batch", { body, _, model throws(ServingError) in try ScoringHandlers.recommendBatch(body: body, model: model) }),
            ("similar-items", { body, _, model throws(ServingError) in try ScoringHandlers.similarItems(body: body, model: model) }),
        ]
        for (path, handler) in handlers {
            routes.on("/\(path)", .post) { request, _ in
                await endpoint.score(request, model: nil, style: .mlflow, handler: handler)
            }
            routes.on("/models/{name}/\(path)", .post) { request, context in
                await endpoint.score(request, model: decoded(context.parameters.get("name")), style: .mlflow, handler: handler)
            }
        }
    }
}
