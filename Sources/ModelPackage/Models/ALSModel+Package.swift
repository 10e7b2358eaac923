import Features
import Linalg
import Trainers

/// `ALSModel` in a model package: kind `als`; factors (float32) and the seen-items CSR (int64
/// offsets, int32 items) are tensors; parameters and id maps are JSON state. Item popularity is
/// recomputed from the seen items when loading (ALSModel's public initializer does that).
extension ALSModel: PackageableModel {
    public static let flavor = "als"
    public static let formatVersion = 1

    /// Parameters and id maps, as `model.json` (`model.packageState().users.ids`); factors and
    /// seen items are tensors.
    public struct PackageState: Codable, Sendable {
        public var parameters: ALS.Parameters
        public var users: IdMap
        public var items: IdMap
    }

    public func packageState() -> PackageState {
        PackageState(parameters: parameters, users: users, items: items)
    }

    public func packageTensors() -> [String: TensorData] {
        ["user_factors": TensorData(userFactors), "item_factors": TensorData(itemFactors),
         "seen_row_pointers": TensorData(vector: seenRowPointers.map(Int64.init)),
         "seen_items": TensorData(vector: seenItems)]
    }

    public init(packageState s: PackageState, tensors: [String: TensorData], formatVersion: Int) throws {
        let pointers = try tensors.vector("seen_row_pointers", of: Int64.self)
        guard pointers.allSatisfy({ $0 >= 0 && $0 <= Int64(Int.max) }) else {
            throw ModelPackageError(path: "seen_row_pointers", "holds a negative or oversized offset")
        }
        let seen = try tensors.vector("seen_items", of: Int32.self)
        let training = try SparseMatrix<Float>(rows: s.users.count, columns: s.items.count,
                                               rowPointers: pointers.map { Int($0) }, columnIndices: seen,
                                               values: [Float](repeating: 1, count: seen.count))
        try self.init(parameters: s.parameters,
                      userFactors: try tensors.matrix("user_factors", of: Float.self),
                      itemFactors: try tensors.matrix("item_factors", of: Float.self),
                      users: s.users, items: s.items, training: training)
    }
}
