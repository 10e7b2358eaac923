import Features
import Foundation
import ModelPackage
@testable import Serving
import Testing

@Suite struct ProtocolOpenInferenceTests {
    func infer(_ body: String, _ model: ServedModel) throws(ServingError) -> ScoringResponse {
        try ScoringHandlers.openInferenceInfer(body: Array(body.utf8), model: model)
    }

    func failure(_ body: String, _ model: ServedModel) -> ServingError? {
        Wire.error { () throws(ServingError) in _ = try infer(body, model) }
    }

    @Test func metadataDescribesTheSignature() throws {
        let churn = try ProtocolFixtures.churn().served
        let meta = try Wire.parse(ScoringHandlers.openInferenceMetadata(model: churn)) as? [String: Any]
        #expect(meta?["name"] as? String == "churn")
        #expect(meta?["versions"] as? [String] == ["churn/3"])
        #expect(meta?["platform"] as? String == "mltrack")
        let inputs = (meta?["inputs"] as? [[String: Any]]) ?? []
        let types = Dictionary(uniqueKeysWithValues: inputs.map { ($0["name"] as? String ?? "", $0["datatype"] as? String ?? "") })
        #expect(types == ["signup_date": "BYTES", "tenure_months": "INT32", "monthly_charges": "FP64", "total_charges": "FP64",
                          "contract": "BYTES", "payment_method": "BYTES", "partner": "BOOL", "senior": "BOOL",
                          "support_calls": "INT32", "last_active": "BYTES", "region": "BYTES"])
        #expect(inputs.allSatisfy { $0["shape"] as? [Int] == [-1] })
        #expect(inputs.map { $0["name"] as? String ?? "" } == churn.predictor.signature?.inputs.map(\.name))
        let (recs, _) = try ProtocolFixtures.als()
        #expect(Wire.text(ScoringHandlers.openInferenceMetadata(model: recs)) == #"{"name": "recs", "versions": ["local"], "platform": "mltrack", "inputs": [{"name": "user_id", "datatype": "BYTES", "shape": [-1]}, {"name": "k", "datatype": "INT64", "shape": [-1]}], "outputs": [{"name": "item_ids", "datatype": "BYTES", "shape": [-1, -1]}, {"name": "scores", "datatype": "FP64", "shape": [-1, -1]}]}"#)
        let outputs = (meta?["outputs"] as? [[String: Any]]) ?? []
        #expect(outputs.map { $0["name"] as? String ?? "" } == ["probability", "label"])
        #expect(outputs.map { $0["datatype"] as? String ?? "" } == ["FP64", "INT64"])
    }

    /// The fixture rows as OIP input tensors (flat, or nested [n, 1]).
    static func inputs(nested: Bool, churn: ServedModel) throws -> String {
        let rows = try ProtocolInvocationsTests.rowMembers()
        let specs = churn.predictor.signature?.inputs ?? []
        return "[" + (ProtocolFixtures.columns + ["customer_id"]).map { c in
            let type = specs.first { $0.name == c }.map { OpenInference.datatype($0.type) } ?? "BYTES"
            let values = rows.map { r in Wire.render(r.first { $0.key == c }?.value ?? .null) }
            let data = nested ? values.map { "[\($0)]" } : values
            return "{\"name\": \"\(c)\", \"datatype\": \"\(type)\", \"shape\": \(nested ? "[3, 1]" : "[3]"), \"parameters\": {\"content_type\": \"pd\"}, \"data\": [\(data.joined(separator: ", "))]}"
        }.joined(separator: ", ") + "]"
    }

    @Test func inferGivesThePredictorsExactBits() throws {
        let churn = try ProtocolFixtures.churn().served
        let expected = try churn.predictor.predict(rows: ProtocolFixtures.featureRows())
        let p = expected.compactMap { $0["probability"]?.doubleValue }
        let labels = expected.compactMap { r -> String? in if case .int(let l)? = r["label"] { String(l) } else { nil } }
        let outputs = "[{\"name\": \"probability\", \"datatype\": \"FP64\", \"shape\": [3], \"data\": [\(p.map(\.description).joined(separator: ", "))]}, "
            + "{\"name\": \"label\", \"datatype\": \"INT64\", \"shape\": [3], \"data\": [\(labels.joined(separator: ", "))]}]"
        for nested in [false, true] {
            let body = "{\"id\": \"req-1\", \"parameters\": {}, \"inputs\": \(try Self.inputs(nested: nested, churn: churn))}"
            let r = try infer(body, churn)
            #expect(Wire.text(r.body) == "{\"model_name\": \"churn\", \"model_version\": \"churn/3\", \"id\": \"req-1\", \"outputs\": \(outputs)}")
            #expect(r.predictionValues == p && r.rows == 3)
        }
        // Chosen outputs, in the order asked; no id means none echoed.
        let only = try infer("{\"inputs\": \(try Self.inputs(nested: false, churn: churn)), \"outputs\": [{\"name\": \"label\"}]}", churn)
        #expect(Wire.text(only.body) == "{\"model_name\": \"churn\", \"model_version\": \"churn/3\", \"outputs\": [{\"name\": \"label\", \"datatype\": \"INT64\", \"shape\": [3], \"data\": [\(labels.joined(separator: ", "))]}]}")
    }

    @Test func badRequestsAreNamed() throws {
        let churn = try ProtocolFixtures.churn().served
        let good = try Self.inputs(nested: false, churn: churn)
        func with(_ old: String, _ new: String) -> String { "{\"inputs\": \(good.replacingOccurrences(of: old, with: new))}" }
        let cases: [(String, ServingError.Code, String)] = [
            ("[]", .badRequest, "must be a JSON object with \"inputs\""),
            ("{}", .badRequest, "needs \"inputs\""),
            (#"{"inputs": {}}"#, .badRequest, "\"inputs\" must be a list of tensors"),
            (#"{"inputs": [1]}"#, .badRequest, "inputs[0] must be a tensor object"),
            (#"{"inputs": [{"datatype": "FP64", "shape": [1], "data": [1]}]}"#, .badRequest, "inputs[0] needs a string \"name\""),
            (#"{"inputs": [{"name": "x", "datatype": "FLOAT", "shape": [1], "data": [1]}]}"#, .badRequest, "input x: \"datatype\" must be one of BOOL, BYTES, FP16"),
            (#"{"inputs": [{"name": "x", "datatype": "FP64", "shape": [], "data": [1]}]}"#, .badRequest, "input x: \"shape\" must be a non-empty list"),
            (#"{"inputs": [{"name": "x", "datatype": "FP64", "shape": [-1], "data": [1]}]}"#, .badRequest, "shape sizes must be non-negative integers, got -1"),
            (#"{"inputs": [{"name": "x", "datatype": "FP64", "shape": [2, 2], "data": [1, 2, 3, 4]}]}"#, .invalidParameterValue, "input x: shape [2, 2] has several values per row"),
            (#"{"inputs": [{"name": "x", "datatype": "FP64", "shape": [3], "data": [1, 2]}]}"#, .badRequest, "input x: \"data\" has 2 values, shape [3] needs 3"),
            (#"{"inputs": [{"name": "x", "datatype": "FP64", "shape": [3]}]}"#, .badRequest, "input x has no \"data\""),
            (#"{"inputs": [{"name": "x", "datatype": "FP64", "shape": [2147483647], "data": [1]}]}"#, .badRequest, "\"data\" has 1 values, shape [2147483647] needs 2147483647"),
            (#"{"inputs": [{"name": "x", "datatype": "FP64", "shape": [65536, 65536], "data": [1]}]}"#, .badRequest, "shape [65536, 65536] is too large"),
            (#"{"inputs": [{"name": "x", "datatype": "FP64", "shape": [1], "data": [1]}, {"name": "y", "datatype": "FP64", "shape": [2], "data": [1, 2]}]}"#, .badRequest, "input y has 2 rows, x has 1"),
            (#"{"inputs": [{"name": "x", "datatype": "FP64", "shape": [1], "data": [1]}, {"name": "x", "datatype": "FP64", "shape": [1], "data": [1]}]}"#, .badRequest, "column 'x' is given twice"),
            (#"{"inputs": [], "id": 5}"#, .badRequest, "\"id\" must be a string"),
            (with("\"name\": \"tenure_months\", \"datatype\": \"INT32\"", "\"name\": \"tenure_months\", \"datatype\": \"FP64\""), .invalidParameterValue,
             "input tenure_months: datatype FP64 does not match the signature, which wants an integer (send INT32)"),
            (with("\"name\": \"partner\", \"datatype\": \"BOOL\", \"shape\": [3], \"parameters\": {\"content_type\": \"pd\"}, \"data\": [false",
                  "\"name\": \"partner\", \"datatype\": \"BOOL\", \"shape\": [3], \"parameters\": {\"content_type\": \"pd\"}, \"data\": [0"),
             .invalidParameterValue, "column partner, row 0: expected a boolean, got 0"),
            (with("{\"name\": \"contract\"", "{\"name\": \"contract_type\""), .invalidParameterValue, "Model is missing inputs ['contract']: column contract, row 0"),
            ("{\"inputs\": \(good), \"outputs\": [{\"name\": \"score\"}]}", .invalidParameterValue, "unknown output \"score\"; the model outputs probability, label"),
        ]
        for (body, code, fragment) in cases {
            let e = failure(body, churn)
            #expect(e?.code == code, "\(fragment): \(e?.description ?? "no error")")
            #expect(e?.message.contains(fragment) == true, "\(fragment) ← \(e?.message ?? "no error")")
        }
    }

    @Test func alsOutputsAreMatricesOrFlatWithLengths() throws {
        let (recs, als) = try ProtocolFixtures.als()
        let even = try infer(#"{"inputs": [{"name": "user_id", "datatype": "BYTES", "shape": [2], "data": ["u01", 7]}, {"name": "k", "datatype": "INT64", "shape": [2], "data": [3, 3]}]}"#, recs)
        let a = als.recommend(user: "u01", k: 3, excludeSeen: true), b = als.recommend(user: "7", k: 3, excludeSeen: true)
        func ids(_ l: [(item: String, score: Float)]) -> [String] { l.map { "\"\($0.item)\"" } }
        func scores(_ l: [(item: String, score: Float)]) -> [String] { l.map { Double($0.score).description } }
        #expect(Wire.text(even.body) == "{\"model_name\": \"recs\", \"model_version\": \"local\", \"outputs\": ["
            + "{\"name\": \"item_ids\", \"datatype\": \"BYTES\", \"shape\": [2, 3], \"data\": [\((ids(a) + ids(b)).joined(separator: ", "))]}, "
            + "{\"name\": \"scores\", \"datatype\": \"FP64\", \"shape\": [2, 3], \"data\": [\((scores(a) + scores(b)).joined(separator: ", "))]}]}")
        #expect(even.predictionValues.isEmpty && even.rows == 2)
        // u00 has seen 13 of the 15 items: 2 left for k = 5.
        let ragged = try infer(#"{"inputs": [{"name": "user_id", "datatype": "BYTES", "shape": [2, 1], "data": [["u00"], ["u01"]]}, {"name": "k", "datatype": "INT64", "shape": [2], "data": [5, 5]}]}"#, recs)
        let c = als.recommend(user: "u00", k: 5, excludeSeen: true), d = als.recommend(user: "u01", k: 5, excludeSeen: true)
        #expect(c.count == 2 && d.count == 5)
        #expect(Wire.text(ragged.body) == "{\"model_name\": \"recs\", \"model_version\": \"local\", \"outputs\": ["
            + "{\"name\": \"item_ids\", \"datatype\": \"BYTES\", \"shape\": [7], \"data\": [\((ids(c) + ids(d)).joined(separator: ", "))]}, "
            + "{\"name\": \"item_ids_lengths\", \"datatype\": \"INT64\", \"shape\": [2], \"data\": [2, 5]}, "
            + "{\"name\": \"scores\", \"datatype\": \"FP64\", \"shape\": [7], \"data\": [\((scores(c) + scores(d)).joined(separator: ", "))]}, "
            + "{\"name\": \"scores_lengths\", \"datatype\": \"INT64\", \"shape\": [2], \"data\": [2, 5]}]}")
        #expect(failure(#"{"inputs": [{"name": "user_id", "datatype": "INT64", "shape": [1], "data": [7]}]}"#, recs)?.message
            .contains("input user_id: datatype INT64 does not match the signature, which wants a string (send BYTES)") == true)
    }
}
