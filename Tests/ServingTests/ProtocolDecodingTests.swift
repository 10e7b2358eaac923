import Features
import Foundation
import ModelPackage
@testable import Serving
import Testing

/// Decoding details seen through an echo model: its predictor returns each decoded row as its
/// record, so the response shows exactly what reached the model.
@Suite struct ProtocolDecodingTests {
    static func echo(_ signature: ModelSignature?) throws -> ServedModel {
        let base = try ProtocolFixtures.churn().served
        var manifest = base.manifest
        manifest.signature = signature
        let predictor = Predictor<FeatureValue>(manifest: manifest) { rows in
            rows.map { row in
                row.mapValues { v -> ModelValue in
                    switch v {
                    case .null: .null
                    case .bool(let b): .bool(b)
                    case .number(let d): .double(d)
                    case .string(let s): .string(s)
                    }
                }
            }
        }
        return ServedModel(name: "echo", resolved: base.resolved, manifest: manifest, predictor: predictor, recommender: nil)
    }

    static let signature = ModelSignature(
        inputs: [ColumnSpec("id", .long), ColumnSpec("name", .string, required: false), ColumnSpec("x", .double, required: false),
                 ColumnSpec("ok", .boolean, required: false), ColumnSpec("at", .datetime, required: false)],
        outputs: [ColumnSpec("id", .double), ColumnSpec("name", .string)])

    func body(_ text: String, _ type: String, _ model: ServedModel) throws -> String {
        Wire.text(try ScoringHandlers.invocations(body: Array(text.utf8), contentType: type, model: model).body)
    }

    @Test func csvQuotingNullsAndTypes() throws {
        let model = try Self.echo(Self.signature)
        let csv = "id,name,x,ok,at,extra\r\n"
            + "1,\"Smith, \"\"J\"\"\",2.5,true,2024-01-02,zzz\r\n"
            + "2,,NaN,False,,\r\n"
            + "3,\"\",-1e3,TRUE,2024-01-02T03:04:05Z,\r\n"
            + "\r\n"
            + "4,\"multi\nline\",7,false,,"
        #expect(try body(csv, "text/csv", model) == #"{"predictions": [{"id": 1.0, "name": "Smith, \"J\"", "at": "2024-01-02", "ok": true, "x": 2.5}, {"id": 2.0, "name": null, "at": null, "ok": false, "x": null}, {"id": 3.0, "name": "", "at": "2024-01-02T03:04:05Z", "ok": true, "x": -1000.0}, {"id": 4.0, "name": "multi\nline", "at": null, "ok": false, "x": 7.0}]}"#)
    }

    @Test func jsonValuesReachTheModelAsSent() throws {
        let model = try Self.echo(Self.signature)
        let text = #"{"dataframe_records": [{"id": 9007199254740992, "name": "é\u0000\n", "x": 1, "ok": null, "extra": [1]}, {"id": 2.0, "x": 1e-300}]}"#
        #expect(try body(text, "application/json", model) == #"{"predictions": [{"id": 9007199254740992.0, "name": "é\u0000\n", "ok": null, "x": 1.0}, {"id": 2.0, "x": 1e-300}]}"#)
        let e = Wire.error { () throws(ServingError) in
            _ = try ScoringHandlers.invocations(body: Array(#"{"inputs": {"id": [9007199254740993]}}"#.utf8), contentType: "application/json", model: model)
        }
        #expect(e?.message == "column id, row 0: 9007199254740993 is out of range for a long (beyond ±2^53 it is not exact)")
    }

    @Test func withoutASignatureEveryScalarColumnPasses() throws {
        let model = try Self.echo(nil)
        #expect(try body(#"{"inputs": {"a": [1, null], "b": ["x", true]}}"#, "application/json", model)
            == #"{"predictions": [{"a": 1.0, "b": "x"}, {"a": null, "b": true}]}"#)
        #expect(try body("a,b\n1,x\n\"2\",true\n", "text/csv", model) == #"{"predictions": [{"a": 1.0, "b": "x"}, {"a": "2", "b": true}]}"#)
        let e = Wire.error { () throws(ServingError) in
            _ = try ScoringHandlers.invocations(body: Array(#"{"dataframe_records": [{"a": {"b": 1}}]}"#.utf8), contentType: "application/json", model: model)
        }
        #expect(e == ServingError(.invalidParameterValue, "column a, row 0: expected a scalar (null, a boolean, a number or a string), got an object"))
        #expect(Wire.error { () throws(ServingError) in
            _ = try ScoringHandlers.invocations(body: Array(#"{"instances": [1, 2]}"#.utf8), contentType: "application/json", model: model)
        }?.code == .badRequest)
    }
}
