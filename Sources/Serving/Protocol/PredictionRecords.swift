import Features
import ModelPackage

/// Scoring rows through a served model's predictor and writing its records, shared by
/// `/invocations` and the Open Inference Protocol route.
///
/// ```swift
/// let records = try PredictionRecords.predict(rows, model: served)
/// let body = PredictionRecords.mlflowBody(records, model: served)   // {"predictions": [...]}
/// ```
enum PredictionRecords {
    typealias Record = [String: ModelValue]

    /// The predictor's records for `rows`, its errors mapped to MLflow's: missing or invalid
    /// inputs are 400 `INVALID_PARAMETER_VALUE` naming the column and row, a model failure 400
    /// `BAD_REQUEST` "Encountered an unexpected error while evaluating the model: ...".
    static func predict(_ rows: [InputSchema.Row], model: ServedModel) throws(ServingError) -> [Record] {
        if rows.isEmpty { return [] }
        do {
            // InputSchema already kept only the signature's columns and checked the required ones.
            return try model.predictor.predict(validatedRows: rows)
        } catch let e as PredictionError {
            switch e {
            case .missingInputs(let names, let row):
                throw InputSchema.missingError(names, row: row)
            case .invalidInput(let column, let row, let message):
                throw ServingError(.invalidParameterValue, "column \(column), row \(row): \(message)")
            case .modelFailed(let message):
                throw ServingError(.badRequest, "Encountered an unexpected error while evaluating the model: \(message)")
            }
        } catch {
            throw ServingError(.badRequest, "Encountered an unexpected error while evaluating the model: \(error)")
        }
    }

    /// The output names in the order responses write them: the signature's outputs present in
    /// `record`, then any other keys sorted.
    static func keyOrder(_ record: Record, outputs: [String]) -> [String] {
        var keys: [String] = []
        keys.reserveCapacity(record.count)
        for o in outputs where record[o] != nil { keys.append(o) }
        if keys.count < record.count {
            keys += record.keys.filter { !outputs.contains($0) }.sorted()
        }
        return keys
    }

    /// The output whose value is each row's headline number: the first `double`/`float` output of
    /// the signature (a logistic model's `probability`), else the first `long`/`integer` one;
    /// without a signature, `probability` if present. Nil for array outputs (recommenders).
    static func primaryOutput(_ model: ServedModel) -> String? {
        guard let outputs = model.predictor.signature?.outputs, !outputs.isEmpty else { return "probability" }
        if let o = outputs.first(where: { $0.type == .double || $0.type == .float }) { return o.name }
        return outputs.first(where: { $0.type == .long || $0.type == .integer })?.name
    }

    static func primaryValues(_ records: [Record], model: ServedModel) -> [Double] {
        guard let name = primaryOutput(model) else { return [] }
        var values: [Double] = []
        values.reserveCapacity(records.count)
        for r in records {
            if let d = r[name]?.doubleValue { values.append(d) }
        }
        return values
    }

    /// `{"predictions": [{...}, ...]}`, one record per row, keys in signature output order.
    static func mlflowBody(_ records: [Record], model: ServedModel) -> [UInt8] {
        let outputs = model.predictor.signature?.outputs.map(\.name) ?? []
        var w = JSONWriter(capacity: 32 + records.count * 48)
        w.raw("{\"predictions\": [")
        var order: [String] = []
        for (i, record) in records.enumerated() {
            if i > 0 { w.raw(", ") }
            // Records of one model share their keys: the order is computed once unless they differ.
            if order.count != record.count || order.contains(where: { record[$0] == nil }) {
                order = keyOrder(record, outputs: outputs)
            }
            w.byte(UInt8(ascii: "{"))
            for (k, key) in order.enumerated() {
                if k > 0 { w.raw(", ") }
                w.key(key)
                w.value(record[key] ?? .null)
            }
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("]}")
        return w.bytes
    }
}
