/// The element types a ``TensorData`` can hold: `Float`, `Double`, `Int32` and `Int64`.
///
/// ```swift
/// let t = TensorData(vector: [1, 2, 3] as [Int32])
/// let back: [Int32] = try t.values(of: Int32.self)
/// ```
public protocol TensorScalar: Sendable, Hashable {
    static var dtype: TensorData.DType { get }
    /// Wraps values in the matching storage case.
    static func storage(_ values: [Self]) -> TensorData.Storage
    /// The values if `storage` holds this type, else nil.
    static func values(in storage: TensorData.Storage) -> [Self]?
}

extension Float: TensorScalar {
    public static var dtype: TensorData.DType { .float32 }
    public static func storage(_ values: [Float]) -> TensorData.Storage { .float32(values) }
    public static func values(in storage: TensorData.Storage) -> [Float]? {
        if case .float32(let v) = storage { return v }
        return nil
    }
}

extension Double: TensorScalar {
    public static var dtype: TensorData.DType { .float64 }
    public static func storage(_ values: [Double]) -> TensorData.Storage { .float64(values) }
    public static func values(in storage: TensorData.Storage) -> [Double]? {
        if case .float64(let v) = storage { return v }
        return nil
    }
}

extension Int32: TensorScalar {
    public static var dtype: TensorData.DType { .int32 }
    public static func storage(_ values: [Int32]) -> TensorData.Storage { .int32(values) }
    public static func values(in storage: TensorData.Storage) -> [Int32]? {
        if case .int32(let v) = storage { return v }
        return nil
    }
}

extension Int64: TensorScalar {
    public static var dtype: TensorData.DType { .int64 }
    public static func storage(_ values: [Int64]) -> TensorData.Storage { .int64(values) }
    public static func values(in storage: TensorData.Storage) -> [Int64]? {
        if case .int64(let v) = storage { return v }
        return nil
    }
}
