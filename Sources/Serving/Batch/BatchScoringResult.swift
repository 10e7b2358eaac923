/// What a finished batch scoring job did: rows read and written, time, and the Delta version
/// committed (with the input version read and the model that scored).
///
/// ```swift
/// let r = try scorer.run(job)
/// print("\(r.inputRows) rows in \(r.seconds) s → \(job.output) version \(r.outputVersion)")
/// ```
public struct BatchScoringResult: Sendable, Hashable {
    /// Input rows scored (users, for a recommender).
    public var inputRows: Int
    /// Rows written (k per user for a recommender).
    public var outputRows: Int
    /// Data files in the commit.
    public var files: Int
    /// Wall-clock seconds, commit included.
    public var seconds: Double
    /// The Delta version committed to the output table.
    public var outputVersion: Int64
    /// The Delta version of the input read (nil for Parquet and CSV).
    public var inputVersion: Int64?
    public var modelName: String
    public var modelVersion: String
    /// Recommenders: users answered with the popular items (unknown or without training items).
    public var coldStartUsers: Int

    public init(inputRows: Int, outputRows: Int, files: Int, seconds: Double, outputVersion: Int64, inputVersion: Int64?,
                modelName: String, modelVersion: String, coldStartUsers: Int = 0) {
        self.inputRows = inputRows
        self.outputRows = outputRows
        self.files = files
        self.seconds = seconds
        self.outputVersion = outputVersion
        self.inputVersion = inputVersion
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.coldStartUsers = coldStartUsers
    }

    /// Input rows per second.
    public var rowsPerSecond: Double { seconds > 0 ? Double(inputRows) / seconds : 0 }
}
