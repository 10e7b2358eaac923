import Foundation
import GoldTables
import Linalg

extension FittedPipeline {
    /// The features of every row of `table`: a rows × `featureNames.count` row-major matrix.
    /// Throws a ``FeatureError`` naming a column that is missing, changed type since fit, or holds
    /// a value the features cannot take (an infinite number, a date overflowing the reference).
    public func transform(_ table: Table) throws -> Matrix<Double> {
        let width = featureNames.count
        let rows = table.rowCount
        var out = [Double](repeating: 0, count: rows * width)
        let offsets = blockOffsets
        try out.withUnsafeMutableBufferPointer { buf in
            for (f, o) in zip(numeric, offsets.numeric) { try f.write(table, into: buf, width: width, offset: o) }
            for (f, o) in zip(boolean, offsets.boolean) { try f.write(table, into: buf, width: width, offset: o) }
            for (f, o) in zip(categorical, offsets.categorical) { try f.write(table, into: buf, width: width, offset: o) }
            for (f, o) in zip(dates, offsets.dates) { try f.write(table, into: buf, width: width, offset: o) }
        }
        return try Matrix(rows: rows, columns: width, values: out)
    }

    /// The features of one row given as JSON values by column name (a missing key is null; keys
    /// that are not inputs are ignored). Gives exactly the bits ``transform(_:)`` gives for the same
    /// row of a table. Throws a ``FeatureError`` naming the column on a type mismatch.
    public func transform(row: [String: FeatureValue]) throws -> [Double] {
        var out = [Double](repeating: 0, count: featureNames.count)
        let offsets = blockOffsets
        for (f, o) in zip(numeric, offsets.numeric) { try f.write(row[f.column] ?? .null, into: &out, offset: o) }
        for (f, o) in zip(boolean, offsets.boolean) { try f.write(row[f.column] ?? .null, into: &out, offset: o) }
        for (f, o) in zip(categorical, offsets.categorical) { try f.write(row[f.column] ?? .null, into: &out, offset: o) }
        for (f, o) in zip(dates, offsets.dates) { try f.write(row[f.column] ?? .null, into: &out, offset: o) }
        return out
    }

    /// The features of one row given as a JSON object (`{"tenure_months": 12, …}`).
    public func transform(json: Data) throws -> [Double] {
        try transform(row: FeatureValue.row(json: json))
    }

    /// The features of several JSON rows as a matrix (a batch scoring request).
    public func transform(rows: [[String: FeatureValue]]) throws -> Matrix<Double> {
        var values: [Double] = []
        values.reserveCapacity(rows.count * featureNames.count)
        for r in rows { values.append(contentsOf: try transform(row: r)) }
        return try Matrix(rows: rows.count, columns: featureNames.count, values: values)
    }
}
