import Features
import GoldTables

extension ModelValue {
    /// The JSON value of a table cell, as a scoring request would carry it: booleans, integers and
    /// floats as themselves; dates, timestamps, decimals, JSON and binary as the text
    /// `mltrack gold cat` prints (`2025-01-01`, ISO-8601 timestamps, exact decimal text), which
    /// ``FittedPipeline/transform(row:)`` reads back to the same features.
    ///
    /// ```swift
    /// let v = ModelValue(table.row(0)[2])   // .string("2024-06-01")
    /// ```
    public init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .float(let f): self = .double(Double(f))
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        default: self = .string(TableRenderer.text(value))
        }
    }

    /// The same value for the feature pipeline (null, boolean, number or string).
    public var featureValue: FeatureValue {
        switch self {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .number(Double(i))
        case .double(let d): .number(d)
        case .string(let s): .string(s)
        case .array, .object: .null
        }
    }
}

extension InputExample {
    /// The first `limit` rows of `table`'s `columns` as an input example (pandas split orient).
    /// Throws naming a column the table lacks.
    ///
    /// ```swift
    /// let ex = try InputExample(table: table, columns: pipeline.inputs.map(\.name), limit: 5)
    /// ```
    public init(table: Table, columns: [String], limit: Int = 5) throws {
        let part = try table.project(columns).slice(0 ..< max(0, min(limit, table.rowCount)))
        self.init(columns: columns, data: (0 ..< part.rowCount).map { r in part.row(r).map(ModelValue.init) })
    }
}
