import GoldTables
import Testing
@testable import Experiments

@Suite struct RowFilterTests {
    /// 6 rows; nulls in every column.
    static func table() throws -> Table {
        try Table([
            Column(Field("id", .int64), data: .int64([1, 2, 3, 4, 5, 6]), validity: [true, true, true, true, true, false]),
            Column(Field("score", .float64), data: .double([0.5, 2.5, .nan, 1.0, 0, 3]), validity: [true, true, true, true, false, true]),
            Column(Field("region", .string), data: .bytes(ByteArrayBuffer(strings: ["north", "south", "", "North", "east", "north"])),
                   validity: [true, true, false, true, true, true]),
            Column(Field("active", .bool), data: .bool([true, false, true, false, true, false]), validity: [true, true, true, false, true, true]),
            Column(Field("day", .date), data: .int32([19723, 19724, 19725, 0, 19800, 19722]), validity: [true, true, true, false, true, true]),
            Column(Field("price", .decimal(precision: 6, scale: 2)), data: .decimal([150, 250, 99, 100, 0, 1000]),
                   validity: [true, true, true, true, false, true]),
            Column(Field("ts", .timestamp(unit: .microseconds, utc: true)),
                   data: .int64([0, 86_400_000_000, -1, 1_000_000, 0, 0]), validity: [true, true, true, true, true, false]),
        ])
    }

    static let cases: [(String, [Bool])] = [
        ("id > 2", [false, false, true, true, true, false]),              // row 6 id null
        ("id != 2", [true, false, true, true, true, false]),
        ("id >= 2.5", [false, false, true, true, true, false]),           // non-integral literal, as Double
        ("score < 2", [true, false, false, true, false, false]),          // NaN and null fail
        ("score != 1", [true, true, true, false, false, true]),           // NaN != 1 holds; null does not
        ("score is null", [false, false, false, false, true, false]),
        ("region = 'north'", [true, false, false, false, false, true]),   // byte-wise, case-sensitive
        ("region < 'n'", [false, false, false, true, true, false]),       // "North" < "n" byte-wise, "east" < "n"
        ("region is not null and region != 'east'", [true, true, false, true, false, true]),
        ("active = true", [true, false, true, false, true, false]),
        ("ACTIVE = false AND id < 6", [false, true, false, false, false, false]),
        ("day >= '2024-01-02'", [false, true, true, false, true, false]), // 19723 = 2024-01-01
        ("day < '2024-01-01T12:00:00Z'", [true, false, false, false, false, true]),
        ("price > 1.5", [false, true, false, false, false, true]),       // 1.50 is not > 1.5
        ("price <= 1", [false, false, true, true, false, false]),
        ("ts >= '1970-01-02'", [false, true, false, false, false, false]),
        ("ts < '1970-01-01T00:00:01Z'", [true, false, true, false, true, false]),  // -1 µs is before the epoch
        ("\"id\" == 3", [false, false, true, false, false, false]),
        ("id <> 3 and score is not null and region = 'north'", [true, false, false, false, false, false]),  // row 6: id null
    ]

    @Test func masksMatchHandComputedRows() throws {
        let t = try Self.table()
        for (text, expected) in Self.cases {
            let f = try RowFilter(text)
            #expect(try f.mask(t) == expected, "\(text)")
        }
        let kept = try RowFilter("id <= 2").apply(t)
        #expect(kept.rowCount == 2)
        #expect(kept.column(named: "region")?.value(at: 1) == .string("south"))
    }

    @Test func parsesIntoTheAST() throws {
        let f = try RowFilter("a >= -1.5e2 and b is not null and c = 'it''s' and d != TRUE")
        #expect(f.conditions == [
            .compare(column: "a", op: .ge, literal: .number("-1.5e2")),
            .isNull(column: "b", negated: true),
            .compare(column: "c", op: .eq, literal: .string("it's")),
            .compare(column: "d", op: .ne, literal: .bool(true)),
        ])
        #expect(f.columns == ["a", "b", "c", "d"])
    }

    @Test func parseErrorsNameTheToken() {
        let bad: [(String, String)] = [
            ("", "empty"),
            ("a ~ 3", "'~'"),
            ("a = ", "expected a value"),
            ("a 3", "at '3'"),
            ("a = 1 b = 2", "expected 'and' at 'b'"),
            ("a = 'open", "unterminated"),
            ("a is nul", "'nul'"),
            ("and = 1", "expected a column at 'and'"),
            ("a = 1 or b = 2", "'or'"),
            ("a = 1.2.3", "bad number"),
        ]
        for (text, says) in bad {
            do {
                _ = try RowFilter(text)
                Issue.record("accepted \(text)")
            } catch let e as ExperimentError {
                #expect(e.field == "source.filter")
                #expect(e.message.contains(says), "\(text): \(e.message)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func evaluationErrorsNameTheColumn() throws {
        let t = try Self.table()
        let bad: [(String, String)] = [
            ("missing = 1", "no column 'missing'"),
            ("region > 3", "column 'region' is string"),
            ("id = 'x'", "column 'id' is int64"),
            ("active < true", "= or != only"),
            ("day > 'soon'", "'soon' is not a date"),
        ]
        for (text, says) in bad {
            #expect {
                try RowFilter(text).mask(t)
            } throws: { e in
                guard let e = e as? ExperimentError else { return false }
                return e.field == "source.filter" && e.message.contains(says)
            }
        }
    }
}

@Suite struct RowFilterOnSampleTests {
    @Test func filterOnTheCustomersTableMatchesARowLoop() throws {
        let spec = try ExperimentSpec.load(path: ShippedSpecTests.experiments + "/churn.yaml",
                                           overrides: ["source.filter=region is not null and tenure_months >= 12 and contract != 'month-to-month'"])
        let table = try GoldTable.open(spec.tablePath, version: spec.source.version).read(columns: spec.requiredColumns)
        let mask = try #require(spec.source.filter).mask(table)
        var expected = 0
        let region = try #require(table.column(named: "region")), tenure = try #require(table.column(named: "tenure_months"))
        let contract = try #require(table.column(named: "contract"))
        for r in 0 ..< table.rowCount {
            guard case .string(let c) = contract.value(at: r), !region.value(at: r).isNull else { continue }
            let t: Int64? = switch tenure.value(at: r) { case .int(let v): v; default: nil }
            if let t, t >= 12, c != "month-to-month" { expected += 1 }
        }
        #expect(mask.count == table.rowCount)
        #expect(mask.filter { $0 }.count == expected)
        #expect(expected > 0 && expected < table.rowCount)
    }
}
