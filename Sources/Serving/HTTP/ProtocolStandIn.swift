// Stand-in for the protocol layer (branch `codec`, Sources/Serving/Protocol/) until it lands:
// the same API, reading only `dataframe_records` and `{"user_id", "k"}` bodies. Deleted at the merge.
import Features
import Foundation
import ModelPackage

public struct ScoringResponse: Sendable {
    public var body: [UInt8]
    public var contentType: String
    public var predictionValues: [Double]
    public var rows: Int

    public init(body: [UInt8], contentType: String = "application/json", predictionValues: [Double] = [], rows: Int) {
        self.body = body
        self.contentType = contentType
        self.predictionValues = predictionValues
        self.rows = rows
    }
}

public enum ScoringHandlers {
    private struct Records: Decodable { var dataframe_records: [[String: FeatureValue]] }

    private static func predict(_ rows: [[String: FeatureValue]], _ model: ServedModel) throws(ServingError) -> ScoringResponse {
        let out: [[String: ModelValue]]
        do { out = try model.predictor.predict(rows: rows) } catch {
            throw ServingError(.invalidParameterValue, "\(error)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(["predictions": out]) else { throw ServingError(.internalError, "encoding") }
        let values = out.compactMap { r -> Double? in if case .double(let p)? = r["probability"] { p } else { nil } }
        return ScoringResponse(body: Array(data), predictionValues: values, rows: rows.count)
    }

    public static func invocations(body: [UInt8], contentType: String?, model: ServedModel) throws(ServingError) -> ScoringResponse {
        guard let r = try? JSONDecoder().decode(Records.self, from: Data(body)) else {
            throw ServingError(.badRequest, "Invalid input. stand-in reads only dataframe_records")
        }
        return try predict(r.dataframe_records, model)
    }

    public static func openInferenceMetadata(model: ServedModel) -> [UInt8] {
        Array("{\"name\":\"\(model.name)\",\"platform\":\"mltrack\"}".utf8)
    }

    public static func openInferenceInfer(body: [UInt8], model: ServedModel) throws(ServingError) -> ScoringResponse {
        throw ServingError(.badRequest, "stand-in: no OIP infer")
    }

    public static func recommend(body: [UInt8], model: ServedModel) throws(ServingError) -> ScoringResponse {
        guard let row = try? JSONDecoder().decode([String: FeatureValue].self, from: Data(body)) else {
            throw ServingError(.badRequest, "Invalid input")
        }
        return try predict([row], model)
    }

    public static func recommendBatch(body: [UInt8], model: ServedModel) throws(ServingError) -> ScoringResponse {
        throw ServingError(.badRequest, "stand-in: no batch")
    }

    public static func similarItems(body: [UInt8], model: ServedModel) throws(ServingError) -> ScoringResponse {
        throw ServingError(.badRequest, "stand-in: no similar items")
    }

    public static func errorBody(_ error: ServingError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(["error_code": error.code.rawValue, "message": error.message])) ?? Data())
    }

    public static func openInferenceErrorBody(_ error: ServingError) -> [UInt8] {
        Array((try? JSONEncoder().encode(["error": error.message])) ?? Data())
    }
}
