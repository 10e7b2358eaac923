import Foundation
import Registry
import Tracking

extension WebUI {
    /// `/models`: every registered model with its aliases, latest versions per stage and tags.
    func modelsPage() async throws -> WebPage {
        var body = "<h1>Registered models</h1>\n"
        guard let registry else { return WebPage(title: "Models", body: body + HTML.empty("This server has no model registry."), section: "models") }
        let models = try await registry.searchRegisteredModels(filter: nil)
        guard !models.isEmpty else { return WebPage(title: "Models", body: body + HTML.empty("No registered models yet."), section: "models") }
        body += HTML.table(["Name", "Aliases", "Latest versions", "Description", "Tags", "Last updated"], models.map { m in
            let aliases = m.aliases.sorted { $0.key < $1.key }.map { Self.badge("@\($0.key) → v\($0.value)", "alias") }.joined(separator: " ")
            let latest = m.latestVersions.sorted { $0.version > $1.version }
                .map { HTML.escape("v\($0.version) (\($0.currentStage.rawValue))") }.joined(separator: ", ")
            let tags = m.tags.sorted { $0.key < $1.key }.map { HTML.escape("\($0.key)=\($0.value)") }.joined(separator: "<br>")
            return [modelLink(m.name), aliases, latest, HTML.escape(m.description), tags, time(m.lastUpdatedTimestamp)]
        })
        return WebPage(title: "Models", body: body, section: "models")
    }

    /// `/models/{name}`: description, tags, aliases, every version (stage, status, run, source,
    /// aliases, tags), the promotion gate decisions and the model's audit trail.
    func modelPage(name: String) async throws -> WebPage {
        guard let registry else { return WebPage.error(404, "Not found", "This server has no model registry.") }
        let model = try await registry.registeredModel(name: name)
        let versions = try await registry.modelVersions(name: name)
        var body = "<h1>\(HTML.escape(model.name))</h1>\n"
        body += HTML.keyValues([
            ("Description", model.description.isEmpty ? "<span class=\"muted\">none</span>" : HTML.escape(model.description)),
            ("Created", time(model.creationTimestamp)),
            ("Last updated", time(model.lastUpdatedTimestamp)),
            ("Tags", model.tags.sorted { $0.key < $1.key }.map { HTML.escape("\($0.key)=\($0.value)") }.joined(separator: "<br>")),
        ])

        body += "<h2>Aliases</h2>\n"
        body += model.aliases.isEmpty ? HTML.empty("No aliases.")
            : HTML.table(["Alias", "Version", "URI"], model.aliases.sorted { $0.key < $1.key }.map {
                [HTML.escape("@" + $0.key), HTML.escape("v\($0.value)"), "<code>\(HTML.escape("models:/\(model.name)@\($0.key)"))</code>"]
            }, cssClass: "grid aliases")

        body += "<h2>Versions</h2>\n"
        body += versions.isEmpty ? HTML.empty("No versions registered.")
            : HTML.table(["Version", "Stage", "Status", "Aliases", "Run", "Source", "Tags", "Created"], versions.map { v in
                [HTML.escape("v\(v.version)"), Self.badge(v.currentStage.rawValue, "stage"), HTML.escape(v.status.rawValue),
                 v.aliases.sorted().map { Self.badge("@" + $0, "alias") }.joined(separator: " "),
                 v.runId.map { id in runLink(id, (try? tracking.getRun(id: id))?.info.runName ?? id) } ?? "", "<code>\(HTML.escape(v.source))</code>",
                 v.tags.sorted { $0.key < $1.key }.map { HTML.escape("\($0.key)=\($0.value)") }.joined(separator: "<br>"),
                 time(v.creationTimestamp)]
            }, cssClass: "grid versions")

        body += "<h2>Gate decisions</h2>\n"
        let decisions = try await registry.promotionDecisions(name: name)
        if decisions.isEmpty {
            body += HTML.empty("No promotion decisions recorded.")
        } else {
            for d in decisions.reversed() {
                let outcome = d.applied ? (d.forced && !d.passed ? "forced" : "applied") : "refused"
                body += "<div class=\"decision\"><p>\(Self.badge(outcome, d.applied ? "pass" : "fail")) \(HTML.escape(d.summary))"
                body += " <span class=\"muted\">by \(HTML.escape(d.actor)) at \(time(d.timestamp))"
                if let held = d.previousHolder { body += HTML.escape(" · alias held by v\(held)") }
                if let source = d.policySource { body += HTML.escape(" · policy \(source)") }
                body += "</span></p>\n"
                if !d.gates.isEmpty {
                    body += HTML.table(["Gate", "Kind", "Metric", "Candidate", "Holder", "Min", "Max", "Verdict", "Reason"], d.gates.map { g in
                        [HTML.escape(g.name), HTML.escape(g.kind.rawValue), HTML.escape(g.metric),
                         g.candidate.map(HTML.number) ?? "", g.holder.map { HTML.number($0) + (g.holderVersion.map { " (v\($0))" } ?? "") } ?? "",
                         g.min.map(HTML.number) ?? "", g.max.map(HTML.number) ?? "",
                         Self.badge(g.verdict.rawValue), HTML.escape(g.reason)]
                    }, cssClass: "grid gates")
                }
                body += "</div>\n"
            }
        }

        body += "<h2>Audit trail</h2>\n"
        let events = try tracking.audit(after: nil, limit: Self.maxAudit).filter {
            ($0.entityKind == .registeredModel && $0.entityId == name)
                || ($0.entityKind == .modelVersion && $0.entityId.hasPrefix(name + "/")
                    && Int($0.entityId.dropFirst(name.count + 1)) != nil)
        }
        body += events.isEmpty ? HTML.empty("No audit events for this model.") : auditTable(events.reversed())
        return WebPage(title: model.name, body: body, section: "models")
    }
}
