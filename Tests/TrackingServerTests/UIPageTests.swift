import Foundation
import HummingbirdTesting
import Hummingbird
import Testing
import Tracking
@testable import TrackingServer

@Suite("UIPages")
struct UIPageTests {
    @Test func experimentsListShowsEveryExperimentEscaped() async throws {
        let f = try await UIFixture()
        let (status, html) = await f.page("/")
        #expect(status == 200)
        #expect(html.contains("<title>Experiments · mltrack</title>"))
        #expect(html.contains("href=\"/experiments/\(f.experimentId)\">churn</a>"))
        #expect(html.contains("team=growth"))
        #expect(html.contains("recs &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;"))
        #expect(!html.contains(UIFixture.script))
        #expect(html.contains("<nav class=\"top\">"))
        #expect(!html.contains("http://") && !html.contains("https://"), "no external resources")
    }

    @Test func runsTableFoldsChildrenUnderTheirParent() async throws {
        let f = try await UIFixture()
        let (status, html) = await f.page("/experiments/\(f.experimentId)")
        #expect(status == 200)
        // Default columns: every param and metric key present.
        for col in ["params.l2", "params.note", "params.solver", "metrics.auc", "metrics.loss"] { #expect(html.contains(col)) }
        // Children follow their parent, hidden (folded) with data-parent, a fold button with the count.
        let parentRow = try #require(html.range(of: "<tr data-run=\"\(f.parent.info.runId)\">"))
        let childRow = try #require(html.range(of: "<tr data-run=\"\(f.childB.info.runId)\" class=\"child\" data-parent=\"\(f.parent.info.runId)\" hidden>"))
        #expect(parentRow.lowerBound < childRow.lowerBound)
        #expect(html.contains("data-count=\"2\""))
        #expect(html.contains("<td class=\"num\">0.91</td>"))
        #expect(html.contains("<td class=\"num\">0.4</td>"))
        #expect(html.contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;"))
        #expect(!html.contains(UIFixture.script))
        #expect(html.contains("4 runs"))
        let (_, expanded) = await f.page("/experiments/\(f.experimentId)", ["expand": ["all"]])
        #expect(expanded.contains("data-parent=\"\(f.parent.info.runId)\">"))
        #expect(!expanded.contains(" hidden>"))
    }

    @Test func runsTableChosenColumnsSortAndFilter() async throws {
        let f = try await UIFixture()
        let (_, html) = await f.page("/experiments/\(f.experimentId)",
                                     ["params": ["l2"], "metrics": ["auc"], "sort": ["metrics.auc"], "order": ["desc"], "expand": ["all"]])
        #expect(html.contains(">params.l2</a>"))
        #expect(!html.contains("params.note"))
        #expect(!html.contains(">metrics.loss"))
        #expect(html.contains("metrics.auc ▾"))
        // Sorted by auc descending among the top-level runs: the parent has none (last), baseline 0.75.
        let a = try #require(html.range(of: ">baseline</a>")), p = try #require(html.range(of: ">grid-search</a>"))
        #expect(a.lowerBound < p.lowerBound)
        // Children sorted by auc too: child-a (0.91) before child-b (0.84).
        let ca = try #require(html.range(of: ">child-a</a>")), cb = try #require(html.range(of: ">child-b</a>"))
        #expect(ca.lowerBound < cb.lowerBound)

        let (status, filtered) = await f.page("/experiments/\(f.experimentId)", ["filter": ["metrics.auc > 0.8 and params.solver = 'lbfgs'"]])
        #expect(status == 200)
        #expect(filtered.contains(">child-a</a>") && filtered.contains(">child-b</a>"))
        #expect(!filtered.contains(">baseline</a>") && !filtered.contains(">grid-search</a>"))
        #expect(filtered.contains("2 runs"))
        #expect(filtered.contains("value=\"metrics.auc &gt; 0.8 and params.solver = &apos;lbfgs&apos;\""))
    }

    @Test func badFilterShowsTheMessageNotA500() async throws {
        let f = try await UIFixture()
        let (status, html) = await f.page("/experiments/\(f.experimentId)", ["filter": ["metrics.auc > 0.8 OR params.l2 = '1'"]])
        #expect(status == 400)
        #expect(html.contains("<p class=\"error\">Invalid search: "))
        #expect(html.contains("<form class=\"filter\""))
        let (s2, html2) = await f.page("/experiments/\(f.experimentId)", ["filter": ["params.l2 = 1"]])
        #expect(s2 == 400)
        #expect(html2.contains("class=\"error\""))
        // Hostile query values come back escaped, in the form and in the parser's message.
        let hostile = "params.x = '\"><script>alert(1)</script>"
        let (s3, html3) = await f.page("/experiments/\(f.experimentId)", ["filter": [hostile], "sort": ["<script>"], "params": ["<img src=x>"]])
        #expect(s3 == 400)
        #expect(!html3.contains("<script>alert(1)") && !html3.contains("<img src=x>"))
        #expect(html3.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func runPageShowsInfoParamsMetricChartsTagsDatasetsArtifacts() async throws {
        let f = try await UIFixture()
        let (status, html) = await f.page("/runs/\(f.childA.info.runId)")
        #expect(status == 200)
        #expect(html.contains("<h1>child-a</h1>"))
        #expect(html.contains(f.childA.info.runId))
        #expect(html.contains("href=\"/runs/\(f.parent.info.runId)\">grid-search</a>"))
        #expect(html.contains("<td>l2</td><td>0.1</td>"))
        #expect(html.contains("1m05s"))
        // One chart per metric, each a path with one point per logged value.
        #expect(html.occurrences(of: "<svg class=\"metric-chart\"") == 2)
        #expect(html.contains("data-metric=\"loss\" data-points=\"5\""))
        let paths = html.seriesPaths
        #expect(paths.count == 2)
        #expect(paths.map(pathPoints).sorted() == [1, 5])
        #expect(html.contains("<circle class=\"point\""), "a single-point series gets a dot")
        // Dataset lineage.
        #expect(html.contains("<td>customers</td>"))
        #expect(html.contains("d41d8cd9"))
        #expect(html.contains("<td>training</td>"))
        #expect(html.contains("{&quot;uri&quot;: &quot;gold/customers&quot;, &quot;version&quot;: 3}"))
        // Artifacts: listing, text preview escaped, SVG through <img>.
        #expect(html.contains("href=\"/artifacts/\(f.childA.info.runId)/notes.txt\">notes.txt</a>"))
        #expect(html.contains("plots/"))
        #expect(html.contains("<pre class=\"preview\">hello from mltrack\n&lt;script&gt;"))
        #expect(html.contains("<img class=\"preview\" alt=\"plots/roc.svg\" src=\"/artifacts/\(f.childA.info.runId)/plots/roc.svg\">"))
        #expect(html.contains("artifact_path: model"))
        #expect(!html.contains(UIFixture.script))
    }

    @Test func runPageEscapesParamsAndTags() async throws {
        let f = try await UIFixture()
        let (_, html) = await f.page("/runs/\(f.baseline.info.runId)")
        #expect(html.contains("<td>note</td><td>&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;</td>"))
        #expect(html.contains("<td>owner</td><td>&lt;b&gt;bob&lt;/b&gt;</td>"))
        #expect(!html.contains(UIFixture.script) && !html.contains("<b>bob</b>"))
        #expect(html.contains("No artifacts logged."))
        #expect(html.contains("No dataset inputs logged."))
    }

    @Test func unknownRunAndUnknownPathAre404Pages() async throws {
        let f = try await UIFixture()
        let (status, html) = await f.page("/runs/deadbeef")
        #expect(status == 404)
        #expect(html.contains("<title>Not found · mltrack</title>"))
        #expect(html.contains("deadbeef"))
        #expect(await f.page("/nope/at/all").status == 404)
        #expect(await f.page("/experiments/9999").status == 404)
        #expect(await f.page("/models/nosuch").status == 404)
        #expect(await f.page("/audit", ["after": ["x"]]).status == 400)
    }

    @Test func comparePageMarksDifferencesAndOverlaysCharts() async throws {
        let f = try await UIFixture()
        let (status, html) = await f.page("/compare", ["runs": ["\(f.childA.info.runId),\(f.childB.info.runId)"]])
        #expect(status == 200)
        #expect(html.contains("<h1>Compare 2 runs</h1>"))
        #expect(html.contains("<tr class=\"diff\"><th>l2</th><td>0.1</td><td>1.0</td></tr>"))
        #expect(html.contains("<tr><th>solver</th><td>lbfgs</td><td>lbfgs</td></tr>"))
        // The loss chart: one line per run, with a legend naming both.
        let loss = try #require(html.range(of: "<figure data-metric=\"loss\">"))
        let chart = String(html[loss.lowerBound...]).components(separatedBy: "</figure>")[0]
        #expect(chart.seriesPaths.map(pathPoints) == [5, 3])
        #expect(chart.contains("<g class=\"legend\""))
        #expect(chart.contains(">child-a</text>") && chart.contains(">child-b</text>"))
        // Repeated keys work too; nothing chosen is an empty state.
        let (_, repeated) = await f.page("/compare", ["runs": [f.childA.info.runId, f.baseline.info.runId]])
        #expect(repeated.contains("<tr class=\"diff\"><th>note</th><td>—</td>"))
        let (_, none) = await f.page("/compare")
        #expect(none.contains("No runs chosen"))
        #expect(await f.page("/compare", ["runs": ["nosuch"]]).status == 404)
    }

    @Test func modelPagesShowVersionsAliasesStagesGatesAndAudit() async throws {
        let f = try await UIFixture()
        let (status, list) = await f.page("/models")
        #expect(status == 200)
        #expect(list.contains("href=\"/models/churn-model\">churn-model</a>"))
        #expect(list.contains("@champion → v1"))
        let (s2, html) = await f.page("/models/churn-model")
        #expect(s2 == 200)
        #expect(html.contains("Churn classifier"))
        #expect(html.contains("models:/churn-model@champion"))
        #expect(html.contains("<span class=\"badge stage\">Staging</span>"))
        #expect(html.contains("candidate=yes"))
        #expect(html.contains("href=\"/runs/\(f.childA.info.runId)\""))
        // Gate decisions, newest first.
        let refused = try #require(html.range(of: "churn-model v2 → champion: refused (0/1 gates passed)"))
        let promoted = try #require(html.range(of: "churn-model v1 → champion: promoted (1/1 gates passed)"))
        #expect(refused.lowerBound < promoted.lowerBound)
        #expect(html.contains("0.84 does not beat 0.91"))
        #expect(html.contains("0.91 (v1)"))
        // Audit trail of the model and its versions.
        #expect(html.contains(">transition_stage<"))
        #expect(html.contains(">promote<"))
        #expect(html.contains("<td>tester</td>"))
    }

    @Test func auditPageListsEvents() async throws {
        let f = try await UIFixture()
        let (status, html) = await f.page("/audit")
        #expect(status == 200)
        #expect(html.contains("<table class=\"grid audit\">"))
        #expect(html.contains("experiment <a href=\"/experiments/\(f.experimentId)\">"))
        #expect(html.contains(">log_batch<"))
        #expect(html.contains("Next page") == false)
        let (_, later) = await f.page("/audit", ["after": ["100000"]])
        #expect(later.contains("No audit events."))
    }

    @Test func rawArtifactsHaveSafeContentTypes() async throws {
        let f = try await UIFixture()
        let run = f.childA.info.runId
        let svg = await f.ui.response(path: "/artifacts/\(run)/plots/roc.svg", query: [:])
        #expect(svg.status == 200)
        #expect(svg.contentType == "image/svg+xml")
        #expect(svg.headers.contains { $0.name == "Content-Security-Policy" && $0.value.contains("sandbox") })
        #expect(String(decoding: svg.body, as: UTF8.self).hasPrefix("<svg"))
        let text = await f.ui.response(path: "/artifacts/\(run)/notes.txt", query: [:])
        #expect(text.contentType == "text/plain; charset=utf-8")
        #expect(ArtifactContentType.of("x/page.html") == "text/plain; charset=utf-8")
        #expect(ArtifactContentType.of("weights.bin") == "application/octet-stream")
        let traversal = await f.ui.response(path: "/artifacts/\(run)/../../mltrack.db", query: [:])
        #expect(traversal.status == 400 || traversal.status == 404)
        let encoded = await f.ui.response(path: "/artifacts/\(run)/%2E%2E/%2E%2E/mltrack.db", query: [:])
        #expect(encoded.status == 400)
        #expect(await f.ui.response(path: "/artifacts/\(run)/nosuch.txt", query: [:]).status == 404)
    }

    @Test func queryParsingDecodesPlusAndPercent() {
        #expect(HTML.parseQuery("filter=metrics.auc+%3E+0.8&runs=a&runs=b&e=") == ["filter": ["metrics.auc > 0.8"], "runs": ["a", "b"], "e": [""]])
        #expect(HTML.query(["runs": ["a b", "c/d"]]) == "?runs=a%20b&runs=c%2Fd")
    }

    @Test func routesServeThePagesOverHummingbird() async throws {
        let f = try await UIFixture()
        let router = Router()
        WebUI.register(on: router, ui: f.ui)
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await client.execute(uri: "/experiments/\(f.experimentId)?filter=metrics.auc+%3E+0.8", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "text/html; charset=utf-8")
                let body = String(buffer: r.body)
                #expect(body.contains(">child-a</a>") && !body.contains(">baseline</a>"))
            }
            try await client.execute(uri: "/runs/nosuch", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/artifacts/\(f.childA.info.runId)/plots/roc.svg", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "image/svg+xml")
                #expect(r.headers[.xContentTypeOptions] == "nosniff")
            }
            try await client.execute(uri: "/models/churn-model", method: .get) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/", method: .post) { r in #expect(r.status != .ok) }
            try await client.execute(uri: "/api/2.0/mlflow/experiments/search", method: .get) { r in #expect(r.status == .notFound) }
        }
    }
}
