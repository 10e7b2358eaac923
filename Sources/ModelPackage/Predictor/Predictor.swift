/// A loaded model ready to score rows: what serving calls. Generic over the row value type
/// (`Value`), which the serving layer chooses (the Features JSON row value after the merge).
///
/// `predict` enforces the signature as MLflow's scoring server does: every required input must be
/// present in every row (else ``PredictionError/missingInputs``), and columns the signature does
/// not name are dropped before the model sees the rows. The model-specific `score` closure does the
/// rest (type conversion through the feature pipeline, the model's arithmetic) and returns one
/// record per row.
///
/// ```swift
/// let predictor = try registry.load(from: URL(fileURLWithPath: "models/churn"))
/// let out = try predictor.predict(rows: [["tenure_months": .int(3), "plan": .string("basic")]])
/// // [["probability": .double(0.71), "label": .int(1)]]
/// ```
public struct Predictor<Value: Sendable>: Sendable {
    public typealias Row = [String: Value]
    public typealias Record = [String: ModelValue]

    public let manifest: ModelManifest
    private let score: @Sendable ([Row]) throws -> [Record]
    /// The signature's required inputs and every input name, computed once (not per request).
    private let required: [String]
    private let known: Set<String>

    /// A predictor over `score`, checking rows against `manifest.signature`.
    public init(manifest: ModelManifest, score: @escaping @Sendable ([Row]) throws -> [Record]) {
        self.manifest = manifest
        self.score = score
        self.required = manifest.signature?.requiredInputs ?? []
        self.known = Set(manifest.signature?.inputs.map(\.name) ?? [])
    }

    public var signature: ModelSignature? { manifest.signature }
    public var modelKind: String { manifest.mltrack.modelKind }

    /// One output record per input row.
    public func predict(rows: [Row]) throws -> [Record] {
        var input = rows
        if !known.isEmpty {
            for (i, row) in rows.enumerated() {
                let missing = required.filter { row[$0] == nil }
                if !missing.isEmpty { throw PredictionError.missingInputs(missing, row: i) }
                if row.count > known.count || row.keys.contains(where: { !known.contains($0) }) {
                    input[i] = row.filter { known.contains($0.key) }
                }
            }
        }
        return try predict(validatedRows: input)
    }

    /// One output record per row, for rows the caller already checked against the signature
    /// (every required input present, no other columns), as the scoring server's decoder does:
    /// skips ``predict(rows:)``'s per-row checks, which cost as much as scoring one row.
    public func predict(validatedRows rows: [Row]) throws -> [Record] {
        let out: [Record]
        do {
            out = try score(rows)
        } catch let e as PredictionError {
            throw e
        } catch {
            throw PredictionError.modelFailed("\(error)")
        }
        guard out.count == rows.count else {
            throw PredictionError.modelFailed("the \(modelKind) model returned \(out.count) predictions for \(rows.count) rows")
        }
        return out
    }
}

/// Why a batch could not be scored. Serving maps ``missingInputs`` and ``invalidInput`` to MLflow's
/// 400 `INVALID_PARAMETER_VALUE` / `BAD_REQUEST` and ``modelFailed`` to 400 `BAD_REQUEST`.
///
/// ```swift
/// do { _ = try predictor.predict(rows: rows) }
/// catch PredictionError.missingInputs(let names, let row) { print("row \(row) lacks \(names)") }
/// ```
public enum PredictionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Required signature inputs absent from row `row` (0-based).
    case missingInputs([String], row: Int)
    /// A value that cannot be used (wrong type, unknown category policy...), naming the column.
    case invalidInput(column: String, row: Int, String)
    /// The model itself failed.
    case modelFailed(String)

    public var description: String {
        switch self {
        case .missingInputs(let names, let row): "Model is missing inputs \(names) (row \(row))"
        case .invalidInput(let column, let row, let m): "column \(column), row \(row): \(m)"
        case .modelFailed(let m): "the model failed: \(m)"
        }
    }
}
