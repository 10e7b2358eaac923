import Foundation
import Registry
import Tracking

/// The tracking server's web UI: pure functions from store data to HTML pages (no CDN, inline CSS,
/// SVG charts drawn on the server). ``page(path:query:)`` renders one page; ``response(path:query:)``
/// also serves raw artifacts; ``register(on:ui:)`` (in `WebUI+Routes.swift`) mounts it on a
/// Hummingbird router under `/` (GET only, never under `/api` or `/ajax-api`).
///
/// Pages: `/` (experiments), `/experiments/{id}` (runs table: `params`, `metrics` columns,
/// `filter`, `sort`, `order`, `expand=all`), `/runs/{id}`, `/compare?runs=a,b`, `/models`,
/// `/models/{name}`, `/audit?after=N`, and `/artifacts/{run}/{path}` (raw file, safe content type).
///
/// ```swift
/// let ui = WebUI(tracking: store, registry: registry, artifacts: WebUI.localArtifacts(destination: "/srv/artifacts"))
/// let (status, html) = await ui.page(path: "/experiments/1", query: ["filter": ["metrics.auc > 0.8"]])
/// ```
public struct WebUI: Sendable {
    /// Finds the artifact store of a run (nil: the run's artifacts cannot be browsed here).
    public typealias ArtifactLocator = @Sendable (RunInfo) throws -> (any ArtifactStore)?

    public let tracking: any TrackingStore
    public let registry: (any RegistryStore)?
    public let artifacts: ArtifactLocator
    /// Times are shown in this zone (default UTC, so pages are deterministic).
    public var timeZone: TimeZone
    /// Bytes shown of a text artifact preview.
    public var previewBytes: Int = 16_384

    public init(tracking: any TrackingStore, registry: (any RegistryStore)?,
                artifacts: @escaping ArtifactLocator = WebUI.localArtifacts(destination: nil),
                timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current) {
        self.tracking = tracking
        self.registry = registry
        self.artifacts = artifacts
        self.timeZone = timeZone
    }

    /// The locator for local artifacts: `file://` artifact URIs open directly; `mlflow-artifacts:/<p>`
    /// URIs open `<destination>/<p>` (the server's `--artifacts-destination`; nil: not browsable).
    public static func localArtifacts(destination: String?) -> ArtifactLocator {
        { info in
            let uri = info.artifactUri
            if uri.hasPrefix("file:") { return try LocalArtifactStore(root: uri) }
            let scheme = "mlflow-artifacts:"
            guard uri.hasPrefix(scheme), let destination else { return nil }
            var rest = String(uri.dropFirst(scheme.count))
            if rest.hasPrefix("//") {
                // mlflow-artifacts://host:port/<p>: the host is not ours to resolve; keep the path.
                rest = String(rest.dropFirst(2).drop { $0 != "/" })
            }
            while rest.hasPrefix("/") { rest.removeFirst() }
            let relative = try ArtifactPath(rest)
            return try LocalArtifactStore(root: (try LocalArtifactStore(root: destination)).root + "/" + relative.description)
        }
    }

    /// Renders the page at `path` (percent-encoded as in the request) with the decoded query
    /// parameters; never throws: store errors become error pages (404 for unknown entities, 400
    /// for bad input such as a filter the grammar rejects, 500 otherwise).
    public func page(path: String, query: [String: [String]]) async -> (status: Int, html: String) {
        let r = await render(path: path, query: query)
        return (r.status, r.html)
    }

    /// Like ``page(path:query:)`` but as a full response: raw artifact files under `/artifacts/`
    /// come back with their own content type.
    public func response(path: String, query: [String: [String]]) async -> WebUIResponse {
        let segments = Self.segments(path)
        if segments.first == "artifacts" {
            do {
                return try rawArtifact(segments.dropFirst())
            } catch {
                let p = errorPage(error)
                return WebUIResponse(status: p.status, html: p.html)
            }
        }
        let p = await render(path: path, query: query)
        return WebUIResponse(status: p.status, html: p.html)
    }

    /// The decoded path segments (`/models/a%2Fb` → `["models", "a/b"]`).
    static func segments(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { String($0).removingPercentEncoding ?? String($0) }
    }

    func render(path: String, query: [String: [String]]) async -> WebPage {
        let segments = Self.segments(path)
        do {
            switch (segments.first, segments.count) {
            case (nil, _), ("experiments", 1): return try experimentsPage()
            case ("experiments", 2): return try runsPage(experimentId: segments[1], query: query)
            case ("runs", 2): return try runPage(runId: segments[1])
            case ("compare", 1): return try comparePage(query: query)
            case ("models", 1): return try await modelsPage()
            case ("models", 2): return try await modelPage(name: segments[1])
            case ("audit", 1): return try auditPage(query: query)
            default: return WebPage.error(404, "Not found", "No page at \(path)")
            }
        } catch {
            return errorPage(error)
        }
    }

    func errorPage(_ error: any Error) -> WebPage {
        let code: TrackingError.Code?, message: String
        switch error {
        case let e as TrackingError: (code, message) = (e.code, e.message)
        case let e as RegistryError: (code, message) = (e.code, e.message)
        default: (code, message) = (nil, String(describing: error))
        }
        let status = code.map { MLflowErrorStatus.status(for: $0.rawValue) } ?? 500
        let title = status == 404 ? "Not found" : status == 400 ? "Bad request" : "Error"
        return WebPage.error(status, title, message)
    }

    // MARK: Shared pieces

    func time(_ ms: Int64?) -> String {
        guard let ms else { return "" }
        return "<time>" + HTML.escape(DisplayTime.iso(ms, timeZone: timeZone)) + "</time>"
    }

    func runLink(_ id: String, _ name: String) -> String { HTML.link("/runs/" + HTML.pathSegment(id), name.isEmpty ? id : name) }

    func experimentLink(_ id: String, _ name: String) -> String {
        HTML.link("/experiments/" + HTML.pathSegment(id), name.isEmpty ? id : name)
    }

    func modelLink(_ name: String) -> String { HTML.link("/models/" + HTML.pathSegment(name), name) }

    static func badge(_ text: String, _ cssClass: String? = nil) -> String {
        "<span class=\"badge \(HTML.escape(cssClass ?? text))\">\(HTML.escape(text))</span>"
    }

    /// Every run of the experiments that satisfy `filter`, ordered by `orderBy` (all pages).
    func allRuns(experimentIds: [String], filter: String?, orderBy: [String]) throws -> [Run] {
        var out: [Run] = [], token: String? = nil
        repeat {
            let page = try tracking.searchRuns(experimentIds: experimentIds, filter: filter, orderBy: orderBy,
                                               maxResults: EntityValidation.maxSearchResults, pageToken: token)
            out += page.items
            token = page.nextPageToken
        } while token != nil && out.count < Self.maxRuns
        return out
    }

    /// At most this many runs are shown on one page.
    static let maxRuns = 5000
}
