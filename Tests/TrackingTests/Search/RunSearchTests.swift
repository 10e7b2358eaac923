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
            let search = try RunSearch(filter: nil, orderBy: ["metrics.auc DESC"], maxResults: 3, pageToken: token)
            let page = search.run(over: Self.runs)
            seen += page.items.map(\.runID)
            token = page.nextPageToken
            pages += 1
        } while token != nil && pages < 10
        #expect(pages == 3)
        // auc 0.6 … 0.0 descending, r3 (no auc) last.
        #expect(seen == ["r6", "r5", "r4", "r2", "r1", "r0", "r3"])
    }

    @Test func lastPageHasNoToken() throws {
        let search = try RunSearch(filter: "metrics.auc > 0.45", orderBy: [], maxResults: 2, pageToken: nil)
        let page = search.run(over: Self.runs)
        #expect(page.items.map(\.runID).sorted() == ["r5", "r6"])
        #expect(page.nextPageToken == nil)
    }

    @Test func defaultOrderIsStartTimeDescThenRunID() throws {
        let sorted = Self.runs.sorted(by: RunOrdering().areInIncreasingOrder).map(\.runID)
        // start times: r0,r3,r6 = 100; r1,r4 = 99; r2,r5 = 98
        #expect(sorted == ["r0", "r3", "r6", "r1", "r4", "r2", "r5"])
    }

    @Test func tokensAreMLflows() throws {
        // Byte for byte what MLflow's stores make: base64 of json.dumps({"offset": N}).
        #expect(SearchPageToken(offset: 5).encoded == "eyJvZmZzZXQiOiA1fQ==")
        #expect(SearchPageToken(offset: 1000).encoded == Data(#"{"offset": 1000}"#.utf8).base64EncodedString())
        let first = try RunSearch(filter: "metrics.auc > 0", orderBy: [], maxResults: 1, pageToken: nil)
        let token = try #require(first.run(over: Self.runs).nextPageToken)
        #expect(token == SearchPageToken(offset: 1).encoded)
        #expect(try RunSearch(filter: "metric.`auc`>0", orderBy: [], maxResults: 1, pageToken: token).offset == 1)
        // MLflow reads any JSON object with an integer offset (also a string of one, via int()).
        for (json, offset) in [(#"{"offset":7}"#, 7), (#"{"offset": "12", "other": true}"#, 12), (#"{"offset": 0}"#, 0)] {
            #expect(try SearchPageToken.decode(Data(json.utf8).base64EncodedString()).offset == offset, "\(json)")
        }
        #expect(try SearchPageToken.decode(nil).offset == 0)
        #expect(try SearchPageToken.decode("").offset == 0)
        // Past the end: an empty last page.
        let past = try RunSearch(filter: nil, orderBy: [], maxResults: 5, pageToken: SearchPageToken(offset: 99).encoded).run(over: Self.runs)
        #expect(past.items.isEmpty && past.nextPageToken == nil)
    }

    @Test func malformedTokensAreRefused() throws {
        let bad = ["bm90IGpzb24=", "%%%", "eyJmb28iOiAxfQ==", "not-a-token!"]
            + [#"{"offset": -1}"#, #"{"offset": 1.5}"#, #"{"offset": "x"}"#, #"[1]"#, #"{"offset": null}"#].map { Data($0.utf8).base64EncodedString() }
        for token in bad {
            do {
                _ = try SearchPageToken.decode(token)
                Issue.record("\(token) accepted")
            } catch let e as TrackingError {
                #expect(e.code == .invalidParameterValue)
                #expect(e.message.contains("Invalid page token '\(token)'"), "\(e.message)")
            }
        }
    }

    @Test func pagesAnInMemoryList() throws {
        let items = Array(0 ..< 7)
        var got: [Int] = [], token: String? = nil
        repeat {
            let page = try SearchPageToken.page(items, maxResults: 3, pageToken: token)
            got += page.items
            token = page.nextPageToken
        } while token != nil
        #expect(got == items)
        #expect(throws: TrackingError.self) { try SearchPageToken.page(items, maxResults: 0, pageToken: nil) }
        #expect(throws: TrackingError.self) { try SearchPageToken.page(items, maxResults: 3, pageToken: "%%%") }
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
