import Foundation
import Testing
import Tracking

/// The library side of the CLI: tables, times, numbers, comparison, search requests, audit listing.
@Suite struct PresentationTests {
    let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current

    @Test func textTableAlignsAndEscapes() {
        var t = TextTable(["ID", "NAME"], rightAligned: [0])
        t.append(["1", "churn"])
        t.append(["12", "a\tb"])
        t.append(["3"])   // missing cell: blank
        #expect(t.render() == "ID  NAME\n--  -----\n 1  churn\n12  a\\tb\n 3\n")
    }

    @Test func timesAndNumbers() {
        #expect(DisplayTime.iso(1_700_000_000_000, timeZone: utc) == "2023-11-14T22:13:20Z")
        #expect(DisplayTime.iso(1_700_000_000_123, timeZone: utc) == "2023-11-14T22:13:20.123Z")
        let plusOne = TimeZone(secondsFromGMT: 3600) ?? utc
        #expect(DisplayTime.iso(1_700_000_000_000, timeZone: plusOne) == "2023-11-14T23:13:20+01:00")
        #expect(DisplayTime.iso(nil) == "")
        #expect(DisplayTime.duration(from: 0, to: 45_250) == "45.2s")
        #expect(DisplayTime.duration(from: 0, to: 187_000) == "3m07s")
        #expect(DisplayTime.duration(from: 0, to: 3_723_000) == "1h02m03s")
        #expect(DisplayTime.duration(from: 0, to: nil) == "")
        #expect(DisplayNumber.text(0.5) == "0.5")
        #expect(DisplayNumber.text(3) == "3.0")
        #expect(DisplayNumber.text(.nan) == "NaN")
        #expect(DisplayNumber.text(-.infinity) == "-inf")
    }

    func run(_ id: String, params: [String: String], metrics: [String: Double]) -> Run {
        Run(info: RunInfo(runId: id, runName: "r-\(id.prefix(2))", experimentId: "1", userId: "u", status: .finished,
                          startTime: 0, artifactUri: "file:///a", lifecycleStage: .active),
            data: RunData(metrics: metrics.sorted { $0.key < $1.key }.map { Metric(key: $0.key, value: $0.value, timestamp: 0) },
                          params: params.sorted { $0.key < $1.key }.map { Param(key: $0.key, value: $0.value) }))
    }

    @Test func comparisonFindsDifferencesIncludingMissingAndNaN() {
        let a = run("aa000000000000000000000000000000", params: ["l2": "1.0", "seed": "7"], metrics: ["auc": 0.8, "loss": .nan])
        let b = run("bb000000000000000000000000000000", params: ["l2": "0.5", "seed": "7"], metrics: ["auc": 0.8, "loss": .nan, "f1": 0.5])
        let cmp = RunComparison(runs: [a, b])
        #expect(cmp.rows.map(\.key) == ["l2", "seed", "auc", "f1", "loss"])
        #expect(cmp.differingKeys == ["param.l2", "metric.f1"])
        #expect(cmp.rows.first { $0.key == "f1" }?.values == [nil, "0.5"])
        let marker = cmp.render(style: .marker)
        #expect(marker == String(repeating: " ", count: 11) + """
            KEY   r-aa (aa000000)  r-bb (bb000000)
            -  ------  ----  ---------------  ---------------
            *  param   l2    1.0              0.5
               param   seed  7                7
               metric  auc   0.8              0.8
            *  metric  f1    -                0.5
               metric  loss  NaN              NaN

            """)
        let ansi = cmp.render(style: .ansi)
        #expect(ansi.contains("\u{1B}[1;33mparam   l2    1.0              0.5\u{1B}[0m"))
        #expect(ansi.contains("\nparam   seed  7                7\n"))
    }

    @Test func searchRequestParsesAndNamesMetricColumns() throws {
        let req = try RunSearchRequest(filter: "metrics.auc > 0.8 and params.l2 = '1.0' and metrics.loss < 1",
                                       orderBy: ["metrics.f1 DESC", "metrics.auc"], maxResults: 5)
        #expect(req.metricKeys == ["f1", "auc", "loss"])
        #expect(req.maxResults == 5)
        let q = req.query(experimentIds: ["1"])
        #expect(q.filter == (try RunFilter.parse("metrics.auc > 0.8 and params.l2 = '1.0' and metrics.loss < 1")))
        #expect(q.ordering.keys == [RunOrdering.Key(entity: .metric, key: "f1", ascending: false),
                                    RunOrdering.Key(entity: .metric, key: "auc", ascending: true)])
        #expect(q.experimentIds == ["1"] && q.maxResults == 5)
        #expect(try RunSearchRequest().filter == nil)
        do {
            _ = try RunSearchRequest(filter: "metrics.auc >> 1")
            Issue.record("expected an error")
        } catch let e as TrackingError {
            #expect(e.code == .invalidParameterValue)
        }
        #expect(throws: TrackingError.self) { try RunSearchRequest(maxResults: 0) }
        #expect(throws: TrackingError.self) { try RunSearchRequest(orderBy: ["metrics.auc", "metrics.auc DESC"]) }
    }

    @Test func searchRequestFiltersStoredRuns() throws {
        let dir = try TestPaths.tempDir("presentation-search")
        let store = try SQLiteTrackingStore(path: dir.appendingPathComponent("m.db").path)
        let exp = try store.createExperiment(name: "e")
        var ids: [Double: String] = [:]
        for (i, auc) in [0.7, 0.9, 0.85].enumerated() {
            let r = try store.createRun(experimentId: exp, runName: "r\(i)", startTime: Int64(i))
            try store.logBatch(runId: r.info.runId, metrics: [Metric(key: "auc", value: auc, timestamp: 0)],
                               tags: [RunTag(key: "team", value: i == 1 ? "core" : "growth")])
            ids[auc] = r.info.runId
        }
        let req = try RunSearchRequest(filter: "metrics.auc >= 0.75 and tags.team LIKE 'gr%'", orderBy: ["metrics.auc DESC"])
        #expect(try store.searchRuns(req.query(experimentIds: [exp])).items.map(\.info.runId) == [ids[0.85]])
        let all = try RunSearchRequest(orderBy: ["metrics.auc DESC"])
        #expect(try store.searchRuns(all.query(experimentIds: [exp])).items.map(\.info.runId) == [ids[0.9], ids[0.85], ids[0.7]])
    }

    @Test func auditListingFiltersByKindAcrossPages() throws {
        let dir = try TestPaths.tempDir("presentation-audit")
        let store = try SQLiteTrackingStore(path: dir.appendingPathComponent("m.db").path, actor: "bob")
        let exp = try store.createExperiment(name: "e")
        var runIds: [String] = []
        for i in 0 ..< 3 { runIds.append(try store.createRun(experimentId: exp, runName: "r\(i)").info.runId) }
        for _ in 0 ..< 1200 { try store.setExperimentTag(id: exp, tag: ExperimentTag(key: "k", value: "v")) }
        try store.deleteRun(id: runIds[0], actor: "carol")
        let runs = try AuditListing(limit: 10, entityKind: .run).events(in: store)
        #expect(runs.map(\.action) == [.create, .create, .create, .delete])
        #expect(runs.map(\.actor) == ["bob", "bob", "bob", "carol"])
        let two = try AuditListing(after: runs[1].id, limit: 2, entityKind: .run).events(in: store)
        #expect(two.map(\.id) == [runs[2].id, runs[3].id])
        #expect(throws: TrackingError.self) { try AuditListing(limit: 0).events(in: store) }
    }

    @Test func failDeadRunsOnlyTouchesDeadLocalRuns() throws {
        let dir = try TestPaths.tempDir("presentation-gc")
        let store = try SQLiteTrackingStore(path: dir.appendingPathComponent("m.db").path)
        let exp = try store.createExperiment(name: "e")
        func make(_ name: String, pid: String?, host: String?) throws -> String {
            var tags: [RunTag] = []
            if let pid { tags.append(RunTag(key: TrackingMaintenance.pidTag, value: pid)) }
            if let host { tags.append(RunTag(key: TrackingMaintenance.hostTag, value: host)) }
            return try store.createRun(experimentId: exp, runName: name, tags: tags).info.runId
        }
        let dead = try make("dead", pid: "101", host: "here")
        let alive = try make("alive", pid: "102", host: "here")
        let elsewhere = try make("elsewhere", pid: "101", host: "there")
        let foreign = try make("foreign", pid: nil, host: nil)
        let finished = try make("finished", pid: "101", host: "here")
        try store.updateRun(id: finished, status: .finished, endTime: 5)
        let report = try TrackingMaintenance.failDeadRuns(store: store, host: "here", isAlive: { $0 == 102 }, now: 42)
        #expect(report.failed.map(\.runId) == [dead])
        #expect(Set(report.skipped.map(\.runId)) == [alive, elsewhere, foreign])
        let d = try store.getRun(id: dead)
        #expect(d.info.status == .failed && d.info.endTime == 42)
        #expect(d.data.tag(TrackingMaintenance.errorTag) == "process 101 on here ended without finishing the run (marked FAILED by runs gc)")
        for id in [alive, elsewhere, foreign] { #expect(try store.getRun(id: id).info.status == .running) }
        #expect(try store.getRun(id: finished).info.status == .finished)
        // A second sweep finds nothing more to do.
        #expect(try TrackingMaintenance.failDeadRuns(store: store, host: "here", isAlive: { $0 == 102 }, now: 43).failed.isEmpty)
    }

    @Test func tablesForExperimentsRunsFilesAudit() {
        let e = Experiment(experimentId: "1", name: "churn", artifactLocation: "file:///x/1", lifecycleStage: .active,
                           creationTime: 1_700_000_000_000, lastUpdateTime: 0)
        #expect(TrackingTables.experiments([e], timeZone: utc) == """
            ID  NAME   STAGE   CREATED               ARTIFACT LOCATION
            --  -----  ------  --------------------  -----------------
             1  churn  active  2023-11-14T22:13:20Z  file:///x/1

            """)
        #expect(TrackingTables.files([FileInfo(path: "model", isDir: true, fileSize: nil),
                                      FileInfo(path: "a.csv", isDir: false, fileSize: 120)]) == """
            PATH    SIZE
            ------  ----
            model/
            a.csv    120

            """)
        let ev = AuditEvent(id: 7, timestamp: 1_700_000_000_000, actor: "alice", entityKind: .run, entityId: "ab",
                            action: .delete, details: "{}")
        #expect(TrackingTables.audit([ev], timeZone: utc).contains(" 7  2023-11-14T22:13:20Z  alice  run     ab         delete"))
    }

    @Test func auditEntryEmbedsDetailsAsJSON() throws {
        #expect(JSONValue.parse(#"{"a":[1,true,null,"x",0.5]}"#) == .object(["a": .array([.number(1), .bool(true), .null, .string("x"), .number(0.5)])]))
        #expect(JSONValue.parse("not json") == .string("not json"))
        let ev = AuditEvent(id: 3, timestamp: 9, actor: "alice", entityKind: .run, entityId: "ab", action: .logBatch,
                            details: #"{"metrics":2,"params":["l2"]}"#)
        let text = try TrackingJSON.text(TrackingJSON.AuditEntry(ev))
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(obj["entity_kind"] as? String == "run" && obj["entity_id"] as? String == "ab" && obj["action"] as? String == "log_batch")
        let details = try #require(obj["details"] as? [String: Any])
        #expect(details["metrics"] as? Int == 2 && details["params"] as? [String] == ["l2"])
    }
}
