import GoldTables

/// Where a packaged model's training data came from: written under `metadata.mltrack_lineage`
/// in `MLmodel`. Every field is optional (a model trained from in-memory data has none).
///
/// ```swift
/// let table = try GoldTable.open("Experiments/gold/customers")
/// var lineage = TrainingLineage(try table.lineage())
/// lineage.trainingRunId = run.id
/// ```
public struct TrainingLineage: Sendable, Hashable, Codable {
    public var tablePath: String?
    /// `delta`, `parquet` or `csv`.
    public var tableFormat: String?
    /// The Delta snapshot version read (nil for Parquet and CSV).
    public var deltaVersion: Int64?
    public var rowCount: Int?
    /// `Schema.fingerprint` of the table's schema.
    public var schemaFingerprint: String?
    /// The tracking run that trained the model, when known.
    public var trainingRunId: String?

    public init(tablePath: String? = nil, tableFormat: String? = nil, deltaVersion: Int64? = nil,
                rowCount: Int? = nil, schemaFingerprint: String? = nil, trainingRunId: String? = nil) {
        self.tablePath = tablePath
        self.tableFormat = tableFormat
        self.deltaVersion = deltaVersion
        self.rowCount = rowCount
        self.schemaFingerprint = schemaFingerprint
        self.trainingRunId = trainingRunId
    }

    /// The lineage of a Gold table read (`GoldTable.lineage()`).
    public init(_ gold: GoldLineage, trainingRunId: String? = nil) {
        self.init(tablePath: gold.path, tableFormat: gold.format, deltaVersion: gold.version,
                  rowCount: gold.rowCount, schemaFingerprint: gold.schemaFingerprint,
                  trainingRunId: trainingRunId)
    }

    enum CodingKeys: String, CodingKey {
        case tablePath = "table_path"
        case tableFormat = "table_format"
        case deltaVersion = "delta_version"
        case rowCount = "row_count"
        case schemaFingerprint = "schema_fingerprint"
        case trainingRunId = "training_run_id"
    }

    public var isEmpty: Bool { self == TrainingLineage() }
}
