import Linalg

/// User × item interactions as a CSR matrix (rows users, columns items) with the id maps that
/// name its rows and columns. Recommenders train on this.
public struct Interactions: Sendable, Hashable {
    /// Weights: count of events, an explicit rating, or 1 per (user, item), duplicates summed.
    public var matrix: SparseMatrix<Float>
    public var users: IdMap
    public var items: IdMap

    /// Wraps a matrix and its maps; throws when the shapes disagree.
    public init(matrix: SparseMatrix<Float>, users: IdMap, items: IdMap) throws {
        guard matrix.rows == users.count, matrix.columns == items.count else {
            throw FeatureError(column: "interactions",
                               "matrix is \(matrix.rows) × \(matrix.columns) but there are \(users.count) users and \(items.count) items")
        }
        self.matrix = matrix
        self.users = users
        self.items = items
    }
}
