import Features
import Foundation
import GoldTables

/// What a batch scoring job reads and writes: the input Gold table (any format, optionally a Delta
/// version or instant), the output Delta table and how to write it, the id columns copied next to
/// each prediction, and for recommenders the user column and how many items per user.
///
/// ```swift
/// var job = BatchScoringJob(input: "Experiments/gold/customers", output: "/lake/gold/churn_scores")
/// job.mode = .overwrite
/// job.idColumns = ["customer_id"]
/// let result = try scorer.run(job)
/// ```
public struct BatchScoringJob: Sendable {
    /// The input table: a Delta folder, Parquet file or folder, or CSV file.
    public var input: String
    /// Delta time travel: read this version (nil: the latest).
    public var inputVersion: Int64?
    /// Delta time travel: read the version current at this instant.
    public var inputTimestamp: Date?
    /// How to read a CSV input.
    public var csv: CSVOptions
    /// The output Delta table folder (created when absent).
    public var output: String
    /// `.append` (default) adds the predictions; `.overwrite` replaces the table's rows atomically;
    /// `.create` fails if the table exists.
    public var mode: DeltaWriteMode
    /// Input columns copied to every output row, with their types (e.g. `customer_id`).
    public var idColumns: [String]
    /// Recommenders: the column holding the user ids (string or integer).
    public var userColumn: String
    /// Recommenders: items per user.
    public var k: Int
    /// Recommenders: leave out the items each user interacted with in training.
    public var excludeSeen: Bool
    /// Recommenders: score each user alone, as the real-time route does (`ALSModel.recommend(user:…)`),
    /// so batch and real-time lists are bit-identical. `false` scores a batch of users per BLAS
    /// call (several times faster on large catalogs) but a score may then differ from the
    /// real-time one in its last bit (BLAS rounds a one-row product differently), and two items
    /// within one ulp may swap.
    public var exactRecommendations: Bool
    /// The `scored_at` value of every output row (one instant per job).
    public var scoredAt: Date
    /// Scored rows are gathered into output files of at least this many rows (the last file may be
    /// smaller), so small input row groups do not make many tiny files. Memory holds at most this
    /// many output rows plus one input batch.
    public var rowsPerFile: Int
    /// Logistic models: what a categorical value never seen in training does. `.bucket` (the
    /// default) scores it as the `<column>=__unknown__` feature; `.reject` fails the job naming
    /// the row, column and value, as `mltrack serve` answers 400 under the same policy.
    public var unknownCategories: UnknownCategoryPolicy = .bucket
    /// Input rows scored at once: a larger batch (a big row group) is scored in slices of this
    /// size, bounding the feature matrix. Internal: tests make it small.
    var chunkRows = 65_536

    public init(input: String, inputVersion: Int64? = nil, inputTimestamp: Date? = nil, csv: CSVOptions = CSVOptions(),
                output: String, mode: DeltaWriteMode = .append, idColumns: [String] = [], userColumn: String = "user_id",
                k: Int = 10, excludeSeen: Bool = true, exactRecommendations: Bool = true, scoredAt: Date = Date(), rowsPerFile: Int = 262_144) {
        self.input = input
        self.inputVersion = inputVersion
        self.inputTimestamp = inputTimestamp
        self.csv = csv
        self.output = output
        self.mode = mode
        self.idColumns = idColumns
        self.userColumn = userColumn
        self.k = k
        self.excludeSeen = excludeSeen
        self.exactRecommendations = exactRecommendations
        self.scoredAt = scoredAt
        self.rowsPerFile = rowsPerFile
    }
}
