import HTTPTypes
import Hummingbird

/// Registers routes and, once all are in, answers every other method on their paths with 405
/// `{"detail":"Method Not Allowed"}` as MLflow's scoring server (FastAPI) does, instead of the
/// router's 404.
///
/// ```swift
/// var routes = MethodGuard(router: router)
/// routes.on("/invocations", .post) { request, context in … }
/// routes.finish()
/// ```
public struct MethodGuard<Context: RequestContext> {
    public let router: Router<Context>
    private var methods: [String: Set<HTTPRequest.Method>] = [:]
    private var order: [String] = []

    static var guarded: [HTTPRequest.Method] { [.get, .post, .put, .delete, .patch, .options, .head] }

    public init(router: Router<Context>) {
        self.router = router
    }

    public mutating func on(_ path: String, _ method: HTTPRequest.Method,
                            use handler: @Sendable @escaping (Request, Context) async throws -> Response) {
        router.on(RouterPath(path), method: method, use: handler)
        if methods[path] == nil { order.append(path) }
        methods[path, default: []].insert(method)
    }

    /// Adds the 405 answers (HEAD is answered like GET where GET exists).
    public func finish() {
        for path in order {
            let taken = methods[path] ?? []
            for method in Self.guarded where !taken.contains(method) {
                if method == .head && taken.contains(.get) { continue }
                router.on(RouterPath(path), method: method) { _, _ in ServingResponses.methodNotAllowed() }
            }
        }
    }
}
