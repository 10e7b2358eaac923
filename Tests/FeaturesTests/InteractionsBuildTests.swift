import Foundation
import GoldTables
import Linalg
import Testing
import TestSupport
@testable import Features

@Suite struct InteractionsBuildTests {
    static let path = TestPaths.packageRoot.appendingPathComponent("Experiments/gold/interactions").path

    /// Pair → (rows, sum of the column), computed from row values with plain dictionaries.
    static func reference(_ t: Table, user: String, item: String, column: String?) throws -> [String: [String: (Int, Double)]] {
        let u = try #require(t.column(named: user)), i = try #require(t.column(named: item))
        let w = try column.map { try #require(t.column(named: $0)) }
        var out: [String: [String: (Int, Double)]] = [:]
        for r in 0 ..< t.rowCount {
            func text(_ v: Value) -> String {
                switch v {
                case .string(let s): s
                case .int(let n): String(n)
                default: "?"
                }
            }
            var x: Double = 1
            if let w {
                switch w.value(at: r) {
                case .int(let n): x = Double(n)
                case .double(let d): x = d
                default: x = .nan
                }
            }
            let (n, s) = out[text(u.value(at: r)), default: [:]][text(i.value(at: r))] ?? (0, 0)
            out[text(u.value(at: r)), default: [:]][text(i.value(at: r))] = (n + 1, s + x)
        }
        return out
    }

    static func expectMatches(_ m: Interactions, _ ref: [String: [String: (Int, Double)]], _ pick: ((Int, Double)) -> Float) {
        #expect(m.users.count == ref.count)
        #expect(m.matrix.nonZeros == ref.values.reduce(0) { $0 + $1.count })
        for (user, row) in ref {
            guard let ui = m.users.index(of: user) else { Issue.record("user \(user) missing"); return }
            #expect(m.matrix.row(ui).columns.count == row.count)
            for (item, cell) in row {
                guard let ii = m.items.index(of: item) else { Issue.record("item \(item) missing"); return }
                #expect(m.matrix[ui, ii] == pick(cell), "\(user) \(item)")
            }
        }
    }

    @Test func shippedInteractionsAgainstADictionaryComputation() throws {
        let t = try GoldTable.open(Self.path).read()
        let plain = try Self.reference(t, user: "user_id", item: "item_id", column: nil)
        let itemCount = Set(plain.values.flatMap(\.keys)).count
        let ones = try Interactions.build(from: t, user: "user_id", item: "item_id", weight: .one)
        #expect(ones.items.count == itemCount)
        #expect(ones.users.ids == plain.keys.sorted())
        Self.expectMatches(ones, plain) { _ in 1 }
        let counts = try Interactions.build(from: t, user: "user_id", item: "item_id", weight: .count)
        Self.expectMatches(counts, plain) { Float($0.0) }
        for column in ["count", "rating"] {
            let summed = try Interactions.build(from: t, user: "user_id", item: "item_id", weight: .column(column))
            Self.expectMatches(summed, try Self.reference(t, user: "user_id", item: "item_id", column: column)) { Float($0.1) }
        }
        #expect(counts.matrix.values.reduce(0, +) == Float(t.rowCount))
    }

    @Test func integerIdsAndExistingMapsDropUnknownRows() throws {
        let t = try Table([
            int64s("u", [10, 2, 10, 7, 2]),
            int32s("i", [5, 5, 5, 1, 3], type: .int16),
            Column(Field("w", .float64), data: .double([0.5, 1, 2, 4, 8])),
        ])
        let m = try Interactions.build(from: t, user: "u", item: "i", weight: .column("w"))
        #expect(m.users.ids == ["2", "7", "10"] && m.items.ids == ["1", "3", "5"])
        #expect(m.matrix.dense().values == [0, 8, 1, 4, 0, 0, 0, 0, 2.5])
        // Apply the maps to a "test" table with an unseen user (99) and an unseen item (4).
        let test = try Table([int64s("u", [2, 99, 7, 7]), int32s("i", [1, 5, 4, 1], type: .int16)])
        let (applied, dropped) = try Interactions.build(from: test, user: "u", item: "i", weight: .count, users: m.users, items: m.items)
        #expect(dropped == 2)
        #expect(applied.users == m.users && applied.items == m.items)
        #expect(applied.matrix.dense().values == [1, 0, 0, 1, 0, 0, 0, 0, 0])
    }

    /// Weights are finite Doubles whose per-pair sum does not fit a Float: an error naming the
    /// column and the pair, not an infinite interaction value.
    @Test func weightSumsOutsideFloatRangeAreErrors() throws {
        let t = try Table([strings("u", ["a", "a", "b"]), strings("i", ["x", "x", "y"]),
                           Column(Field("w", .float64), data: .double([3e38, 3e38, 1]))])
        do {
            _ = try Interactions.build(from: t, user: "u", item: "i", weight: .column("w"))
            Issue.record("an infinite weight was stored")
        } catch let e as FeatureError {
            #expect(e.column == "w" && e.message.contains("user a, item x"))
        }
    }

    @Test func nullIdsAndBadColumnsAreErrors() throws {
        let t = try Table([strings("u", ["a", nil, "b"]), strings("i", ["x", "y", "z"]), strings("s", ["1", "2", "3"])])
        do {
            _ = try Interactions.build(from: t, user: "u", item: "i", weight: .one)
            Issue.record("null id accepted")
        } catch let e as FeatureError {
            #expect(e.column == "u" && e.message.contains("row 1"))
        }
        #expect(throws: FeatureError.self) { try Interactions.build(from: t, user: "i", item: "s", weight: .column("u")) }
        #expect(throws: FeatureError.self) { try Interactions.build(from: t, user: "i", item: "nope", weight: .one) }
        let nullWeight = try Table([strings("u", ["a", "b"]), strings("i", ["x", "y"]), int32s("w", [1, nil])])
        do {
            _ = try Interactions.build(from: nullWeight, user: "u", item: "i", weight: .column("w"))
            Issue.record("null weight accepted")
        } catch let e as FeatureError {
            #expect(e.column == "w" && e.message.contains("row 1"))
        }
    }
}
