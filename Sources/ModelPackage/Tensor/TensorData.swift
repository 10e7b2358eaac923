import Linalg

/// A named array a model stores as binary (an `.mltensor` file) instead of JSON: a dtype, a shape
/// and row-major values.
///
/// ```swift
/// let factors = Matrix<Float>(rows: 3, columns: 2, repeating: 0.5)
/// let t = TensorData(factors)                     // dtype float32, shape [3, 2]
/// let back = try t.matrix(of: Float.self)         // identical matrix
/// let bias = TensorData(vector: [0.1, 0.2])       // float64, shape [2]
/// ```
public struct TensorData: Sendable, Hashable {
    /// Element type; the raw value is the code stored in a tensor file's header.
    public enum DType: UInt8, Sendable, Hashable, CaseIterable {
        case float32 = 1
        case float64 = 2
        case int32 = 3
        case int64 = 4

        /// The name used in the manifest (numpy's spelling, as MLflow tensor specs use).
        public var name: String {
            switch self {
            case .float32: "float32"
            case .float64: "float64"
            case .int32: "int32"
            case .int64: "int64"
            }
        }

        public var byteWidth: Int {
            switch self {
            case .float32, .int32: 4
            case .float64, .int64: 8
            }
        }

        public init?(name: String) {
            guard let d = DType.allCases.first(where: { $0.name == name }) else { return nil }
            self = d
        }
    }

    /// The values, one case per dtype.
    public enum Storage: Sendable, Hashable {
        case float32([Float])
        case float64([Double])
        case int32([Int32])
        case int64([Int64])

        public var count: Int {
            switch self {
            case .float32(let v): v.count
            case .float64(let v): v.count
            case .int32(let v): v.count
            case .int64(let v): v.count
            }
        }

        public var dtype: DType {
            switch self {
            case .float32: .float32
            case .float64: .float64
            case .int32: .int32
            case .int64: .int64
            }
        }
    }

    /// The largest rank a tensor file may declare.
    public static let maxRank = 8

    public let shape: [Int]
    public let storage: Storage

    public var dtype: DType { storage.dtype }
    public var count: Int { storage.count }

    /// A tensor over `storage` with `shape`; throws unless the shape's product equals the count.
    public init(shape: [Int], storage: Storage) throws {
        guard shape.count <= Self.maxRank else {
            throw ModelPackageError(path: "tensor", "rank \(shape.count) exceeds the maximum \(Self.maxRank)")
        }
        guard let n = Self.elementCount(shape), n == storage.count else {
            throw ModelPackageError(path: "tensor", "shape \(shape) does not hold \(storage.count) values")
        }
        self.shape = shape
        self.storage = storage
    }

    public init<T: TensorScalar>(shape: [Int], values: [T]) throws {
        try self.init(shape: shape, storage: T.storage(values))
    }

    /// A rank-1 tensor.
    public init<T: TensorScalar>(vector: [T]) {
        self.shape = [vector.count]
        self.storage = T.storage(vector)
    }

    /// A rank-2 tensor with the matrix's shape and row-major values.
    public init<T: BLASScalar & TensorScalar>(_ matrix: Matrix<T>) {
        self.shape = [matrix.rows, matrix.columns]
        self.storage = T.storage(matrix.values)
    }

    /// The values, if the dtype is `T`.
    public func values<T: TensorScalar>(of type: T.Type) throws -> [T] {
        guard let v = T.values(in: storage) else {
            throw ModelPackageError(path: "tensor", "holds \(dtype.name), not \(T.dtype.name)")
        }
        return v
    }

    /// The values of a rank-1 tensor of `T`.
    public func vector<T: TensorScalar>(of type: T.Type) throws -> [T] {
        guard shape.count == 1 else {
            throw ModelPackageError(path: "tensor", "shape \(shape) is not a vector")
        }
        return try values(of: type)
    }

    /// The matrix of a rank-2 tensor of `T`.
    public func matrix<T: BLASScalar & TensorScalar>(of type: T.Type) throws -> Matrix<T> {
        guard shape.count == 2 else {
            throw ModelPackageError(path: "tensor", "shape \(shape) is not a matrix")
        }
        return try Matrix(rows: shape[0], columns: shape[1], values: values(of: type))
    }

    /// The product of `shape`, or nil when a dimension is negative or the product overflows `Int`.
    public static func elementCount(_ shape: [Int]) -> Int? {
        var n = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (p, o) = n.multipliedReportingOverflow(by: d)
            guard !o else { return nil }
            n = p
        }
        return n
    }
}

extension Dictionary where Key == String, Value == TensorData {
    /// The tensor named `name`; throws naming it when absent.
    public func tensor(_ name: String) throws -> TensorData {
        guard let t = self[name] else {
            throw ModelPackageError(path: name, "tensor is missing (present: \(keys.sorted()))")
        }
        return t
    }

    /// The matrix stored under `name`; throws naming it when absent or of another dtype or rank.
    public func matrix<T: BLASScalar & TensorScalar>(_ name: String, of type: T.Type) throws -> Matrix<T> {
        do { return try tensor(name).matrix(of: type) } catch let e as ModelPackageError where e.path == "tensor" {
            throw ModelPackageError(path: name, e.message)
        }
    }

    /// The vector stored under `name`; throws naming it when absent or of another dtype or rank.
    public func vector<T: TensorScalar>(_ name: String, of type: T.Type) throws -> [T] {
        do { return try tensor(name).vector(of: type) } catch let e as ModelPackageError where e.path == "tensor" {
            throw ModelPackageError(path: name, e.message)
        }
    }
}
