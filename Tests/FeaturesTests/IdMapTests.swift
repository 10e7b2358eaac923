import Foundation
import GoldTables
import Testing
import TestSupport
@testable import Features
import Linalg

@Suite struct IdMapTests {
    @Test func integerIdsSortNumericallyAndStringIdsLexically() {
        let ints = IdMap(ids: ["10", "9", "100", "9", "-3"])
        #expect(ints.ids == ["-3", "9", "10", "100"])
        #expect(ints.integerIds)
        #expect(ints.index(of: "10") == 2)
        #expect(ints.index(of: "11") == nil)
        let strs = IdMap(ids: ["u10", "u9", "u1"])
        #expect(strs.ids == ["u1", "u10", "u9"])
        #expect(!strs.integerIds)
        #expect(strs.id(at: 2) == "u9")
        #expect(strs.id(at: 3) == nil && strs.id(at: -1) == nil)
    }

    /// Composed and decomposed "é" are two ids (bytes differ, as in the table and in pandas),
    /// found apart, kept apart by decoding and by Interactions.build.
    @Test func canonicallyEquivalentIdsStayDistinct() throws {
        let composed = "u\u{E9}", decomposed = "ue\u{301}"
        let map = IdMap(ids: [composed, decomposed, composed, "a"])
        #expect(map.count == 3)
        #expect(map.ids[0] == "a")
        let (i, j) = (try #require(map.index(of: composed)), try #require(map.index(of: decomposed)))
        #expect(i != j)
        #expect(Array(map.ids[i].utf8) == Array(composed.utf8) && Array(map.ids[j].utf8) == Array(decomposed.utf8))
        let back = try JSONDecoder().decode(IdMap.self, from: JSONEncoder().encode(map))
        #expect(back.index(of: composed) == i && back.index(of: decomposed) == j)
        let t = try Table([Column(Field("u", .string), data: .bytes(ByteArrayBuffer(strings: [composed, decomposed, composed]))),
                           Column(Field("i", .string), data: .bytes(ByteArrayBuffer(strings: ["x", "x", "y"])))])
        let m = try Interactions.build(from: t, user: "u", item: "i", weight: .count)
        #expect(m.users.count == 2 && m.matrix.nonZeros == 3)
    }

    /// The same ids in any order give the same map; it survives a JSON round trip.
    @Test func stableAcrossOrderAndCodable() throws {
        var g = SeededGenerator(seed: 3)
        let ids = (0 ..< 200).map { "item-\($0 % 77)" }
        let a = IdMap(ids: ids)
        let b = IdMap(ids: ids.shuffled(using: &g))
        #expect(a == b)
        let back = try JSONDecoder().decode(IdMap.self, from: JSONEncoder().encode(a))
        #expect(back == a)
        #expect(back.index(of: "item-5") == a.index(of: "item-5"))
        let dup = Data(#"{"ids":["a","a"],"integerIds":false}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(IdMap.self, from: dup) }
    }

    @Test func interactionsCheckShapes() throws {
        let m = try SparseMatrix<Float>(rows: 2, columns: 3, entries: [(0, 1, 1), (1, 2, 4)])
        _ = try Interactions(matrix: m, users: IdMap(ids: ["a", "b"]), items: IdMap(ids: ["x", "y", "z"]))
        #expect(throws: FeatureError.self) { try Interactions(matrix: m, users: IdMap(ids: ["a"]), items: IdMap(ids: ["x", "y", "z"])) }
    }
}
