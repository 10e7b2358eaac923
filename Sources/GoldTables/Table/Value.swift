/// One cell of a ``Table``, for row-at-a-time access (printing, tests, serving a single row).
/// Bulk work reads ``ColumnData`` buffers directly.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    /// Any integer type (int8 … int64).
    case int(Int64)
    case float(Float)
    case double(Double)
    case string(String)
    case binary([UInt8])
    /// Days since 1970-01-01.
    case date(Int32)
    /// Ticks of `unit` since the epoch.
    case timestamp(Int64, TimeUnit, utc: Bool)
    /// value = unscaled × 10^-scale.
    case decimal(unscaled: Int128, scale: Int)
    /// A nested value rendered as JSON text.
    case json(String)

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
