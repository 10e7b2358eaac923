/// A dense, contiguous, row-major matrix of `Float` or `Double`.
///
/// ```swift
/// var a = Matrix<Double>(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
/// a[1, 2] // 6
/// let c = try a.multiplied(by: a.transposed()) // 2 × 2, through BLAS gemm
/// ```
public struct Matrix<Scalar: BLASScalar>: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    /// Row-major values: element (i, j) is `values[i * columns + j]`.
    public var values: [Scalar]

    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        self.rows = max(rows, 0)
        self.columns = max(columns, 0)
        self.values = Array(repeating: value, count: self.rows * self.columns)
    }

    /// A matrix over `values` (row-major); throws if the count is not `rows × columns`.
    public init(rows: Int, columns: Int, values: [Scalar]) throws {
        let (size, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard rows >= 0, columns >= 0, !overflow, values.count == size else {
            throw LinalgError.shape("\(values.count) values for a \(rows) × \(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The identity matrix of size `n`.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0 ..< n { m.values[i * n + i] = 1 }
        return m
    }

    @inline(__always)
    public subscript(row: Int, column: Int) -> Scalar {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    public func row(_ i: Int) -> ArraySlice<Scalar> {
        values[i * columns ..< (i + 1) * columns]
    }

    public func transposed() -> Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0 ..< rows {
            for j in 0 ..< columns { t.values[j * rows + i] = values[i * columns + j] }
        }
        return t
    }
}

/// Shape or numerical errors of the linear algebra layer.
public enum LinalgError: Error, Sendable, Hashable, CustomStringConvertible {
    case shape(String)
    /// The matrix is not (numerically) positive definite: Cholesky failed at this leading minor.
    case notPositiveDefinite(minor: Int)
    case lapack(routine: String, info: Int)

    public var description: String {
        switch self {
        case .shape(let s): "shape mismatch: \(s)"
        case .notPositiveDefinite(let k): "matrix is not positive definite (leading minor \(k))"
        case .lapack(let r, let info): "\(r) failed with info = \(info)"
        }
    }
}
