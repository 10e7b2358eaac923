import Testing
import Tracking

@Suite struct RunFilterParserTests {
    /// Invalid filters and a substring of the error (each also names a position or the token).
    static let invalid: [(String, String)] = [
        ("metrics.auc > 0.8 OR params.l2 = '1.0'", "Invalid clause(s) in filter string: 'OR'"),
        ("metrics.auc > 0.8 OR params.l2 = '1.0'", "position 18"),
        ("(metrics.auc > 0.8)", "parentheses are not supported"),
        ("metrics.auc > '0.8'", "Expected numeric value type for metric. Found '0.8'"),
        ("metrics.auc > +0.8", "unexpected character '+' at position 14"),
        ("metrics.auc LIKE 1", "Invalid comparator 'LIKE'"),
        ("metrics.auc IS NULL", "IS NULL / IS NOT NULL is only supported for tags and params, not for 'metric' 'auc'"),
        ("metrics.auc == 1", "Invalid comparator '=='"),
        ("metrics.auc <> 1", "Invalid comparator '<>'"),
        ("metrics.auc ! 1", "did you mean '!='"),
        ("metrics.train-loss < 1", "unexpected character '-' at position 13"),
        ("metrics.auc > 1abc", "malformed number '1a' at position 14"),
        ("metrics. > 1", "expected a key after 'metrics.' at position 8"),
        ("params.l2 = 1.0", "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 1.0"),
        ("params.l2 = abc", "Got value abc"),
        ("params.l2 = `1.0`", "Got value `1.0`"),
        ("params.l2 > '1.0'", "Invalid comparator '>'"),
        ("params.l2 IN ('1.0')", "Only ['run_id'] attributes support comparison with a list"),
        ("params.l2 NOT LIKE 'x'", "Expected IN after NOT, found 'LIKE'"),
        ("params.l2 IS", "expected NULL or NOT NULL after IS at the end of the filter"),
        ("params.l2 IS NOT", "expected NULL after IS NOT"),
        ("params.l2 IS NOT 'x'", "Expected NULL after IS NOT, found ''x''"),
        ("tags.team = 'growth", "unterminated quoted text 'growth starting at position 12"),
        ("tags.`team = 'x'", "unterminated quoted text"),
        ("attributes.status IN ('FINISHED')", "Only ['run_id'] attributes"),
        ("attributes.status IS NULL", "not for 'attribute' 'status'"),
        ("attributes.status > 'A'", "Invalid comparator '>'"),
        ("attributes.lifecycle_stage = 'active'", "Invalid attribute key 'lifecycle_stage'"),
        ("experiment_id = '1'", "Invalid attribute key 'experiment_id'"),
        ("attributes.start_time = '1000'", "Expected numeric value type for numeric attribute: start_time"),
        ("attributes.start_time LIKE 1", "Invalid comparator 'LIKE'"),
        ("attributes.run_id IN ()", "expected a non-empty list of string values, but got empty list"),
        ("attributes.run_id IN (1, 2)", "expected string value, punctuation, or whitespace, but got '1'"),
        ("attributes.run_id IN ('a' 'b')", "expected ',' or ')', found ''b''"),
        ("attributes.run_id IN 'r1'", "Expected a parenthesised list of quoted strings after IN"),
        ("attributes.run_id IN ('a'", "at the end of the filter"),
        ("datasets.foo = 'x'", "Invalid dataset key 'foo'"),
        ("datasets.name > 'a'", "Invalid comparator '>'"),
        ("datasets.name = 1", "Expected a quoted string value for dataset attributes"),
        ("foo.bar = 'x'", "Invalid entity type 'foo'"),
        ("METRICS.auc > 1", "Invalid entity type 'METRICS'"),
        ("metrics.auc > 0.8 params.l2 = '1.0'", "Invalid clause(s) in filter string: 'params.l2'"),
        ("metrics.auc > 0.8; params.l2 = '1.0'", "unexpected character ';' at position 17"),
        ("metrics.auc > 0.8 AND", "'AND' at position 18 is not followed by a clause"),
        ("AND metrics.auc > 0.8", "Invalid clause(s) in filter string: 'AND'"),
        ("metrics.auc", "expected a comparator after 'metrics.auc' at the end of the filter"),
        ("metrics.auc >", "expected a value after '>'"),
        ("metrics.auc > 1 AND AND metrics.x > 1", "Invalid clause(s) in filter string: 'AND'"),
        ("metrics.auc > 1 AND AND metrics.x > 1", "at position 20 "),
        ("params.l2 = 1.0", "at position 12 "),
        ("'x' = 'y'", "Invalid clause(s) in filter string: ''x''"),
    ]

    @Test(arguments: invalid)
    func invalidFiltersNameTheProblem(filter: String, message: String) {
        do {
            let parsed = try RunFilter.parse(filter)
            Issue.record("\(filter) parsed as \(parsed)")
        } catch let error as TrackingError {
            #expect(error.code == .invalidParameterValue)
            #expect(error.message.contains(message), "\(filter): \(error.message)")
        } catch {
            Issue.record("\(filter): unexpected \(error)")
        }
    }

    @Test func numbersAsMLflowWritesThem() throws {
        let cases: [(String, Double)] = [
            ("1e3", 1000), ("1E3", 1000), ("-0.5", -0.5), (".5", 0.5), ("5.", 5), ("1e-3", 0.001),
            ("-.25", -0.25), ("2.5E+2", 250), ("0", 0), ("-0", 0), ("123456789012", 123_456_789_012),
        ]
        for (text, value) in cases {
            let f = try RunFilter.parse("metrics.m >= \(text)")
            #expect(f.clauses == [RunFilterClause(entity: .metric, key: "m", comparator: .greaterThanOrEqual, value: .number(value))], "\(text)")
        }
        // an exponent without digits is not part of the number: '1e' is malformed.
        #expect(throws: TrackingError.self) { try RunFilter.parse("metrics.m > 1e") }
    }

    @Test func keywordsAreCaseInsensitiveEntitiesAndKeysAreNot() throws {
        let f = try RunFilter.parse("tags.T like 'a%' aNd params.P iLiKe 'b' AND attributes.run_id nOt In ('x') and params.q Is NoT nUlL")
        #expect(f.clauses.map(\.comparator) == [.like, .ilike, .notIn, .isNotNull])
        #expect(f.clauses.map(\.key) == ["T", "P", "run_id", "q"])
    }

    @Test func quotedKeysAndValues() throws {
        let f = try RunFilter.parse(#"tags.`a.b c` = "it's" AND params."x-y" = 'say "hi"' AND tags.'k' != 'it''s'"#)
        #expect(f.clauses == [
            RunFilterClause(entity: .tag, key: "a.b c", comparator: .equal, value: .string("it's")),
            RunFilterClause(entity: .parameter, key: "x-y", comparator: .equal, value: .string(#"say "hi""#)),
            // MLflow keeps the inside of a quoted value verbatim: the doubled quote stays doubled.
            RunFilterClause(entity: .tag, key: "k", comparator: .notEqual, value: .string("it''s")),
        ])
        #expect(try RunFilter.parse("`metrics`.auc > 1").clauses.first?.entity == .metric)
    }

    @Test func emptyAndBlankFiltersMatchEverything() throws {
        #expect(try RunFilter.parse("") == RunFilter())
        #expect(try RunFilter.parse("  \n\t ") == RunFilter())
    }

    @Test func attributeAliasesAreCanonical() throws {
        let f = try RunFilter.parse("attributes.created > 5 AND `Run Name` = 'x' AND run.`run name` LIKE 'y' AND attr.end_time < 9.5")
        #expect(f.clauses.map(\.key) == ["start_time", "run_name", "run_name", "end_time"])
        #expect(f.clauses[3].value == .number(9.5))
    }

    @Test func inListsAcceptTrailingCommaAndEitherQuote() throws {
        let f = try RunFilter.parse(#"run_id IN ('a', "b",) AND datasets.digest NOT IN ('d')"#)
        #expect(f.clauses[0].value == .list(["a", "b"]))
        #expect(f.clauses[1] == RunFilterClause(entity: .dataset, key: "digest", comparator: .notIn, value: .list(["d"])))
    }
}
