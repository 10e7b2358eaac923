import Foundation

/// A web UI answer ready for any HTTP server: status, content type, extra headers and body bytes.
/// HTML pages carry a Content-Security-Policy that allows only inline style and script (nothing
/// from the network); raw artifacts are sandboxed and never sniffed.
///
/// ```swift
/// let r = await ui.response(path: "/artifacts/\(runId)/plots/roc.svg", query: [:])
/// r.contentType   // "image/svg+xml"
/// ```
public struct WebUIResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, contentType: String, headers: [(name: String, value: String)] = [], body: Data) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// An HTML page.
    public init(status: Int, html: String) {
        self.init(status: status, contentType: "text/html; charset=utf-8",
                  headers: [("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self'; form-action 'self'"),
                            ("X-Content-Type-Options", "nosniff")],
                  body: Data(html.utf8))
    }
}
