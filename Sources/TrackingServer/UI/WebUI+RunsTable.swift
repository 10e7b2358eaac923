import Tracking

extension WebUI {
    /// `/experiments/{id}`: the experiment's runs as a table. Query: `filter` (MLflow's search
    /// grammar; a bad one shows the parser's message, status 400), `params` / `metrics` (column
    /// keys, comma-separated or repeated; default every key present), `sort` (`name`, `start_time`,
    /// `status`, `user_id`, `params.<k>`, `metrics.<k>`) with `order` `asc`/`desc`, and
    /// `expand=all` (nested runs shown unfolded). Child runs (tag `mlflow.parentRunId`) are folded
    /// under their parent.
    func runsPage(experimentId: String, query: [String: [String]]) throws -> WebPage {
        let experiment = try tracking.getExperiment(id: experimentId)
        let filter = (query["filter"]?.first ?? "").trimmingCharacters(in: .whitespaces)
        let sort = query["sort"]?.first ?? ""
        let descending = (query["order"]?.first ?? "") == "desc"
        let expand = query["expand"]?.first == "all"
        var body = "<h1>\(HTML.escape(experiment.name))</h1>\n"
        body += "<p class=\"muted\">Experiment \(HTML.escape(experiment.experimentId)) · created \(time(experiment.creationTime))"
        if experiment.lifecycleStage != .active { body += " · \(HTML.escape(experiment.lifecycleStage.rawValue))" }
        body += "</p>\n"
        let chosenParams = Self.keys(query["params"])
        let chosenMetrics = Self.keys(query["metrics"])

        var runs: [Run] = []
        var problem: String?
        do {
            runs = try allRuns(experimentIds: [experimentId], filter: filter.isEmpty ? nil : filter,
                               orderBy: Self.orderBy(sort: sort, descending: descending))
        } catch let e as TrackingError where e.code == .invalidParameterValue {
            problem = e.message
        }
        let paramKeys = chosenParams ?? Array(Set(runs.flatMap { $0.data.params.map(\.key) })).sorted()
        let metricKeys = chosenMetrics ?? Array(Set(runs.flatMap { $0.data.metrics.map(\.key) })).sorted()

        body += "<form class=\"filter\" method=\"get\" action=\"/experiments/\(HTML.escape(HTML.pathSegment(experimentId)))\">"
        body += "<label>Filter <input type=\"text\" name=\"filter\" value=\"\(HTML.escape(filter))\" placeholder=\"metrics.auc &gt; 0.8 and params.l2 = '1.0'\"></label>"
        body += "<label>Params <input type=\"text\" name=\"params\" value=\"\(HTML.escape(paramKeys.joined(separator: ",")))\" style=\"width:180px\"></label>"
        body += "<label>Metrics <input type=\"text\" name=\"metrics\" value=\"\(HTML.escape(metricKeys.joined(separator: ",")))\" style=\"width:180px\"></label>"
        if !sort.isEmpty { body += "<input type=\"hidden\" name=\"sort\" value=\"\(HTML.escape(sort))\"><input type=\"hidden\" name=\"order\" value=\"\(descending ? "desc" : "asc")\">" }
        body += "<button type=\"submit\">Apply</button></form>\n"
        if let problem {
            body += "<p class=\"error\">Invalid search: \(HTML.escape(problem))</p>\n"
            return WebPage(status: 400, title: experiment.name, body: body)
        }
        guard !runs.isEmpty else {
            body += HTML.empty(filter.isEmpty ? "No runs in this experiment yet." : "No runs match the filter.")
            return WebPage(title: experiment.name, body: body)
        }

        // Fold: children (whose parent is shown) follow their parent, in the search order.
        let shown = Set(runs.map(\.info.runId))
        var children: [String: [Run]] = [:]
        var roots: [Run] = []
        for r in runs {
            if let p = r.parentRunId, p != r.info.runId, shown.contains(p) { children[p, default: []].append(r) } else { roots.append(r) }
        }

        func base() -> [String: [String]] {
            var q: [String: [String]] = [:]
            if !filter.isEmpty { q["filter"] = [filter] }
            if let chosenParams { q["params"] = [chosenParams.joined(separator: ",")] }
            if let chosenMetrics { q["metrics"] = [chosenMetrics.joined(separator: ",")] }
            if expand { q["expand"] = ["all"] }
            return q
        }
        func header(_ label: String, _ key: String?) -> String {
            guard let key else { return "<th>\(HTML.escape(label))</th>" }
            var q = base()
            q["sort"] = [key]
            let nextDesc = sort == key ? !descending : false
            q["order"] = [nextDesc ? "desc" : "asc"]
            let arrow = sort == key ? (descending ? " ▾" : " ▴") : ""
            return "<th>" + HTML.link("/experiments/" + HTML.pathSegment(experimentId) + HTML.query(q), label + arrow) + "</th>"
        }

        body += "<form method=\"get\" action=\"/compare\">\n<table class=\"grid runs\"><thead><tr><th></th>"
        body += header("Run", "run_name") + header("Status", "status") + header("Started", "start_time") + "<th>Duration</th>" + header("User", "user_id")
        for k in paramKeys { body += header("params." + k, "params." + Self.quotedKey(k)) }
        for k in metricKeys { body += header("metrics." + k, "metrics." + Self.quotedKey(k)) }
        body += "</tr></thead><tbody>\n"

        func row(_ r: Run, depth: Int, parent: String?) -> String {
            let id = r.info.runId
            let kids = children[id] ?? []
            var s = "<tr data-run=\"\(HTML.escape(id))\""
            if let parent { s += " class=\"child\" data-parent=\"\(HTML.escape(parent))\"" + (expand ? "" : " hidden") }
            s += "><td><input type=\"checkbox\" name=\"runs\" value=\"\(HTML.escape(id))\"></td><td>"
            if depth > 0 { s += String(repeating: "&nbsp;&nbsp;", count: depth - 1) + "↳ " }
            s += runLink(id, r.info.runName)
            if !kids.isEmpty {
                s += " <button type=\"button\" class=\"fold\" data-run=\"\(HTML.escape(id))\" data-count=\"\(kids.count)\" aria-expanded=\"\(expand)\">\(expand ? "▾" : "▸") \(kids.count)</button>"
            }
            s += "</td><td>\(Self.badge(r.info.status.rawValue))</td><td>\(time(r.info.startTime))</td>"
            s += "<td>\(HTML.escape(DisplayTime.duration(from: r.info.startTime, to: r.info.endTime)))</td><td>\(HTML.escape(r.info.userId))</td>"
            for k in paramKeys { s += "<td>\(HTML.escape(r.data.param(k) ?? ""))</td>" }
            for k in metricKeys { s += "<td class=\"num\">\(r.data.metric(k).map { HTML.number($0.value) } ?? "")</td>" }
            s += "</tr>\n"
            for c in kids { s += row(c, depth: depth + 1, parent: id) }
            return s
        }
        for r in roots { body += row(r, depth: 0, parent: nil) }
        body += "</tbody></table>\n<button type=\"submit\">Compare selected runs</button></form>\n"
        body += "<p class=\"muted\">\(runs.count) run\(runs.count == 1 ? "" : "s")</p>\n"
        return WebPage(title: experiment.name, body: body)
    }

    /// Column keys from `a,b` or repeated values; nil when none were given.
    static func keys(_ values: [String]?) -> [String]? {
        guard let values else { return nil }
        let keys = values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return keys
    }

    /// A key in backticks when it is not a plain identifier (MLflow's quoting).
    static func quotedKey(_ key: String) -> String {
        key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? key : "`" + key.replacingOccurrences(of: "`", with: "") + "`"
    }

    /// The store's `order_by` for a sort column (unknown columns: MLflow's default order).
    static func orderBy(sort: String, descending: Bool) -> [String] {
        let attributes = ["run_name", "status", "start_time", "end_time", "user_id"]
        let ok = attributes.contains(sort) || sort.hasPrefix("params.") || sort.hasPrefix("metrics.") || sort.hasPrefix("tags.")
        return ok ? [sort + (descending ? " DESC" : " ASC")] : []
    }
}
