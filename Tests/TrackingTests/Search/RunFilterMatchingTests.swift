import Testing
import Tracking

/// A tiny run for hand-computed matching cases.
struct TestRun: SearchableRun {
    var runID = "r"
    var runName: String? = "name"
    var status = "FINISHED"
    var userID: String? = "u"
    var artifactURI: String? = nil
    var startTime: Int64 = 0
    var endTime: Int64? = nil
    var metrics: [String: Double] = [:]
    var params: [String: String] = [:]
    var tags: [String: String] = [:]
    var datasetInputs: [SearchableDatasetInput] = []
    func latestMetric(_ key: String) -> Double? { metrics[key] }
    func param(_ key: String) -> String? { params[key] }
    func tag(_ key: String) -> String? { tags[key] }
}

@Suite struct RunFilterMatchingTests {
    func matches(_ filter: String, _ run: TestRun) throws -> Bool {
        try RunFilter.parse(filter).matches(run)
    }

    @Test func nanMetricSatisfiesOnlyNotEqual() throws {
        let run = TestRun(metrics: ["m": .nan])
        #expect(try matches("metrics.m != 0", run))
        for op in ["=", ">", ">=", "<", "<="] {
            #expect(try !matches("metrics.m \(op) 0", run), "\(op)")
        }
    }

    @Test func infiniteMetricsCompareAsIEEE() throws {
        let run = TestRun(metrics: ["up": .infinity, "down": -.infinity])
        #expect(try matches("metrics.up > 1e308 AND metrics.down < -1e308", run))
        #expect(try !matches("metrics.up < 0", run))
    }

    @Test func missingValuesMatchNothingButIsNull() throws {
        let run = TestRun(runName: nil, endTime: nil)
        #expect(try !matches("metrics.m != 1", run))
        #expect(try !matches("params.p != 'x'", run))
        #expect(try !matches("tags.t != 'x'", run))
        #expect(try matches("params.p IS NULL AND tags.t IS NULL", run))
        #expect(try !matches("attributes.end_time != 0", run))
        #expect(try !matches("attributes.run_name != 'x'", run))
        #expect(try !matches("datasets.name != 'x'", run))
    }

    @Test func equalityIsByteWise() throws {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        #expect(composed == decomposed)   // Swift says canonically equal…
        let run = TestRun(params: ["p": composed])
        #expect(try matches("params.p = '\(composed)'", run))
        #expect(try !matches("params.p = '\(decomposed)'", run))   // …search compares bytes, as SQLite does
        #expect(try matches("params.p != '\(decomposed)'", run))
        #expect(try !matches("attributes.run_id IN ('\(decomposed)')", TestRun(runID: composed)))
    }

    @Test func likeWildcardsAndNoEscapes() {
        let cases: [(String, String, Bool, Bool)] = [
            // pattern, text, LIKE, ILIKE
            ("a%", "abc", true, true),
            ("A%", "abc", false, true),
            ("%c", "abc", true, true),
            ("a_c", "abc", true, true),
            ("a_c", "ac", false, false),
            ("%", "", true, true),
            ("_", "", false, false),
            ("%b%", "abc", true, true),
            ("a%%c", "ac", true, true),
            ("a%c%e", "abxcyze", true, true),
            ("a%c%e", "abxcyz", false, false),
            ("50\\%", "50%", false, false),      // backslash is a literal character
            ("50\\%", "50\\ percent", true, true),
            ("a\\_b", "a\\_b", true, true),
            ("a\\_b", "a_b", false, false),
            ("_\u{E9}", "x\u{E9}", true, true),
            ("\u{C9}%", "\u{E9}t\u{E9}", false, true),
            ("%%%a", "bbba", true, true),
            ("abc", "abcd", false, false),
        ]
        for (pattern, text, like, ilike) in cases {
            #expect(LikePattern(pattern, caseInsensitive: false).matches(text) == like, "\(text) LIKE \(pattern)")
            #expect(LikePattern(pattern, caseInsensitive: true).matches(text) == ilike, "\(text) ILIKE \(pattern)")
        }
    }

    @Test func datasetClausesLookAtAnyInput() throws {
        let run = TestRun(datasetInputs: [
            SearchableDatasetInput(name: "a", digest: "d1", context: "training"),
            SearchableDatasetInput(name: "b", digest: "d2", context: nil),
        ])
        #expect(try matches("datasets.name = 'b' AND datasets.context = 'training'", run))
        #expect(try matches("datasets.context != 'eval'", run))
        #expect(try !matches("datasets.context = 'eval'", run))
        #expect(try matches("datasets.digest IN ('d2')", run))
    }

    @Test func numericAttributesCompareMilliseconds() throws {
        let run = TestRun(startTime: 1_700_000_000_123, endTime: 1_700_000_000_200)
        #expect(try matches("attributes.start_time = 1700000000123 AND created >= 1.7e12 AND end_time > 1700000000123.5", run))
    }
}
