import Features
import Foundation
import GoldTables
import ModelPackage
import Registry
import Trainers

/// Scores a whole Gold table with a model package and writes the predictions as a Delta table in
/// ONE atomic commit (`mltrack score`). The input is streamed batch by batch (a Parquet row group,
/// a Delta data file, a CSV block): one input batch is in flight, and scored rows are written as
/// Parquet files as they come (``BatchScoringJob/rowsPerFile``), so memory stays bounded whatever
/// the table's size. Nothing is visible until the final commit; a failure leaves the output table
/// as it was.
///
/// - A `logistic_regression` package gives one row per input row: the id columns, `probability`
///   (double, the same bits as the JSON row predictor), `label` (long, probability ≥ 0.5),
///   `model_name`, `model_version` (strings) and `scored_at` (timestamp, UTC, one per job).
/// - An `als` package reads distinct users from ``BatchScoringJob/userColumn`` and gives k rows per
///   user: the user id (its input type), `rank` (long, 1…k), `item_id` (string), `score` (double),
///   `cold_start` (bool: an unknown user, or one without training items, gets the popular items
///   with score = popularity), then `model_name`, `model_version`, `scored_at`.
///
/// The commit's `commitInfo` records `mltrack.model` (the URI), `mltrack.modelName`,
/// `mltrack.modelVersion`, `mltrack.modelKind`, `mltrack.inputTable` (absolute path),
/// `mltrack.inputVersion` (Delta input only), `mltrack.rows` (input rows scored),
/// `mltrack.outputRows` and `mltrack.scoredAt`, all as JSON strings.
///
/// ```swift
/// let scorer = try await BatchScorer.resolve("models:/churn@champion", registry: registry)
/// var job = BatchScoringJob(input: "Experiments/gold/customers", output: "/lake/gold/churn_scores")
/// job.idColumns = ["customer_id"]
/// let r = try scorer.run(job) { p in print(p.rows) }
/// print(r.outputVersion, r.rowsPerSecond)
/// ```
public struct BatchScorer: Sendable {
    /// The model, decoded once for the whole job.
    public enum Model: Sendable {
        case logistic(LogisticModel, FittedPipeline)
        case recommender(ALSModel)
    }

    public let resolved: ResolvedPackage
    public let manifest: ModelManifest
    public let model: Model

    /// A scorer over a verified package. Throws ``ServingError`` for a kind that cannot batch-score
    /// or an inconsistent package.
    public init(resolved: ResolvedPackage, package: LoadedPackage) throws {
        self.resolved = resolved
        manifest = package.manifest
        do {
            switch package.modelKind {
            case LogisticModel.flavor:
                let m = try package.model(as: LogisticModel.self)
                let p = try package.pipeline(as: FittedPipeline.self)
                // Byte-wise, as the row predictor checks: columns are matched by position.
                guard p.featureNames.map({ Array($0.utf8) }) == m.featureNames.map({ Array($0.utf8) }) else {
                    throw ServingError(.invalidParameterValue, "model package \(package.path): the pipeline's features do not match the model's")
                }
                model = .logistic(m, p)
            case ALSModel.flavor:
                model = .recommender(try package.model(as: ALSModel.self))
            default:
                throw ServingError(.invalidParameterValue,
                                   "model package \(package.path) is a \(package.modelKind) model; batch scoring supports \(LogisticModel.flavor) and \(ALSModel.flavor)")
            }
        } catch let e as ServingError {
            throw e
        } catch {
            throw ServingError(.invalidParameterValue, "cannot score with model '\(resolved.reference)' from \(resolved.path): \(error)")
        }
    }

    /// Loads and verifies the package at `resolved.path`.
    public static func load(_ resolved: ResolvedPackage) throws -> BatchScorer {
        let package: LoadedPackage
        do {
            package = try ModelPackage.load(from: URL(fileURLWithPath: resolved.path))
        } catch {
            throw ServingError(.invalidParameterValue, "cannot load model '\(resolved.reference)' from \(resolved.path): \(error)")
        }
        return try BatchScorer(resolved: resolved, package: package)
    }

    /// Resolves `uri` (`models:/churn@champion`, `models:/churn/3`, `runs:/ID/model`, a package
    /// path) through `registry` and loads it; a remote package is downloaded through `packages`.
    public static func resolve(_ uri: String, registry: (any RegistryStore)?,
                               packages: PackageCache = PackageCache()) async throws -> BatchScorer {
        let reference = try ModelReference(parsing: uri)
        let resolved = try await RegistryModelResolver(registry: registry, packages: packages).resolve(reference)
        return try load(resolved)
    }

    /// `model_name`: the registered name, else the package folder's name.
    public var modelName: String {
        resolved.registeredName ?? URL(fileURLWithPath: resolved.path).lastPathComponent
    }

    /// `model_version`: the registered version (`"3"`), else `run:<id>` or `local`.
    public var modelVersion: String {
        if let v = resolved.version { return String(v) }
        return resolved.versionLabel
    }

    public var modelKind: String { manifest.mltrack.modelKind }

    /// Runs `job`: opens the input, checks its columns against the model, streams and scores it,
    /// and commits the output. `progress` is called after each input batch. Errors name the table
    /// and column (a missing id or model input column, a wrong type, a null user id).
    public func run(_ job: BatchScoringJob, progress: ((BatchScoringProgress) -> Void)? = nil) throws -> BatchScoringResult {
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Double {
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        guard job.chunkRows >= 1 else { throw ServingError(.invalidParameterValue, "chunkRows must be ≥ 1 (got \(job.chunkRows))") }
        guard job.rowsPerFile >= 1 else { throw ServingError(.invalidParameterValue, "rowsPerFile must be ≥ 1 (got \(job.rowsPerFile))") }
        if case .recommender = model, !(1 ... 10_000).contains(job.k) {
            throw ServingError(.invalidParameterValue, "k must be in 1...10000 (got \(job.k))")
        }
        let gold = try GoldTable.open(job.input, version: job.inputVersion, timestamp: job.inputTimestamp, csv: job.csv)
        let plan = try BatchPlan(model: model, input: gold, job: job)
        let total: Int? = gold.format == .csv ? nil : try? gold.rowCount()
        let writer = try DeltaStreamWriter(path: job.output, mode: job.mode)
        if let existing = writer.tableSchema { try plan.checkOutput(existing, table: writer.path) }
        do {
            let constants = BatchConstants(name: modelName, version: modelVersion, scoredAt: job.scoredAt)
            let stream = try gold.scan(columns: plan.scanColumns)
            var users = RecommenderState()
            var rows = 0, batches = 0, outputRows = 0
            var pending: [Table] = []
            var pendingRows = 0
            func flush() throws {
                guard !pending.isEmpty else { return }
                let t = pending.count == 1 ? pending[0] : try Table.concatenate(pending, schema: plan.outputSchema)
                pending.removeAll()
                pendingRows = 0
                try writer.append(t)
            }
            while let batch = try stream.next() {
                // A large row group is scored in chunks, bounding the feature matrix's size.
                for lower in stride(from: 0, to: max(batch.rowCount, 1), by: job.chunkRows) {
                    let chunk = batch.rowCount <= job.chunkRows ? batch : batch.slice(lower ..< min(batch.rowCount, lower + job.chunkRows))
                    let out: Table
                    switch model {
                    case .logistic(let m, let p):
                        out = try Self.scoreLogistic(chunk, model: m, pipeline: p, plan: plan, constants: constants, firstRow: rows,
                                                      unknownCategories: job.unknownCategories)
                    case .recommender(let als):
                        out = try Self.recommend(chunk, model: als, plan: plan, job: job, constants: constants, firstRow: rows, state: &users)
                    }
                    rows += chunk.rowCount
                    outputRows += out.rowCount
                    if out.rowCount > 0 {
                        pending.append(out)
                        pendingRows += out.rowCount
                        if pendingRows >= job.rowsPerFile { try flush() }
                    }
                }
                batches += 1
                progress?(BatchScoringProgress(rows: rows, totalRows: total, batches: batches, elapsed: elapsed()))
            }
            try flush()
            if writer.fileCount == 0 { try writer.append(Table(empty: plan.outputSchema)) }
            var info: [String: String] = [
                "mltrack.model": resolved.reference.text,
                "mltrack.modelName": modelName,
                "mltrack.modelVersion": modelVersion,
                "mltrack.modelKind": modelKind,
                "mltrack.inputTable": URL(fileURLWithPath: gold.path).standardizedFileURL.path,
                "mltrack.inputFormat": gold.format.rawValue,
                "mltrack.rows": String(rows),
                "mltrack.outputRows": String(outputRows),
                "mltrack.scoredAt": BatchConstants.iso8601(job.scoredAt),
            ]
            if let v = gold.version { info["mltrack.inputVersion"] = String(v) }
            if let run = resolved.runId { info["mltrack.runId"] = run }
            let files = writer.fileCount
            let version = try writer.commit(commitInfo: info)
            return BatchScoringResult(inputRows: rows, outputRows: outputRows, files: files, seconds: elapsed(),
                                      outputVersion: version, inputVersion: gold.version, modelName: modelName,
                                      modelVersion: modelVersion, coldStartUsers: users.coldStart)
        } catch {
            writer.abort()
            throw error
        }
    }
}
