import ArgumentParser
import Features
import Foundation
import GoldTables
import Registry
import Serving

/// `mltrack score MODEL_URI --input GOLD_TABLE --output DELTA_TABLE`: batch-scores a Gold table
/// with a model (logistic: probability and label per row; ALS: top-k items per user) and writes
/// the predictions as a Delta table in one atomic commit. A thin shell over ``BatchScorer``.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a Gold table with a model and write the predictions to a Delta table (one atomic commit).",
        discussion: """
        MODEL_URI is models:/NAME@ALIAS, models:/NAME/VERSION, runs:/RUN_ID/model or a model package \
        folder. The input is streamed batch by batch (Parquet row groups, Delta data files, CSV blocks) \
        in bounded memory. A logistic model writes one row per input row: the --id-columns, \
        probability, label (probability >= 0.5), model_name, model_version, scored_at (UTC). An ALS \
        model writes --k rows per distinct user of --user-column: the user id, rank, item_id, score, \
        cold_start (unknown users get the most popular items), model_name, model_version, scored_at. \
        The commit's commitInfo records mltrack.model, mltrack.modelVersion, mltrack.inputTable, \
        mltrack.inputVersion (Delta input) and mltrack.rows. Progress goes to stderr, the summary to \
        stdout.
        """
    )

    @Argument(help: "The model: models:/NAME@ALIAS, models:/NAME/VERSION, runs:/RUN_ID/model, or a package folder.")
    var model: String

    @Option(help: "The input table: a Delta folder, a Parquet file or folder, or a .csv/.tsv file.")
    var input: String

    @Option(name: .customLong("version"), help: "Read this version of the Delta input (time travel).")
    var inputVersion: Int64?

    @Option(help: "Read the Delta input as of this instant (ISO-8601, e.g. 2025-01-01T12:00:00Z).")
    var timestamp: String?

    @Option(help: "The output Delta table folder (created when absent).")
    var output: String

    @Option(help: "append (add the predictions) or overwrite (replace the table's rows atomically).")
    var mode = "append"

    @Option(name: .customLong("id-columns"), help: "Input columns copied next to each prediction, comma-separated (e.g. customer_id).")
    var idColumns: String?

    @Option(name: .customLong("user-column"), help: "Recommenders: the user id column of the input.")
    var userColumn = "user_id"

    @Option(help: "Recommenders: items per user. Default: the model's policy `serving.default_k`, else 10.")
    var k: Int?

    @Option(name: .customLong("unknown-categories"),
            help: "Logistic models: bucket (score an unseen category as <column>=__unknown__) or reject (fail naming the row). Default: the model's policy `serving.unknown_categories`, else bucket.")
    var unknownCategories: UnknownCategoryPolicy?

    @Option(help: "The directory of model policies whose `serving:` sections set defaults (unknown_categories, default_k).")
    var policies = "Models"

    @Flag(name: .customLong("include-seen"), help: "Recommenders: keep items the user interacted with in training.")
    var includeSeen = false

    @Flag(name: .customLong("fast-recommendations"),
          help: "Recommenders: score a block of users per BLAS call (faster on large catalogs; a score may differ from the real-time one in its last bit).")
    var fastRecommendations = false

    @Option(name: .customLong("rows-per-file"), help: "Output rows gathered per Parquet data file.")
    var rowsPerFile = 262_144

    @Option(name: .customLong("tracking-uri"),
            help: "The tracking store holding the registry (models:/ and runs:/ URIs): sqlite:///abs/path.db, a file path, or http(s)://host:port of a tracking server (default: $MLTRACK_TRACKING_URI, else ./mltrack/mltrack.db).")
    var trackingURI: String?

    @Flag(help: "Print no progress line.")
    var quiet = false

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    func validate() throws {
        if mode != "append" && mode != "overwrite" { throw ValidationError("--mode must be append or overwrite (got '\(mode)').") }
        if inputVersion != nil && timestamp != nil { throw ValidationError("Give --version or --timestamp, not both.") }
        if let v = inputVersion, v < 0 { throw ValidationError("--version must be ≥ 0 (got \(v)).") }
        if let t = timestamp, GoldTable.parseTimestamp(t) == nil {
            throw ValidationError("--timestamp '\(t)' is not ISO-8601 (e.g. 2025-01-01 or 2025-01-01T12:00:00Z).")
        }
        if let k, !(1 ... 10_000).contains(k) { throw ValidationError("--k must be in 1...10000 (got \(k)).") }
        if rowsPerFile < 1 { throw ValidationError("--rows-per-file must be ≥ 1.") }
    }

    func run() throws {
        let scorer = try servingErrors { try loadScorer() }
        var job = BatchScoringJob(input: input, inputVersion: inputVersion, inputTimestamp: timestamp.flatMap(GoldTable.parseTimestamp),
                                  output: output, mode: mode == "overwrite" ? .overwrite : .append)
        job.idColumns = parseColumnList(idColumns) ?? []
        job.userColumn = userColumn
        // Defaults from the registered model's policy (`serving:`); the flags win over them.
        let serving = try servingDefaults(for: scorer.resolved.registeredName)
        job.k = k ?? serving.defaultK
        job.unknownCategories = unknownCategories ?? serving.unknownCategories
        job.excludeSeen = !includeSeen
        job.exactRecommendations = !fastRecommendations
        job.rowsPerFile = rowsPerFile
        let line = ScoreProgressLine(quiet: quiet)
        let result = try servingErrors { try scorer.run(job) { line.update($0) } }
        line.finish()
        if json {
            var object: [String: Any] = [
                "model": scorer.resolved.reference.text, "model_name": result.modelName, "model_version": result.modelVersion,
                "model_kind": scorer.modelKind, "input": input, "output": output, "output_version": result.outputVersion,
                "rows": result.inputRows, "output_rows": result.outputRows, "files": result.files,
                "seconds": result.seconds, "rows_per_second": result.rowsPerSecond,
            ]
            if let v = result.inputVersion { object["input_version"] = v }
            if case .recommender = scorer.model { object["cold_start_users"] = result.coldStartUsers }
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
                         as: UTF8.self))
            return
        }
        let inputText = input + (result.inputVersion.map { " (version \($0))" } ?? "")
        var text = "scored \(result.inputRows) rows of \(inputText) with \(result.modelName) version \(result.modelVersion)"
        if case .recommender = scorer.model { text += " (\(result.coldStartUsers) cold-start users)" }
        text += "\nwrote \(result.outputRows) rows to \(output) version \(result.outputVersion) in "
            + String(format: "%.2f s (%.0f rows/s)", result.seconds, result.rowsPerSecond)
        print(text)
    }

    /// Resolves the model: a package path directly, a registry or run URI through the tracking store.
    private func loadScorer() throws -> BatchScorer {
        let reference = try ModelReference(parsing: model)
        guard case .registry = reference.target else {
            let uri = model
            return try blockingAwait { try await BatchScorer.resolve(uri, registry: nil) }
        }
        let options = try TrackingOptions.parse(trackingURI.map { ["--tracking-uri", $0] } ?? [])
        let (_, registry) = try openRegistry(options)
        let uri = model, packages = PackageCache(trackingURI: try options.resolvedURI())
        return try blocking { try await BatchScorer.resolve(uri, registry: registry, packages: packages) }
    }
}

/// Runs `body`, turning a ``ServingError`` into a one-line failure carrying its message.
private func servingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as ServingError {
        throw CLIFailure(e.message)
    }
}

/// The progress line on standard error: rewritten in place on a terminal (at most 10 times a
/// second), one line every 5 seconds otherwise.
private final class ScoreProgressLine {
    let quiet: Bool
    let terminal = isatty(2) == 1
    var lastPrint = -Double.infinity
    var printed = false
    var last: BatchScoringProgress?

    init(quiet: Bool) { self.quiet = quiet }

    func update(_ p: BatchScoringProgress) {
        last = p
        guard !quiet, p.elapsed - lastPrint >= (terminal ? 0.1 : 5) else { return }
        lastPrint = p.elapsed
        write(p)
    }

    func finish() {
        guard !quiet else { return }
        if let last, last.elapsed != lastPrint { write(last) }
        if terminal && printed { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func write(_ p: BatchScoringProgress) {
        var text = "scoring \(p.rows)"
        if let total = p.totalRows, let f = p.fraction { text += " / \(total) rows " + String(format: "(%5.1f%%)", f * 100) } else { text += " rows" }
        text += String(format: "  %.0f rows/s  %.1fs", p.rowsPerSecond, p.elapsed)
        FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + text : text + "\n").utf8))
        printed = true
    }
}

extension ScoreCommand {
    /// The `serving:` section of `name`'s policy in `--policies` (all defaults without a name, a
    /// policy directory or a policy for the model).
    func servingDefaults(for name: String?) throws -> ServingDefaults {
        guard let name, FileManager.default.fileExists(atPath: policies) else { return ServingDefaults() }
        let loaded = try cliErrors { try PromotionPolicies.load(directory: policies) }
        return loaded[name]?.serving ?? ServingDefaults()
    }
}

extension UnknownCategoryPolicy: ExpressibleByArgument {}
