import Foundation
import Testing
import Tracking

@Suite struct RunSearchTests {
    static let runs: [TestRun] = (0..<7).map { (i: Int) -> TestRun in
        let metrics: [String: Double] = i == 3 ? [:] : ["auc": Double(i) / 10]
        let start = Int64(100 - i % 3)
        return TestRun(runID: "r\(i)", startTime: start, metrics: metrics)
    }

    @Test func pagesThroughAllResultsInOrder() throws {
        var seen: [String] = []
        var token: String? = nil
        var pages = 0
        repeat {
            let search = try RunSearch(filter: nil, orderBy: ["metrics.auc DESC"], maxResults: 3, pageToken: token, scope: ["1"])
            let page = search.run(over: Self.runs)
            seen += page.runs.map(\.runID)
            token = page.nextPageToken
            pages += 1
        } while token != nil && pages < 10
        #expect(pages == 3)
        // auc 0.6 … 0.0 descending, r3 (no auc) last.
        #expect(seen == ["r6", "r5", "r4", "r2", "r1", "r0", "r3"])
    }

    @Test func lastPageHasNoToken() throws {
        let search = try RunSearch(filter: "metrics.auc > 0.45", orderBy: [], maxResults: 2, pageToken: nil, scope: [])
        let page = search.run(over: Self.runs)
        #expect(page.runs.map(\.runID).sorted() == ["r5", "r6"])
        #expect(page.nextPageToken == nil)
    }

    @Test func defaultOrderIsStartTimeDescThenRunID() throws {
        let sorted = Self.runs.sorted(by: RunOrdering().areInIncreasingOrder).map(\.runID)
        // start times: r0,r3,r6 = 100; r1,r4 = 99; r2,r5 = 98
        #expect(sorted == ["r0", "r3", "r6", "r1", "r4", "r2", "r5"])
    }

    @Test func tokenFromAnotherQueryIsRefused() throws {
        let first = try RunSearch(filter: "metrics.auc > 0", orderBy: [], maxResults: 1, pageToken: nil, scope: ["1"])
        let token = try #require(first.run(over: Self.runs).nextPageToken)
        // same query, written differently: accepted (canonical fingerprint)
        #expect(try RunSearch(filter: "metric.`auc`>0", orderBy: [], maxResults: 1, pageToken: token, scope: ["1"]).offset == 1)
        for (filter, order, scope) in [("metrics.auc > 1", [String](), ["1"]), ("metrics.auc > 0", ["params.x"], ["1"]), ("metrics.auc > 0", [], ["2"])] {
            #expect(throws: TrackingError.self) {
                try RunSearch(filter: filter, orderBy: order, maxResults: 1, pageToken: token, scope: scope)
            }
        }
    }

    @Test func alteredOrMalformedTokensAreRefused() throws {
        let fp = SearchPageToken.fingerprint(parts: ["q"])
        let token = SearchPageToken(offset: 10, fingerprint: fp).encoded
        #expect(try SearchPageToken.decode(token, expecting: fp).offset == 10)
        #expect(try SearchPageToken.decode(nil, expecting: fp).offset == 0)
        #expect(try SearchPageToken.decode("", expecting: fp).offset == 0)
        // edit the offset inside the JSON
        let json = String(decoding: try #require(Data(base64Encoded: token)), as: UTF8.self)
        let edited = Data(json.replacingOccurrences(of: "\"offset\":10", with: "\"offset\":11").utf8).base64EncodedString()
        #expect(edited != token)
        do {
            _ = try SearchPageToken.decode(edited, expecting: fp)
            Issue.record("edited token accepted")
        } catch let e as TrackingError {
            #expect(e.message.contains("altered"))
        }
        // MLflow's own token shape, garbage, and non-base64
        for bad in ["eyJvZmZzZXQiOiAxfQ==", "bm90IGpzb24=", "%%%"] {
            #expect(throws: TrackingError.self, "\(bad)") { try SearchPageToken.decode(bad, expecting: fp) }
        }
    }

    @Test func maxResultsBounds() throws {
        #expect(try RunSearch.validateMaxResults(nil) == 1000)
        #expect(try RunSearch.validateMaxResults(50000) == 50000)
        for bad in [0, -1, 50001] {
            do {
                _ = try RunSearch.validateMaxResults(bad)
                Issue.record("\(bad) accepted")
            } catch let e as TrackingError {
                #expect(e.message.contains("Invalid value \(bad) for parameter 'max_results' supplied"))
            }
        }
    }

    @Test func orderByErrors() {
        let cases: [([String], String)] = [
            (["metrics.auc DOWN"], "Invalid ordering key in order_by clause 'metrics.auc DOWN'"),
            (["metrics.auc DESC ASC"], "unexpected 'ASC' at position 17"),
            (["foo.auc"], "Invalid entity type 'foo'"),
            (["attributes.nosuch"], "Invalid attribute key 'nosuch'"),
            (["attributes.`run name`"], "Invalid attribute key 'run name'"),
            (["datasets.name"], "Invalid identifier type 'dataset'"),
            (["metrics.auc", "metric.auc DESC"], "duplicate fields"),
            (["created", "start_time DESC"], "duplicate fields"),
            ([""], "it is empty"),
            (["'x'"], "expected an identifier at position 0"),
        ]
        for (items, message) in cases {
            do {
                let o = try RunOrdering.parse(items)
                Issue.record("\(items) parsed as \(o)")
            } catch let e as TrackingError {
                #expect(e.message.contains(message), "\(items): \(e.message)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func orderByStartTimeReplacesTheImplicitOne() throws {
        let o = try RunOrdering.parse(["attributes.created ASC"])
        #expect(o.effectiveKeys.map(\.description) == ["attribute.`start_time` ASC", "attribute.`run_id` ASC"])
        let d = try RunOrdering.parse(["tags.`a b` desc"])
        #expect(d.effectiveKeys.map(\.description) == ["tag.`a b` DESC", "attribute.`start_time` DESC", "attribute.`run_id` ASC"])
    }
}
