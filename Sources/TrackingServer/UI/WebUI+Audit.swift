import Tracking

extension WebUI {
    /// Audit events read per page.
    static let maxAudit = 100_000
    static let auditPageSize = 200

    /// `/audit?after=N`: audit events after id N (default: the start), oldest first, 200 a page.
    func auditPage(query: [String: [String]]) throws -> WebPage {
        let afterText = query["after"]?.first ?? ""
        var after: Int64?
        if !afterText.isEmpty {
            guard let n = Int64(afterText), n >= 0 else {
                throw TrackingError(.invalidParameterValue, "after: '\(afterText)' is not a non-negative event id")
            }
            after = n
        }
        let events = try tracking.audit(after: after, limit: Self.auditPageSize + 1)
        var body = "<h1>Audit trail</h1>\n"
        guard !events.isEmpty else { return WebPage(title: "Audit", body: body + HTML.empty("No audit events."), section: "audit") }
        let shown = Array(events.prefix(Self.auditPageSize))
        body += auditTable(shown)
        if events.count > Self.auditPageSize, let last = shown.last {
            body += "<p>" + HTML.link("/audit" + HTML.query(["after": ["\(last.id)"]]), "Next page →") + "</p>\n"
        }
        return WebPage(title: "Audit", body: body, section: "audit")
    }

    /// The events as a table with links to the runs, experiments and models they name.
    func auditTable(_ events: [AuditEvent]) -> String {
        HTML.table(["#", "Time", "Actor", "Entity", "Action", "Details"], events.map { e in
            let entity: String
            switch e.entityKind {
            case .run: entity = "run " + runLink(e.entityId, e.entityId)
            case .experiment: entity = "experiment " + experimentLink(e.entityId, e.entityId)
            case .registeredModel: entity = "model " + modelLink(e.entityId)
            case .modelVersion:
                if let slash = e.entityId.lastIndex(of: "/") {
                    entity = "version " + modelLink(String(e.entityId[..<slash])) + HTML.escape(" v" + e.entityId[e.entityId.index(after: slash)...])
                } else {
                    entity = "version " + HTML.escape(e.entityId)
                }
            default: entity = HTML.escape(e.entityKind.rawValue + " " + e.entityId)
            }
            let details = e.details.count > 300 ? String(e.details.prefix(300)) + "…" : e.details
            return ["\(e.id)", time(e.timestamp), HTML.escape(e.actor), entity, HTML.escape(e.action.rawValue), "<code>\(HTML.escape(details))</code>"]
        }, cssClass: "grid audit")
    }
}
