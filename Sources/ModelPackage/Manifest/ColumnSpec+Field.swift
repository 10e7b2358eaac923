import GoldTables

extension ColumnType {
    /// The MLflow type for a Gold table column type: `bool` → boolean, `int8/16/32` → integer,
    /// `int64` → long, `float32` → float, `float64` → double, `decimal` → double (MLflow's own
    /// decimal → double rule), `date`/`timestamp` → datetime, `string` and `json` → string,
    /// `binary` → binary.
    public init(_ type: DataType) {
        switch type {
        case .bool: self = .boolean
        case .int8, .int16, .int32: self = .integer
        case .int64: self = .long
        case .float32: self = .float
        case .float64, .decimal: self = .double
        case .string, .json: self = .string
        case .binary: self = .binary
        case .date, .timestamp: self = .datetime
        }
    }
}

extension ColumnSpec {
    /// The signature column for a table field: its name, its MLflow type, and required unless the
    /// field is nullable (a null or absent value is then the pipeline's to impute).
    ///
    /// ```swift
    /// let inputs = pipeline.inputs.map(ColumnSpec.init) // FittedPipeline.inputs: [Field]
    /// ```
    public init(_ field: Field) {
        self.init(field.name, ColumnType(field.type), required: !field.nullable)
    }
}
