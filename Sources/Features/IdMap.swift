/// A stable two-way map between external ids (user or item ids as they appear in a Gold table,
/// rendered as strings) and dense indexes `0 ..< count`. Indexes follow the sorted order of the
/// ids (numerically when every id is an integer), so the same set of ids always gets the same
/// indexes whatever order the rows came in.
///
/// ```swift
/// let users = IdMap(ids: ["u7", "u10", "u7"])   // ["u10", "u7"]
/// users.index(of: "u7")                         // 1
/// users.id(at: 0)                               // "u10"
/// ```
///
/// Ids are told apart by their UTF-8 bytes, as the tables and the peers (pandas, implicit) do:
/// the composed and decomposed spellings of "é", equal under Swift's `==`, are two ids.
public struct IdMap: Sendable, Hashable, Codable {
    /// The ids in index order.
    public let ids: [String]
    /// True when every id parsed as an integer (they sort numerically then).
    public let integerIds: Bool
    private let lookup: [Key: Int]

    /// An id compared by its bytes (String's `==` and hashing use canonical equivalence).
    private struct Key: Hashable, Sendable {
        let bytes: [UInt8]
        init(_ id: String) { bytes = Array(id.utf8) }
    }

    /// Builds from ids in any order (duplicates collapse).
    public init(ids: some Sequence<String>) {
        var seen = Set<Key>()
        var unique: [String] = []
        for id in ids where seen.insert(Key(id)).inserted { unique.append(id) }
        let asInts = unique.map { Int64($0) }
        let allInts = !unique.isEmpty && asInts.allSatisfy { $0 != nil }
        // String order, then bytes among canonically equivalent spellings: a total order.
        func before(_ a: String, _ b: String) -> Bool {
            a == b ? a.utf8.lexicographicallyPrecedes(b.utf8) : a < b
        }
        let sorted: [String]
        if allInts {
            sorted = zip(unique, asInts).sorted { $0.1 != $1.1 ? ($0.1 ?? 0) < ($1.1 ?? 0) : before($0.0, $1.0) }.map(\.0)
        } else {
            sorted = unique.sorted(by: before)
        }
        self.init(ordered: sorted, integerIds: allInts)
    }

    private init(ordered: [String], integerIds: Bool) {
        self.ids = ordered
        self.integerIds = integerIds
        var l: [Key: Int] = [:]
        l.reserveCapacity(ordered.count)
        for (i, id) in ordered.enumerated() { l[Key(id)] = i }
        self.lookup = l
    }

    public var count: Int { ids.count }

    /// The index of `id`, nil when unknown (a cold-start user or item).
    public func index(of id: String) -> Int? { lookup[Key(id)] }

    /// The id at `index`, nil when out of range.
    public func id(at index: Int) -> String? { index >= 0 && index < ids.count ? ids[index] : nil }

    enum CodingKeys: String, CodingKey { case ids, integerIds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let ids = try c.decode([String].self, forKey: .ids)
        guard Set(ids.map(Key.init)).count == ids.count else {
            throw DecodingError.dataCorruptedError(forKey: .ids, in: c, debugDescription: "duplicate ids in the id map")
        }
        self.init(ordered: ids, integerIds: try c.decode(Bool.self, forKey: .integerIds))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ids, forKey: .ids)
        try c.encode(integerIds, forKey: .integerIds)
    }
}
