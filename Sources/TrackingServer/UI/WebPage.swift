import Foundation

/// One rendered page of the web UI: HTTP status, title and body HTML; ``html`` wraps the body in
/// the shared layout (inline CSS, navigation, a little inline JS), so pages need nothing from the
/// network.
///
/// ```swift
/// let page = WebPage(status: 404, title: "Not found", body: HTML.empty("No run ab12"))
/// page.html   // "<!DOCTYPE html>…<title>Not found · mltrack</title>…"
/// ```
public struct WebPage: Sendable {
    public var status: Int
    public var title: String
    /// Rendered (already escaped) body HTML.
    public var body: String
    /// Which navigation entry is current: "experiments", "models" or "audit".
    public var section: String

    public init(status: Int = 200, title: String, body: String, section: String = "experiments") {
        self.status = status
        self.title = title
        self.body = body
        self.section = section
    }

    /// An error page: the status, a heading and the message.
    public static func error(_ status: Int, _ title: String, _ message: String) -> WebPage {
        WebPage(status: status, title: title,
                body: "<h1>\(HTML.escape(title))</h1>\n<p class=\"error\">\(HTML.escape(message))</p>\n", section: "")
    }

    /// The whole document.
    public var html: String {
        var s = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        s += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        s += "<title>\(HTML.escape(title)) · mltrack</title>\n<style>\(WebStyle.css)</style></head>\n<body>\n"
        s += "<nav class=\"top\"><a class=\"brand\" href=\"/\">mltrack</a>"
        for (key, href, label) in [("experiments", "/", "Experiments"), ("models", "/models", "Models"), ("audit", "/audit", "Audit")] {
            s += "<a href=\"\(href)\"\(key == section ? " class=\"current\"" : "")>\(label)</a>"
        }
        s += "</nav>\n<main>\n" + body + "</main>\n<script>\(WebStyle.script)</script>\n</body></html>\n"
        return s
    }
}
