import HTTPTypes
import Hummingbird

/// A handler of an API call whose path carries parameters (`logged-models/{model_id}`): the
/// request's fields and the percent-decoded path parameters by name.
public typealias APIPathHandler = @Sendable (APIParameters, [String: String]) throws -> WireValue

extension APIRoutes {
    /// Registers a handler for a path with `{name}` segments under both prefixes; `names` lists the
    /// parameters handed to the handler.
    ///
    /// ```swift
    /// api.add("logged-models/{model_id}", .get, pathParameters: ["model_id"]) { p, path in
    ///     .object([("model", TrackingWire.loggedModel(try store.getLoggedModel(id: path["model_id"] ?? "")))])
    /// }
    /// ```
    public func add(_ path: String, _ methods: HTTPRequest.Method..., pathParameters names: [String], bodyLimit: Int? = nil,
                    _ handler: @escaping APIPathHandler) {
        let endpoint = endpoint
        for prefix in Self.prefixes {
            for method in methods {
                router.on(RouterPath(prefix + path), method: method) { request, context in
                    var values: [String: String] = [:]
                    for name in names {
                        if let raw = context.parameters.get(name) {
                            values[name] = raw.removingPercentEncoding ?? raw
                        }
                    }
                    let captured = values
                    return await endpoint.answer(request, bodyLimit: bodyLimit) { p in try handler(p, captured) }
                }
            }
        }
    }
}
