import Features
import Linalg

/// A fitted ALS model: user and item factors (Float32), the id maps naming their rows, each item's
/// popularity (for the cold-start answer) and each user's training items (for `excludeSeen`).
/// A Codable, Sendable value; decoding validates every shape.
///
/// ```swift
/// let model = try ALS(params).fit(interactions)
/// model.recommend(user: "u1", k: 10, excludeSeen: true)
/// try model.similarItems(item: "i9", k: 5)
/// let top = model.recommendAll(k: 10, excludeSeen: true)   // index-based, one list per user
/// ```
public struct ALSModel: Sendable, Codable {
    public let parameters: ALS.Parameters
    /// users × k.
    public let userFactors: Matrix<Float>
    /// items × k.
    public let itemFactors: Matrix<Float>
    public let users: IdMap
    public let items: IdMap
    /// Number of training users who interacted with each item (stored entries per column).
    public let itemPopularity: [Int]
    /// CSR offsets into ``seenItems`` per user (users + 1 entries).
    public let seenRowPointers: [Int]
    /// Each user's training items, ascending within the user.
    public let seenItems: [Int32]
    /// All items by descending popularity, ties by ascending index (the cold-start ranking).
    let popularOrder: [Int32]

    /// Builds a model from its parts (what ``ALS/fit(_:progress:)`` returns); throws when shapes disagree.
    public init(parameters: ALS.Parameters, userFactors: Matrix<Float>, itemFactors: Matrix<Float>,
                users: IdMap, items: IdMap, training: SparseMatrix<Float>) throws {
        var popularity = [Int](repeating: 0, count: training.columns)
        for c in training.columnIndices { popularity[Int(c)] += 1 }
        try self.init(parameters: parameters, userFactors: userFactors, itemFactors: itemFactors, users: users, items: items,
                      itemPopularity: popularity, seenRowPointers: training.rowPointers, seenItems: training.columnIndices)
    }

    init(parameters: ALS.Parameters, userFactors: Matrix<Float>, itemFactors: Matrix<Float>, users: IdMap, items: IdMap,
         itemPopularity: [Int], seenRowPointers: [Int], seenItems: [Int32]) throws {
        // Every path (fit, decoding, a package) checks the parameters: a decoded `factors` of 0
        // with empty factor matrices would reach BLAS with a leading dimension of 0.
        do { try parameters.validate() } catch let ALSError.invalidParameter(field, why) {
            throw ALSError.inconsistentModel("parameter \(field): \(why)")
        }
        guard userFactors.rows == users.count, itemFactors.rows == items.count else {
            throw ALSError.inconsistentModel("\(userFactors.rows) user and \(itemFactors.rows) item factor rows for \(users.count) users and \(items.count) items")
        }
        guard userFactors.columns == itemFactors.columns, userFactors.columns == parameters.factors else {
            throw ALSError.inconsistentModel("factor widths \(userFactors.columns) (users), \(itemFactors.columns) (items), parameters say \(parameters.factors)")
        }
        guard itemPopularity.count == items.count, itemPopularity.allSatisfy({ $0 >= 0 }) else {
            throw ALSError.inconsistentModel("item popularity has \(itemPopularity.count) entries for \(items.count) items")
        }
        guard seenRowPointers.count == users.count + 1, seenRowPointers.first == 0, seenRowPointers.last == seenItems.count,
              zip(seenRowPointers, seenRowPointers.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw ALSError.inconsistentModel("seen-item offsets do not describe \(users.count) users and \(seenItems.count) items")
        }
        guard seenItems.allSatisfy({ $0 >= 0 && Int($0) < items.count }) else {
            throw ALSError.inconsistentModel("a seen item index is outside 0..<\(items.count)")
        }
        // Ascending within each user: `excludeSeen` merges them with the item order in one pass.
        for u in 0 ..< users.count where seenRowPointers[u + 1] - seenRowPointers[u] > 1 {
            for k in seenRowPointers[u] + 1 ..< seenRowPointers[u + 1] where seenItems[k - 1] >= seenItems[k] {
                throw ALSError.inconsistentModel("seen items of user \(u) are not strictly ascending")
            }
        }
        guard userFactors.values.allSatisfy(\.isFinite), itemFactors.values.allSatisfy(\.isFinite) else {
            throw ALSError.inconsistentModel("factors contain non-finite values")
        }
        self.parameters = parameters
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.users = users
        self.items = items
        self.itemPopularity = itemPopularity
        self.seenRowPointers = seenRowPointers
        self.seenItems = seenItems
        self.popularOrder = (0 ..< Int32(items.count)).sorted {
            (itemPopularity[Int($0)], -$0) > (itemPopularity[Int($1)], -$1)
        }
    }

    /// The latent dimension k.
    public var factors: Int { userFactors.columns }

    // MARK: Codable (factors stored as flat row-major arrays; shapes re-checked on decoding)

    enum CodingKeys: String, CodingKey {
        case parameters, users, items, userFactors, itemFactors, itemPopularity, seenRowPointers, seenItems
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let parameters = try c.decode(ALS.Parameters.self, forKey: .parameters)
        let users = try c.decode(IdMap.self, forKey: .users)
        let items = try c.decode(IdMap.self, forKey: .items)
        let k = parameters.factors
        guard k >= 1 else { throw ALSError.inconsistentModel("factors = \(k)") }
        let uv = try c.decode([Float].self, forKey: .userFactors)
        let iv = try c.decode([Float].self, forKey: .itemFactors)
        let (uRows, uOK) = users.count.multipliedReportingOverflow(by: k)
        let (iRows, iOK) = items.count.multipliedReportingOverflow(by: k)
        guard !uOK, !iOK, uv.count == uRows, iv.count == iRows else {
            throw ALSError.inconsistentModel("\(uv.count) user and \(iv.count) item factor values for \(users.count) users, \(items.count) items, k = \(k)")
        }
        try self.init(parameters: parameters,
                      userFactors: try Matrix(rows: users.count, columns: k, values: uv),
                      itemFactors: try Matrix(rows: items.count, columns: k, values: iv),
                      users: users, items: items,
                      itemPopularity: try c.decode([Int].self, forKey: .itemPopularity),
                      seenRowPointers: try c.decode([Int].self, forKey: .seenRowPointers),
                      seenItems: try c.decode([Int32].self, forKey: .seenItems))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(users, forKey: .users)
        try c.encode(items, forKey: .items)
        try c.encode(userFactors.values, forKey: .userFactors)
        try c.encode(itemFactors.values, forKey: .itemFactors)
        try c.encode(itemPopularity, forKey: .itemPopularity)
        try c.encode(seenRowPointers, forKey: .seenRowPointers)
        try c.encode(seenItems, forKey: .seenItems)
    }
}
