import Features
import ModelPackage

/// The scoring server's protocol as pure functions over bytes: the HTTP layer passes the request
/// body (and for `/invocations` the raw `Content-Type`) with the ``ServedModel`` that answers, and
/// sends back ``ScoringResponse/body`` with status 200, or for a thrown ``ServingError`` its
/// `status` with ``errorBody(_:)`` (MLflow routes) or ``openInferenceErrorBody(_:)`` (`/v2` routes).
/// Nothing here touches the network, so every route is testable in-process.
///
/// ```swift
/// do {
///     let r = try ScoringHandlers.invocations(body: body, contentType: "application/json", model: served)
///     // 200, r.contentType, r.body: {"predictions": [{"probability": 0.71, "label": 1}]}
/// } catch {
///     // error.status, ScoringHandlers.errorBody(error): {"error_code": "BAD_REQUEST", "message": "..."}
/// }
/// ```
public enum ScoringHandlers {
    /// `POST /invocations`: MLflow's JSON formats (`application/json`) or `text/csv`, rows
    /// checked against the model's signature, answered `{"predictions": [...]}`: one record per
    /// row (`{"probability": p, "label": 1}`), keys in signature output order, doubles in shortest
    /// round-trip form. A missing `Content-Type` is a 415 naming what to send.
    /// `contentType` is the raw header (nil if absent).
    public static func invocations(body: [UInt8], contentType: String?, model: ServedModel) throws(ServingError) -> ScoringResponse {
        let type = try RequestContentType(header: contentType)
        let schema = model.inputSchema
        let rows: [InputSchema.Row]
        switch type {
        case .json: rows = try MLflowJSONInput.rows(JSONParser.request(body), schema: schema)
        case .csv: rows = try CSVInput.rows(body, schema: schema)
        }
        let records = try PredictionRecords.predict(rows, model: model)
        return ScoringResponse(body: PredictionRecords.mlflowBody(records, model: model),
                               predictionValues: PredictionRecords.primaryValues(records, model: model),
                               rows: records.count)
    }

    /// MLflow's error JSON for `error`: `{"error_code": "BAD_REQUEST", "message": "..."}`, sent
    /// with `error.status`.
    public static func errorBody(_ error: ServingError) -> [UInt8] {
        var w = JSONWriter(capacity: 64 + error.message.utf8.count)
        w.raw("{\"error_code\": ")
        w.string(error.code.rawValue)
        w.raw(", \"message\": ")
        w.string(error.message)
        w.byte(UInt8(ascii: "}"))
        return w.bytes
    }

    /// The Open Inference Protocol's error JSON for `error`: `{"error": "message"}`, sent with
    /// `error.status`.
    public static func openInferenceErrorBody(_ error: ServingError) -> [UInt8] {
        var w = JSONWriter(capacity: 16 + error.message.utf8.count)
        w.raw("{\"error\": ")
        w.string(error.message)
        w.byte(UInt8(ascii: "}"))
        return w.bytes
    }
}
