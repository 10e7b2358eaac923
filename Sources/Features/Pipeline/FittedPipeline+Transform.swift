import Foundation
import GoldTables
import Linalg

extension FittedPipeline {
    /// The features of every row of `table`: a rows × `featureNames.count` row-major matrix.
    /// Throws a ``FeatureError`` naming a column that is missing, changed type since fit, or holds
    /// a value the features cannot take (an infinite number, a date overflowing the reference).
    public func transform(_ table: Table) throws -> Matrix<Double> {
        try transform(table, unknownCategories: .bucket)
    }

    /// ``transform(_:)`` with a policy for categorical values that have no feature: with
    /// `.reject`, a value never seen at fit throws a ``FeatureError`` naming the column, the row
    /// (0-based) and the value (`row 3: unknown category 'two-year' (…)`). `.bucket` is
    /// ``transform(_:)``.
    public func transform(_ table: Table, unknownCategories policy: UnknownCategoryPolicy) throws -> Matrix<Double> {
        let width = featureNames.count
        let rows = table.rowCount
        var out = [Double](repeating: 0, count: rows * width)
        let offsets = blockOffsets
        try out.withUnsafeMutableBufferPointer { buf in
            for (f, o) in zip(numeric, offsets.numeric) { try f.write(table, into: buf, width: width, offset: o) }
            for (f, o) in zip(boolean, offsets.boolean) { try f.write(table, into: buf, width: width, offset: o) }
            for (f, o) in zip(categorical, offsets.categorical) {
                try f.write(table, into: buf, width: width, offset: o, unknownCategories: policy)
            }
            for (f, o) in zip(dates, offsets.dates) { try f.write(table, into: buf, width: width, offset: o) }
        }
        return try Matrix(rows: rows, columns: width, values: out)
    }

    /// The features of one row given as JSON values by column name (a missing key is null; keys
    /// that are not inputs are ignored). Gives exactly the bits ``transform(_:)`` gives for the same
    /// row of a table. Throws a ``FeatureError`` naming the column on a type mismatch.
    public func transform(row: [String: FeatureValue]) throws -> [Double] {
        try transform(row: row, unknownCategories: .bucket)
    }

    /// ``transform(row:)`` with a policy for categorical values that have no feature: with
    /// `.reject`, a value never seen at fit throws a ``FeatureError`` naming the column and the
    /// value. The same bits as ``transform(_:unknownCategories:)`` for the same row.
    ///
    /// ```swift
    /// try fitted.transform(row: ["contract": "two-year"], unknownCategories: .reject)
    /// // throws: contract: unknown category 'two-year' (not seen when the model was trained; known: …)
    /// ```
    public func transform(row: [String: FeatureValue], unknownCategories policy: UnknownCategoryPolicy) throws -> [Double] {
        var out = [Double](repeating: 0, count: featureNames.count)
        let offsets = blockOffsets
        for (f, o) in zip(numeric, offsets.numeric) { try f.write(row[f.column] ?? .null, into: &out, offset: o) }
        for (f, o) in zip(boolean, offsets.boolean) { try f.write(row[f.column] ?? .null, into: &out, offset: o) }
        for (f, o) in zip(categorical, offsets.categorical) {
            try f.write(row[f.column] ?? .null, into: &out, offset: o, unknownCategories: policy)
        }
        for (f, o) in zip(dates, offsets.dates) { try f.write(row[f.column] ?? .null, into: &out, offset: o) }
        return out
    }

    /// The features of one row given as a JSON object (`{"tenure_months": 12, …}`).
    public func transform(json: Data, unknownCategories policy: UnknownCategoryPolicy = .bucket) throws -> [Double] {
        try transform(row: FeatureValue.row(json: json), unknownCategories: policy)
    }

    /// The features of several JSON rows as a matrix (a batch scoring request).
    public func transform(rows: [[String: FeatureValue]]) throws -> Matrix<Double> {
        try transform(rows: rows, unknownCategories: .bucket)
    }

    /// ``transform(rows:)`` with a policy for categorical values that have no feature; an error
    /// names the row (0-based) as well as the column: `row 2: unknown category 'x' (…)`.
    public func transform(rows: [[String: FeatureValue]], unknownCategories policy: UnknownCategoryPolicy) throws -> Matrix<Double> {
        var values: [Double] = []
        values.reserveCapacity(rows.count * featureNames.count)
        for (i, r) in rows.enumerated() {
            do { values.append(contentsOf: try transform(row: r, unknownCategories: policy)) } catch let e as FeatureError {
                throw FeatureError(column: e.column, "row \(i): \(e.message)")
            }
        }
        return try Matrix(rows: rows.count, columns: featureNames.count, values: values)
    }
}
