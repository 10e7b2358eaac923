import Foundation
import GoldTables
import Linalg
import Testing
@testable import Features

/// Strict scoring of categories (`UnknownCategoryPolicy.reject`): what fit records, what the row
/// and table paths accept and refuse, and that bucket mode is unchanged.
@Suite struct StrictCategoriesTests {
    /// x: numeric; s: a×3, b×2 kept, r×1 infrequent, one null (too rare to be a category);
    /// n: 3×3, 10×2 kept, 7×1 infrequent, one null. Features: x, s=a, s=b, s=__unknown__, n=3,
    /// n=10, n=__unknown__.
    static func fitted() throws -> FittedPipeline {
        let t = try Table([
            Column(Field("x", .float64), data: .double([1, 2, 3, 4, 5, 6, 7])),
            strings("s", ["a", "a", "b", "b", "r", nil, "a"]),
            int64s("n", [10, 10, 7, 3, 3, 3, nil]),
        ])
        return try FeaturePipeline(FeatureSpec(numeric: [NumericFeatureSpec(column: "x")], categorical: [
            CategoricalFeatureSpec(column: "s", minFrequency: 2),
            CategoricalFeatureSpec(column: "n", minFrequency: 2),
        ])).fit(t)
    }

    static let unknownS = "unknown category 'two-year' (not seen when the model was trained; known: a, b; 1 rarer one shared by s=__unknown__)"

    func bits(_ m: Matrix<Double>) -> [UInt64] { m.values.map(\.bitPattern) }

    @Test func fitRecordsTheInfrequentCategories() throws {
        let g = try Self.fitted()
        #expect(g.featureNames == ["x", "s=a", "s=b", "s=__unknown__", "n=3", "n=10", "n=__unknown__"])
        #expect(g.categorical.map(\.categories) == [["a", "b"], ["3", "10"]])
        #expect(g.categorical.map(\.infrequent) == [["r"], ["7"]])
        // min_frequency 1 keeps every category: nothing is infrequent. Sorted like the categories.
        let all = try FeaturePipeline(FeatureSpec(categorical: [CategoricalFeatureSpec(column: "s", minFrequency: 1),
                                                                CategoricalFeatureSpec(column: "n", minFrequency: 3)]))
            .fit(Table([strings("s", ["b", "a"]), int64s("n", [100, 9])]))
        #expect(all.categorical.map(\.infrequent) == [[], ["9", "100"]])
    }

    @Test func rowPathRejectsOnlyUnseenCategories() throws {
        let g = try Self.fitted()
        // Kept, infrequent and null values score as in bucket mode, bit for bit.
        let accepted: [[String: FeatureValue]] = [["x": 1, "s": "a", "n": 10], ["x": 1, "s": "r", "n": 7], ["x": 1, "s": nil]]
        let expected: [[Double]] = [[1, 1, 0, 0, 0, 1, 0], [1, 0, 0, 1, 0, 0, 1], [1, 0, 0, 1, 0, 0, 1]]
        for (row, want) in zip(accepted, expected) {
            #expect(try g.transform(row: row, unknownCategories: .reject) == want)
            #expect(try g.transform(row: row) == want)
        }
        // An unseen string: the column and value named, the known categories listed.
        #expect(throws: FeatureError(column: "s", Self.unknownS)) {
            try g.transform(row: ["x": 1, "s": "two-year", "n": 3], unknownCategories: .reject)
        }
        #expect(throws: FeatureError(column: "n", "unknown category '42' (not seen when the model was trained; known: 3, 10; 1 rarer one shared by n=__unknown__)")) {
            try g.transform(row: ["s": "a", "n": 42], unknownCategories: .reject)
        }
        // Bucket mode (the default) still sends it to __unknown__.
        #expect(try g.transform(row: ["x": 1, "s": "two-year", "n": 42]) == [1, 0, 0, 1, 0, 0, 1])
        #expect(try g.transform(row: ["x": 1, "s": "two-year", "n": 42], unknownCategories: .bucket) == [1, 0, 0, 1, 0, 0, 1])
        // Several rows: the row is named too.
        #expect(throws: FeatureError(column: "s", "row 1: " + Self.unknownS)) {
            try g.transform(rows: [["s": "a"], ["s": "two-year"]], unknownCategories: .reject)
        }
        #expect(try g.transform(json: Data(#"{"x": 1, "s": "r"}"#.utf8), unknownCategories: .reject) == [1, 0, 0, 1, 0, 0, 1])
        // A wrong type is the same error as before.
        #expect(throws: FeatureError.self) { try g.transform(row: ["s": 3], unknownCategories: .reject) }
    }

    @Test func tablePathNamesTheRow() throws {
        let g = try Self.fitted()
        let later = try Table([
            Column(Field("x", .float64), data: .double([1, 1, 1, 1])),
            strings("s", ["a", "r", nil, "two-year"]),
            int64s("n", [10, 7, nil, 3]),
        ])
        #expect(throws: FeatureError(column: "s", "row 3: " + Self.unknownS)) { try g.transform(later, unknownCategories: .reject) }
        let badInteger = try Table([Column(Field("x", .float64), data: .double([1, 1])), strings("s", ["a", "b"]), int64s("n", [10, 42])])
        #expect(throws: FeatureError(column: "n", "row 1: unknown category '42' (not seen when the model was trained; known: 3, 10; 1 rarer one shared by n=__unknown__)")) {
            try g.transform(badInteger, unknownCategories: .reject)
        }
        // Bucket mode: hand-computed, identical through the old and the new entry point.
        let want: [Double] = [1, 1, 0, 0, 0, 1, 0,
                              1, 0, 0, 1, 0, 0, 1,
                              1, 0, 0, 1, 0, 0, 1,
                              1, 0, 0, 1, 1, 0, 0]
        #expect(bits(try g.transform(later)) == want.map(\.bitPattern))
        #expect(bits(try g.transform(later, unknownCategories: .bucket)) == want.map(\.bitPattern))

        // Dictionary-encoded: an unseen entry used only by a null row is no error.
        let dict = ByteArrayBuffer(strings: ["two-year", "a", "r"])
        func table(_ validity: [Bool]) throws -> Table {
            try Table([Column(Field("x", .float64), data: .double([1, 1, 1, 1])),
                       Column(Field("s", .string), data: .dictionary(indices: [1, 2, 0, 1], dictionary: dict), validity: validity),
                       int64s("n", [3, 3, 3, 3])])
        }
        let nullRow = try table([true, true, false, true])
        let strictBits = bits(try g.transform(nullRow, unknownCategories: .reject))
        #expect(strictBits == bits(try g.transform(nullRow)))
        #expect(strictBits == [1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0].map { Double($0).bitPattern })
        #expect(throws: FeatureError(column: "s", "row 2: " + Self.unknownS)) {
            try g.transform(table([true, true, true, true]), unknownCategories: .reject)
        }
    }

    /// Row and table paths give the same bits in strict mode, and the same as bucket mode.
    @Test func strictRowsEqualStrictTable() throws {
        let g = try Self.fitted()
        let xs: [Double] = [0.5, -2, 3, 1e-3, 7]
        let ss: [String?] = ["a", "r", nil, "b", "a"]
        let ns: [Int64?] = [7, nil, 3, 10, 7]
        let t = try Table([Column(Field("x", .float64), data: .double(xs)), strings("s", ss), int64s("n", ns)])
        let rows: [[String: FeatureValue]] = (0 ..< xs.count).map { i in
            ["x": .number(xs[i]), "s": ss[i].map { .string($0) } ?? .null, "n": ns[i].map { .number(Double($0)) } ?? .null]
        }
        let table = bits(try g.transform(t, unknownCategories: .reject))
        #expect(table == bits(try g.transform(rows: rows, unknownCategories: .reject)))
        #expect(table == bits(try g.transform(t)))
    }

    @Test func knownListIsShortened() throws {
        let names = (0 ..< 12).map { "c\($0 < 10 ? "0" : "")\($0)" }
        let g = try FeaturePipeline(FeatureSpec(categorical: [CategoricalFeatureSpec(column: "c")])).fit(Table([strings("c", names)]))
        let long = String(repeating: "z", count: 100)
        #expect(throws: FeatureError(column: "c", "unknown category '\(String(repeating: "z", count: 80))…' (not seen when the model was trained; known: c00, c01, c02, c03, c04, c05, c06, c07, c08, c09, … (12 in all))")) {
            try g.transform(row: ["c": .string(long)], unknownCategories: .reject)
        }
    }

    /// A package written before infrequent categories were recorded decodes and scores as before.
    @Test func stateWithoutInfrequentStillDecodes() throws {
        let g = try Self.fitted()
        let data = try JSONEncoder().encode(g)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var blocks = try #require(object["categorical"] as? [[String: Any]])
        #expect(blocks.map { $0["infrequent"] as? [String] } == [["r"], ["7"]])
        #expect(try JSONDecoder().decode(FittedPipeline.self, from: data) == g)
        for i in blocks.indices { blocks[i]["infrequent"] = nil }
        object["categorical"] = blocks
        let old = try JSONDecoder().decode(FittedPipeline.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.categorical.map(\.infrequent) == [nil, nil])
        #expect(old.categoricalColumnsWithoutInfrequent == ["s", "n"] && g.categoricalColumnsWithoutInfrequent.isEmpty)
        #expect(old.featureNames == g.featureNames)
        // Unknown infrequent categories: strict mode cannot tell rare from unseen, so it buckets.
        let row: [String: FeatureValue] = ["x": 1, "s": "two-year", "n": 42]
        #expect(try old.transform(row: row, unknownCategories: .reject) == [1, 0, 0, 1, 0, 0, 1])
        let t = try Table([Column(Field("x", .float64), data: .double([1])), strings("s", ["two-year"]), int64s("n", [42])])
        #expect(bits(try old.transform(t, unknownCategories: .reject)) == bits(try g.transform(t)))

        // With min_frequency 1 nothing is infrequent, so an old state is strict all the same.
        let all = try FeaturePipeline(FeatureSpec(categorical: [CategoricalFeatureSpec(column: "s")])).fit(Table([strings("s", ["a", "b"])]))
        var o = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(all)) as? [String: Any])
        var b = try #require(o["categorical"] as? [[String: Any]])
        b[0]["infrequent"] = nil
        o["categorical"] = b
        let oldAll = try JSONDecoder().decode(FittedPipeline.self, from: JSONSerialization.data(withJSONObject: o))
        #expect(oldAll.categorical[0].infrequent == [] && oldAll.categoricalColumnsWithoutInfrequent.isEmpty)
        #expect(throws: FeatureError.self) { try oldAll.transform(row: ["s": "c"], unknownCategories: .reject) }
    }

    @Test func damagedInfrequentStateIsRefused() throws {
        func make(_ type: DataType, _ infrequent: [String]) throws -> FittedCategorical {
            try FittedCategorical(column: "c", type: type, categories: type == .string ? ["a", "b"] : ["1", "2"],
                                  nullCategory: false, infrequent: infrequent)
        }
        #expect(try make(.string, ["r"]).infrequent == ["r"])
        for (type, bad) in [(DataType.string, ["a"]), (.string, ["r", "r"]), (.string, ["__unknown__"]), (.string, ["__null__"]),
                            (.int64, ["x"]), (.int64, ["02"]), (.int64, ["3", "3"])] {
            #expect(throws: FeatureError.self, "\(type) \(bad)") { try make(type, bad) }
        }
        #expect(throws: FeatureError.self) { try make(.string, (0 ... FittedCategorical.maxInfrequent).map { "r\($0)" }) }
        // In a package: a decoding error.
        let g = try Self.fitted()
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(g)) as? [String: Any])
        var blocks = try #require(object["categorical"] as? [[String: Any]])
        blocks[0]["infrequent"] = ["a"]
        object["categorical"] = blocks
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FittedPipeline.self, from: JSONSerialization.data(withJSONObject: object))
        }
    }

    /// More infrequent categories than the cap: none recorded, and strict mode buckets the column.
    @Test func tooManyInfrequentCategoriesRecordNone() throws {
        let n = FittedCategorical.maxInfrequent + 2  // all but 7 once: one more than the cap
        let values = (0 ..< Int64(n)).map { Optional($0) } + [7]
        let g = try FeaturePipeline(FeatureSpec(categorical: [CategoricalFeatureSpec(column: "id", minFrequency: 2)]))
            .fit(Table([int64s("id", values)]))
        #expect(g.categorical[0].categories == ["7"])
        #expect(g.categorical[0].infrequent == nil)
        #expect(try g.transform(row: ["id": -5], unknownCategories: .reject) == [0, 1])
    }
}
