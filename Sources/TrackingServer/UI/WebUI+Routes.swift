import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension WebUI {
    /// The paths the UI answers (GET, plus the HEAD Hummingbird derives when the router asks).
    public static let routePaths = ["/", "/experiments", "/experiments/{id}", "/runs/{id}", "/compare", "/models",
                                    "/models/{name}", "/audit", "/artifacts/{run}/**"]

    /// Mounts the UI on `router` under `/` (GET only; nothing under `/api` or `/ajax-api`):
    /// every path of ``routePaths`` answers ``response(path:query:)``.
    ///
    /// ```swift
    /// let router = Router()
    /// WebUI.register(on: router, ui: WebUI(tracking: store, registry: registry))
    /// ```
    public static func register<Context: RequestContext>(on router: Router<Context>, ui: WebUI) {
        for path in routePaths {
            router.get(RouterPath(path)) { request, _ -> Response in
                let r = await ui.response(path: request.uri.path, query: HTML.parseQuery(request.uri.query))
                return r.httpResponse
            }
        }
    }
}

extension WebUIResponse {
    /// The Hummingbird response.
    public var httpResponse: Response {
        var fields = HTTPFields()
        if let name = HTTPField.Name("Content-Type") { fields[name] = contentType }
        for h in headers { if let name = HTTPField.Name(h.name) { fields[name] = h.value } }
        return Response(status: HTTPResponse.Status(code: status), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
