import Foundation
import Testing
import Tracking

/// `mltrack experiments|runs|artifacts|audit` end to end through the built binary, on a store
/// populated through the library (``TrackingCLIFixture``).
@Suite(.enabled(if: MLTrackCLI.binary != nil, "needs the built mltrack binary"))
struct TrackingCLITests {
    @Test func experimentsListCreateRenameDeleteRestore() throws {
        let f = try TrackingCLIFixture("cli-experiments")
        let list = try f.cli(["experiments", "list"])
        #expect(list.status == 0, "\(list.err)")
        let lines = list.out.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID  NAME") == true)
        #expect(lines.count == 5)   // header, rule, recsys, churn, Default
        #expect(lines.contains { $0.contains(" 2  recsys   active") })

        let created = try f.cli(["experiments", "create", "ads", "--format", "json"])
        #expect(created.status == 0, "\(created.err)")
        #expect(try f.json(created.out)["experiment_id"] as? String == "3")
        let dup = try f.cli(["experiments", "create", "ads"])
        #expect(dup.status == 1)
        #expect(dup.err.trimmingCharacters(in: .whitespacesAndNewlines) == "Error: Experiment(name=ads) already exists.")

        #expect(try f.cli(["experiments", "rename", "ads", "marketing"]).status == 0)
        #expect(try f.store.getExperiment(id: "3").name == "marketing")

        #expect(try f.cli(["experiments", "delete", "recsys"]).status == 0)
        #expect(try f.store.getExperiment(id: "2").lifecycleStage == .deleted)
        #expect(try f.store.getRun(id: f.id("als")).info.lifecycleStage == .deleted)
        let active = try f.json(try f.cli(["experiments", "list", "--format", "json"]).out)
        let names = try #require(active["experiments"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(Set(names) == ["Default", "churn", "marketing"])
        let deleted = try f.cli(["experiments", "list", "--view", "deleted"])
        #expect(deleted.out.contains("recsys") && !deleted.out.contains("churn"))
        #expect(try f.cli(["experiments", "restore", "2"]).status == 0)
        #expect(try f.store.getRun(id: f.id("als")).info.lifecycleStage == .active)
    }

    @Test func searchWithFilterOrderAndPages() throws {
        let f = try TrackingCLIFixture("cli-search")
        // Hand-computed: FINISHED runs with l2 = '1.0' and test_auc > 0.8 are lr-a (0.81) and lr-c (0.85);
        // lr-d (0.9) is RUNNING, lr-b has l2 0.5 and 0.79. By test_auc descending: lr-c, lr-a.
        let filter = "metrics.test_auc > 0.8 and params.l2 = '1.0' and attributes.status = 'FINISHED'"
        let res = try f.cli(["runs", "search", "--filter", filter, "--order-by", "metrics.test_auc DESC", "--format", "json"])
        #expect(res.status == 0, "\(res.err)")
        let doc = try f.json(res.out)
        #expect(try f.runIds(doc) == [try f.id("lr-c"), try f.id("lr-a")])
        #expect(doc["next_page_token"] == nil)
        // MLflow's run shape: info, data.{metrics,params,tags}, inputs.
        let first = try #require((doc["runs"] as? [[String: Any]])?.first)
        let data = try #require(first["data"] as? [String: Any])
        let params = try #require(data["params"] as? [[String: Any]])
        #expect(params.contains { $0["key"] as? String == "solver" && $0["value"] as? String == "newton" })
        #expect((first["info"] as? [String: Any])?["status"] as? String == "FINISHED")

        // One per page: the token leads to the second run and the last page has none.
        let p1 = try f.json(try f.cli(["runs", "search", "--filter", filter, "--order-by", "metrics.test_auc DESC",
                                       "--max-results", "1", "--format", "json"]).out)
        #expect(try f.runIds(p1) == [try f.id("lr-c")])
        let token = try #require(p1["next_page_token"] as? String)
        let p2 = try f.json(try f.cli(["runs", "search", "--filter", filter, "--order-by", "metrics.test_auc DESC",
                                       "--max-results", "1", "--page-token", token, "--format", "json"]).out)
        #expect(try f.runIds(p2) == [try f.id("lr-a")])
        #expect(p2["next_page_token"] == nil)

        // The table shows the ordered metric as a column, in the same order.
        let table = try f.cli(["runs", "search", "--filter", filter, "--order-by", "metrics.test_auc DESC"])
        let rows = table.out.split(separator: "\n").map(String.init)
        #expect(rows[0].hasPrefix("RUN ID") && rows[0].hasSuffix("test_auc"))
        #expect(rows.count == 4)
        #expect(rows[2].hasPrefix(try f.id("lr-c")) && rows[2].hasSuffix("0.85"))
        #expect(rows[3].hasPrefix(try f.id("lr-a")) && rows[3].hasSuffix("0.81"))

        // Scoped to one experiment, ordered by a param ascending then name.
        let scoped = try f.json(try f.cli(["runs", "search", "--experiment", "churn", "--order-by", "params.l2",
                                           "--order-by", "attributes.run_name DESC", "--format", "json"]).out)
        #expect(try f.runIds(scoped) == [try f.id("lr-b"), try f.id("lr-d"), try f.id("lr-c"), try f.id("lr-a")])
    }

    @Test func badFilterExitsOneNamingTheToken() throws {
        let f = try TrackingCLIFixture("cli-bad-filter")
        let res = try f.cli(["runs", "search", "--filter", "metrics.test_auc > 0.8 OR params.l2 = '1.0'"])
        #expect(res.status == 1)
        let lines = res.err.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(res.err.contains("'OR'") && res.err.contains("position 23"))
        #expect(res.out.isEmpty)
        let order = try f.cli(["runs", "search", "--order-by", "metrics.test_auc SIDEWAYS"])
        #expect(order.status == 1)
        #expect(order.err.contains("SIDEWAYS"))
    }

    @Test func listAndShow() throws {
        let f = try TrackingCLIFixture("cli-show")
        let list = try f.cli(["runs", "list", "--experiment", "churn", "--metric", "test_auc"])
        #expect(list.status == 0, "\(list.err)")
        let rows = list.out.split(separator: "\n").map(String.init)
        // Newest first: lr-d, lr-c, lr-b, lr-a.
        #expect(try rows.dropFirst(2).map { String($0.prefix(32)) } == ["lr-d", "lr-c", "lr-b", "lr-a"].map { try f.id($0) })
        #expect(rows[2].contains("RUNNING") && rows[5].contains("FINISHED") && rows[5].contains("4.0s"))
        let paged = try f.cli(["runs", "list", "--experiment", "churn", "--max-results", "3"])
        let token = try #require(paged.out.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
        #expect(paged.out.contains("more runs: --page-token "))
        let rest = try f.runIds(try f.json(try f.cli(["runs", "list", "--experiment", "churn", "--max-results", "3",
                                                      "--page-token", token, "--format", "json"]).out))
        #expect(rest == [try f.id("lr-a")])

        let show = try f.cli(["runs", "show", try f.id("lr-a")])
        #expect(show.status == 0, "\(show.err)")
        for needle in ["run_name         lr-a", "experiment       1 (churn)", "status           FINISHED",
                       "l2      1.0", "solver  lbfgs", "test_auc   0.81", "team            growth",
                       "customers  9f86d081  delta        /data/gold/customers  training",
                       "model/weights.bin  10000", "plots/roc.svg          6"] {
            #expect(show.out.contains(needle), "missing '\(needle)' in\n\(show.out)")
        }
        let json = try f.json(try f.cli(["runs", "show", try f.id("lr-a"), "--format", "json"]).out)
        let run = try #require(json["run"] as? [String: Any])
        let inputs = try #require((run["inputs"] as? [String: Any])?["dataset_inputs"] as? [[String: Any]])
        #expect((inputs.first?["dataset"] as? [String: Any])?["digest"] as? String == "9f86d081")
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.compactMap { $0["path"] as? String } == ["model", "model/weights.bin", "plots", "plots/roc.svg"])

        let missing = try f.cli(["runs", "show", "0123456789abcdef0123456789abcdef"])
        #expect(missing.status == 1 && missing.err.contains("0123456789abcdef0123456789abcdef"))
    }

    @Test func compareMarksDifferences() throws {
        let f = try TrackingCLIFixture("cli-compare")
        let res = try f.cli(["runs", "compare", try f.id("lr-a"), try f.id("lr-b"), try f.id("lr-c")])
        #expect(res.status == 0, "\(res.err)")
        #expect(!res.out.contains("\u{1B}["))   // not a terminal: markers, no ANSI
        let rows = res.out.split(separator: "\n").map(String.init)
        #expect(rows[0].contains("lr-a (") && rows[0].contains("lr-b (") && rows[0].contains("lr-c ("))
        func row(_ section: String, _ key: String) throws -> String {
            try #require(rows.first { $0.dropFirst(3).hasPrefix("\(section)  ") && $0.contains(" \(key) ") })
        }
        #expect(try row("param", "l2").hasPrefix("*"))
        func values(_ r: String) -> [String] { r.split(separator: " ").suffix(3).map(String.init) }
        #expect(values(try row("param", "l2")) == ["1.0", "0.5", "1.0"])
        #expect(try row("param", "solver").hasPrefix("*"))
        #expect(try row("metric", "test_auc").hasPrefix("*"))
        #expect(values(try row("metric", "log_loss")) == ["0.45", "0.47", "-"])
        #expect(try row("metric", "log_loss").hasPrefix("*"))

        // Two runs agreeing on solver: that row is not marked.
        let two = try f.cli(["runs", "compare", try f.id("lr-a"), try f.id("lr-b"), "--format", "json"])
        let doc = try f.json(two.out)
        let cmpRows = try #require(doc["rows"] as? [[String: Any]])
        let differs = Dictionary(uniqueKeysWithValues: cmpRows.compactMap { r -> (String, Bool)? in
            guard let k = r["key"] as? String, let d = r["differs"] as? Bool else { return nil }
            return (k, d)
        })
        #expect(differs == ["l2": true, "solver": false, "test_auc": true, "log_loss": true])

        let only = try f.cli(["runs", "compare", try f.id("lr-a"), try f.id("lr-b"), "--only-differences"])
        #expect(only.out.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ")[2] } == ["l2", "log_loss", "test_auc"])

        let one = try f.cli(["runs", "compare", try f.id("lr-a")])
        #expect(one.status != 0 && one.err.contains("at least two runs"))
    }

    @Test func deleteRestoreRoundTripAndAudit() throws {
        let f = try TrackingCLIFixture("cli-delete")
        let b = try f.id("lr-b")
        #expect(try f.cli(["runs", "delete", b]).status == 0)
        let active = try f.runIds(try f.json(try f.cli(["runs", "list", "--format", "json"]).out))
        #expect(!active.contains(b) && active.count == 4)
        let deleted = try f.runIds(try f.json(try f.cli(["runs", "list", "--view", "deleted", "--format", "json"]).out))
        #expect(deleted == [b])
        let unknown = try f.cli(["runs", "delete", "0123456789abcdef0123456789abcdef"])
        #expect(unknown.status == 1 && unknown.err.contains("0123456789abcdef0123456789abcdef"))
        #expect(try f.cli(["runs", "restore", b]).status == 0)
        #expect(try f.store.getRun(id: b).info.lifecycleStage == .active)

        // The audit log: library writes as alice, the CLI as the process's user.
        let cliActor = AuditActor.resolve(nil)
        let audit = try f.json(try f.cli(["audit", "--entity", "run", "--format", "json", "--limit", "1000"]).out)
        let events = try #require(audit["events"] as? [[String: Any]])
        #expect(events.allSatisfy { $0["entity_kind"] as? String == "run" })
        let created = events.filter { $0["action"] as? String == "create" }
        #expect(created.count == 5 && created.allSatisfy { $0["actor"] as? String == "alice" })
        let tail = events.suffix(2).map { [$0["action"] as? String, $0["entity_id"] as? String, $0["actor"] as? String] }
        #expect(tail == [["delete", b, cliActor], ["restore", b, cliActor]])

        // Paging with --after/--limit, and the table.
        let all = try f.store.audit(after: nil, limit: 10_000)
        let page = try f.json(try f.cli(["audit", "--after", String(all[2].id), "--limit", "2", "--format", "json"]).out)
        #expect((page["events"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [Int(all[3].id), Int(all[4].id)])
        let table = try f.cli(["audit", "--entity", "experiment"])
        let lines = table.out.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("ID  TIME") && lines.count == 5)   // Default, churn, recsys
        #expect(lines[3].contains("alice  experiment  1          create"))
    }

    @Test func artifactsListAndGet() throws {
        let f = try TrackingCLIFixture("cli-artifacts")
        let a = try f.id("lr-a")
        let list = try f.cli(["artifacts", "list", a])
        #expect(list.status == 0, "\(list.err)")
        #expect(list.out.split(separator: "\n").dropFirst(2).map(String.init) == ["model/", "plots/"])
        let sub = try f.json(try f.cli(["artifacts", "list", a, "model", "--format", "json"]).out)
        let files = try #require(sub["files"] as? [[String: Any]])
        #expect(files.count == 1 && files[0]["path"] as? String == "model/weights.bin" && files[0]["file_size"] as? Int == 10_000)
        #expect((sub["root_uri"] as? String)?.hasSuffix("/\(a)/artifacts") == true)

        let dest = f.dir.appendingPathComponent("out/weights.bin")
        let get = try f.cli(["artifacts", "get", a, "model/weights.bin", "--out", dest.path])
        #expect(get.status == 0, "\(get.err)")
        #expect(try Data(contentsOf: dest) == f.weights)
        let clobber = try f.cli(["artifacts", "get", a, "model/weights.bin", "--out", dest.path])
        #expect(clobber.status == 1 && clobber.err.contains("already exists"))
        let escape = try f.cli(["artifacts", "get", a, "../../etc", "--out", f.dir.appendingPathComponent("x").path])
        #expect(escape.status == 1 && escape.err.contains("'../../etc'"))
        let tree = f.dir.appendingPathComponent("all")
        #expect(try f.cli(["artifacts", "get", a, "", "--out", tree.path]).status == 0)
        #expect(try Data(contentsOf: tree.appendingPathComponent("plots/roc.svg")) == Data("<svg/>".utf8))
    }

    @Test func gcFailsRunsWhoseProcessIsGone() throws {
        let f = try TrackingCLIFixture("cli-gc")
        // A process that has exited: its pid names no process any more.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        let d = try f.id("lr-d")
        try f.store.logBatch(runId: d, tags: [RunTag(key: TrackingMaintenance.pidTag, value: String(p.processIdentifier)),
                                              RunTag(key: TrackingMaintenance.hostTag, value: TrackingMaintenance.currentHost())])
        let res = try f.cli(["runs", "gc", "--format", "json"])
        #expect(res.status == 0, "\(res.err)")
        let doc = try f.json(res.out)
        #expect((doc["failed"] as? [[String: Any]])?.compactMap { $0["run_id"] as? String } == [d])
        let run = try f.store.getRun(id: d)
        #expect(run.info.status == .failed && run.info.endTime != nil)
        #expect(run.data.tag(TrackingMaintenance.errorTag)?.contains("process \(p.processIdentifier)") == true)
    }
}
