import Features
import Foundation
import ModelPackage
@testable import Serving
import Testing

@Suite struct ProtocolInvocationsTests {
    static let json = "application/json"

    /// The fixture rows as parsed JSON members.
    static func rowMembers() throws -> [[JSONMember]] {
        try ProtocolFixtures.rowsJSON.map { text in
            guard case .object(let m) = try JSONParser.request(Array(text.utf8)) else { throw ServingError(.internalError, "fixture") }
            return m
        }
    }

    /// Every JSON format (and CSV) carrying the same three rows.
    static func bodies() throws -> [(String, String, String)] {
        let rows = try rowMembers()
        let records = "[" + rows.map { Wire.render(.object($0)) }.joined(separator: ", ") + "]"
        let columns = ProtocolFixtures.columns + ["customer_id"]
        func value(_ row: [JSONMember], _ c: String) -> JSONValue { row.first { $0.key == c }?.value ?? .null }
        let split = "{\"columns\": [" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + "], \"data\": ["
            + rows.map { r in "[" + columns.map { Wire.render(value(r, $0)) }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
        let columnDict = "{" + columns.map { c in "\"\(c)\": [" + rows.map { Wire.render(value($0, c)) }.joined(separator: ", ") + "]" }
            .joined(separator: ", ") + "}"
        let csv = columns.joined(separator: ",") + "\r\n" + rows.map { r in
            columns.map { c -> String in
                switch value(r, c) {
                case .null: return ""
                case .string(let s): return s.contains(",") ? "\"\(s)\"" : s
                case let v: return Wire.render(v)
                }
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
        return [
            ("dataframe_split", json, "{\"dataframe_split\": \(split)}}"),
            ("dataframe_split+index", json, "{\"dataframe_split\": \(split), \"index\": [10, 11, 12]}}"),
            ("dataframe_records", json, "{\"dataframe_records\": \(records)}"),
            ("records+params", "application/json; charset=utf-8", "{\"params\": {\"threshold\": 0.3, \"x\": [1]}, \"dataframe_records\": \(records)}"),
            ("instances", json, "{\"instances\": \(records)}"),
            ("instances columns", json, "{\"instances\": \(columnDict)}"),
            ("inputs columns", json, "{\"inputs\": \(columnDict)}"),
            ("inputs records", json, "{\"inputs\": \(records)}"),
            ("unknown keys ignored", json, "{\"comment\": \"hi\", \"inputs\": \(columnDict)}"),
            ("csv", "text/csv", csv),
            ("csv utf-8", "text/csv; charset=UTF-8", "\u{FEFF}" + csv.replacingOccurrences(of: "\r\n", with: "\n")),
        ]
    }

    func invoke(_ body: String, _ contentType: String? = json, model: ServedModel? = nil) throws(ServingError) -> ScoringResponse {
        let served: ServedModel
        do { served = try model ?? ProtocolFixtures.churn().served } catch { throw ServingError(.internalError, "\(error)") }
        return try ScoringHandlers.invocations(body: Array(body.utf8), contentType: contentType, model: served)
    }

    func failure(_ body: String, _ contentType: String? = json, model: ServedModel? = nil) -> ServingError? {
        Wire.error { () throws(ServingError) in _ = try invoke(body, contentType, model: model) }
    }

    @Test func everyFormatGivesThePredictorsExactBits() throws {
        let churn = try ProtocolFixtures.churn()
        let expected = try churn.served.predictor.predict(rows: ProtocolFixtures.featureRows())
        let p = expected.compactMap { $0["probability"]?.doubleValue }
        let labels = expected.compactMap { record -> Int64? in if case .int(let l)? = record["label"] { l } else { nil } }
        #expect(p.count == 3 && labels.count == 3)
        // Independently: the pipeline and the model on the same rows.
        let x = try churn.pipeline.transform(rows: ProtocolFixtures.featureRows())
        #expect(try churn.model.predictProbabilities(x) == p)
        let text = "{\"predictions\": [" + zip(p, labels).map { "{\"probability\": \($0.0.description), \"label\": \($0.1)}" }
            .joined(separator: ", ") + "]}"
        for (name, type, body) in try Self.bodies() {
            let r = try invoke(body, type)
            #expect(Wire.text(r.body) == text, "\(name)")
            #expect(Wire.probabilities(r.body).map(\.bitPattern) == p.map(\.bitPattern), "\(name)")
            #expect(r.predictionValues == p, "\(name)")
            #expect(r.rows == 3 && r.contentType == "application/json", "\(name)")
        }
        // One row alone scores the same as within the batch.
        let one = try invoke("{\"dataframe_records\": [\(ProtocolFixtures.rowsJSON[1])]}")
        #expect(Wire.probabilities(one.body) == [p[1]])
    }

    @Test func emptyInputsGiveNoPredictions() throws {
        for body in [#"{"dataframe_records": []}"#, #"{"dataframe_split": {"columns": ["x"], "data": []}}"#, #"{"inputs": []}"#, #"{"instances": {}}"#] {
            let r = try invoke(body)
            #expect(Wire.text(r.body) == #"{"predictions": []}"#)
            #expect(r.rows == 0 && r.predictionValues.isEmpty)
        }
        #expect(try Wire.text(invoke(ProtocolFixtures.columns.joined(separator: ",") + "\n", "text/csv").body) == #"{"predictions": []}"#)
    }

    @Test func contentTypesFollowMLflow() throws {
        let body = "{\"dataframe_records\": [\(ProtocolFixtures.rowsJSON[0])]}"
        for ok in ["application/json", "Application/JSON", "application/json;charset=UTF-8", "application/json; charset=\"utf-8\"", "application/json;"] {
            #expect(try invoke(body, ok).rows == 1, "\(ok)")
        }
        let cases: [(String?, String)] = [
            (nil, "no Content-Type header"),
            ("", "no Content-Type header"),
            ("application/json; charset=latin-1", "only supports UTF-8"),
            ("text/csv; charset=utf-16", "only supports UTF-8"),
            ("application/json; format=pandas-split", "no parameters other than charset"),
            ("text/plain", "only supports the following content types: application/json, text/csv"),
            ("application/vnd.apache.parquet", "only supports the following content types"),
            ("application/jsonx", "only supports the following content types"),
        ]
        for (type, fragment) in cases {
            let e = failure(body, type)
            #expect(e?.code == .unsupportedMediaType && e?.status == 415, "\(type ?? "nil")")
            #expect(e?.message.contains(fragment) == true, "\(type ?? "nil"): \(e?.message ?? "")")
        }
    }

    @Test func malformedRequestsAreBadRequests() throws {
        let exactlyOne = "The input must be a JSON dictionary with exactly one of the input fields {'dataframe_split', 'dataframe_records', 'instances', 'inputs'}"
        let cases: [(String, String)] = [
            ("", "Invalid input. The request body is empty"),
            ("not json", "Invalid input. Malformed JSON"),
            ("{\"dataframe_records\": [", "truncated"),
            ("[1, 2]", exactlyOne + ". Received an array."),
            ("\"x\"", exactlyOne),
            ("{}", exactlyOne + ". Received dictionary with input fields: []."),
            (#"{"params": {}}"#, exactlyOne),
            (#"{"data": [[1]]}"#, "Received dictionary with input fields: ['data']"),
            (#"{"inputs": {"a": [1]}, "instances": [{"a": 1}]}"#, "Received dictionary with input fields: ['inputs', 'instances']"),
            (#"{"inputs": {"a": [1]}, "inputs": {"a": [2]}}"#, "given twice"),
            (#"{"dataframe_records": {"a": 1}}"#, "Invalid input. 'dataframe_records' must be a list of row objects, got an object"),
            ("{\"dataframe_records\": [\(ProtocolFixtures.rowsJSON[0]), 5]}", "Invalid input. 'dataframe_records' element 1 must be a row object, got a number"),
            (#"{"dataframe_records": [], "params": [1]}"#, "Invalid input. 'params' must be a JSON object"),
            (#"{"dataframe_split": [[1]]}"#, "Invalid input. 'dataframe_split' must be an object"),
            (#"{"dataframe_split": {"columns": ["a"], "data": [[1]], "dtype": "x"}}"#, "may only have the keys 'columns', 'data' and 'index'; got 'dtype'"),
            (#"{"dataframe_split": {"data": [[1]]}}"#, "needs 'columns'"),
            (#"{"dataframe_split": {"columns": ["a"]}}"#, "needs 'data'"),
            (#"{"dataframe_split": {"columns": ["a", 3], "data": []}}"#, "column name 1 must be a string, got 3"),
            (#"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2], [1, 2, 3]]}}"#, "'data' row 1 has 3 values, 'columns' has 2"),
            (#"{"dataframe_split": {"columns": ["a"], "data": [1]}}"#, "'data' row 0 must be a list of values, got a number"),
            (#"{"dataframe_split": {"columns": ["a"], "data": [[1]], "index": [0, 1]}}"#, "'index' has 2 entries for 1 rows"),
            (#"{"dataframe_split": {"columns": ["a", "a"], "data": [[1, 2]]}}"#, "column 'a' is given twice"),
            (#"{"inputs": {"a": [1, 2], "b": [1]}}"#, "columns have different lengths: 'a' has 2 values, 'b' has 1"),
            (#"{"inputs": {"a": [1, 2], "b": 1}}"#, "needs a list of values for every column"),
            (#"{"inputs": [{"a": 1}, [1]]}"#, "mixes row objects with other values"),
            (#"{"inputs": "x"}"#, "must be a list of row objects or a column dict, got a string"),
            ("a,b\n1,2,3\n", "CSV row 0 (line 2) has 3 fields, the header has 2"),
            ("a,\"b\n1,2\n", "quoted field is not closed"),
            ("a,\"b\"x\n1,2\n", "characters after a closing quote"),
            ("a,a\n1,2\n", "column 'a' is given twice"),
        ]
        for (body, fragment) in cases {
            let type = body.contains("\n") ? "text/csv" : Self.json
            let e = failure(body, type)
            #expect(e?.code == .badRequest && e?.status == 400, "\(body)")
            #expect(e?.message.contains(fragment) == true, "\(body): \(e?.message ?? "no error")")
        }
        #expect(failure("", "text/csv")?.message.contains("The CSV body is empty") == true)
        let bad = Array("a\n".utf8) + [0xFF, 0x0A]
        let e = Wire.error { () throws(ServingError) in
            _ = try ScoringHandlers.invocations(body: bad, contentType: "text/csv", model: try churnOrThrow())
        }
        #expect(e?.code == .badRequest && e?.message.contains("not valid UTF-8") == true)
    }

    func churnOrThrow() throws(ServingError) -> ServedModel {
        do { return try ProtocolFixtures.churn().served } catch { throw ServingError(.internalError, "\(error)") }
    }

    /// A row with one cell replaced (JSON text of the value).
    static func row(_ index: Int, _ column: String, _ value: String?) -> String {
        var text = ProtocolFixtures.rowsJSON[index]
        guard let r = text.range(of: "\"\(column)\": ") else { return text }
        let end = text[r.upperBound...].firstIndex { $0 == "," || $0 == "}" } ?? text.endIndex
        if let value {
            text.replaceSubrange(r.upperBound ..< end, with: value)
        } else {
            var cut = r.lowerBound ..< end
            if text[end] == "," { cut = r.lowerBound ..< text.index(end, offsetBy: 2) }
            text.removeSubrange(cut)
        }
        return text
    }

    static func records(_ rows: [String]) -> String { "{\"dataframe_records\": [\(rows.joined(separator: ", "))]}" }

    @Test func schemaViolationsNameTheColumnAndRow() throws {
        let r0 = ProtocolFixtures.rowsJSON[0], r1 = ProtocolFixtures.rowsJSON[1]
        let cases: [(String, String)] = [
            (Self.records([r0, r1, Self.row(2, "tenure_months", "\"abc\"")]), "column tenure_months, row 2: expected an integer, got \"abc\""),
            (Self.records([r0, Self.row(1, "tenure_months", "3.5")]), "column tenure_months, row 1: expected an integer, got 3.5"),
            (Self.records([Self.row(0, "tenure_months", "true")]), "column tenure_months, row 0: expected an integer, got true"),
            (Self.records([Self.row(0, "tenure_months", "3000000000")]), "column tenure_months, row 0: 3000000000 is out of range for an integer"),
            (Self.records([Self.row(0, "tenure_months", "123456789012345678901234567890")]), "column tenure_months, row 0: 1.2345678901234568e+29 is out of range"),
            (Self.records([Self.row(0, "monthly_charges", "\"70.5\"")]), "column monthly_charges, row 0: expected a double, got \"70.5\""),
            (Self.records([Self.row(0, "monthly_charges", "[1]")]), "column monthly_charges, row 0: expected a double, got an array"),
            (Self.records([r0, Self.row(1, "partner", "1")]), "column partner, row 1: expected a boolean, got 1"),
            (Self.records([Self.row(0, "contract", "7")]), "column contract, row 0: expected a string, got 7"),
            (Self.records([Self.row(0, "signup_date", "\"yesterday\"")]), "column signup_date, row 0: expected a datetime as ISO-8601 text"),
            (Self.records([Self.row(0, "last_active", "1734688800")]), "column last_active, row 0: expected a datetime (ISO-8601 text), got 1734688800"),
            (Self.records([r0, r1, Self.row(2, "contract", "null")]), "column contract, row 2: null where the signature allows none"),
            (Self.records([r0, Self.row(1, "contract", nil)]), "Model is missing inputs ['contract']: column contract, row 1"),
            (#"{"dataframe_split": {"columns": ["tenure_months"], "data": [[1]]}}"#, "Model is missing inputs ['monthly_charges', 'support_calls', 'partner', 'senior', 'contract', 'payment_method', 'signup_date', 'last_active']: column monthly_charges, row 0"),
            (#"{"instances": [[1, 2, 3]]}"#, "Model is missing inputs ['tenure_months', 'monthly_charges', "),
            (#"{"inputs": [1, 2]}"#, "'inputs' is a tensor"),
        ]
        for (body, fragment) in cases {
            let e = failure(body)
            #expect(e?.code == .invalidParameterValue && e?.status == 400, "\(body)")
            #expect(e?.message.contains(fragment) == true, "\(fragment) ← \(e?.message ?? "no error")")
        }
        // CSV values are typed the same way, rows counted from the first data line.
        let header = "tenure_months,contract,signup_date,monthly_charges,payment_method,partner,senior,support_calls,last_active"
        let good = "5,one-year,2024-01-01,10.5,mailed check,true,False,1,2024-12-01T00:00:00Z"
        #expect(try invoke("\(header)\n\(good)\n", "text/csv").rows == 1)
        let csvCases: [(String, String)] = [
            ("5.5,one-year,2024-01-01,10.5,mailed check,true,False,1,2024-12-01T00:00:00Z", "column tenure_months, row 1: expected an integer, got 5.5"),
            ("5,one-year,2024-01-01,ten,mailed check,true,False,1,2024-12-01T00:00:00Z", "column monthly_charges, row 1: expected a double, got \"ten\""),
            ("5,one-year,2024-01-01,10.5,mailed check,yes,False,1,2024-12-01T00:00:00Z", "column partner, row 1: expected a boolean, got \"yes\""),
            ("5,,2024-01-01,10.5,mailed check,true,False,1,2024-12-01T00:00:00Z", "column contract, row 1: null where the signature allows none"),
            ("NaN,one-year,2024-01-01,10.5,mailed check,true,False,1,2024-12-01T00:00:00Z", "column tenure_months, row 1: null where"),
            ("5,one-year,2024-01-01,inf,mailed check,true,False,1,2024-12-01T00:00:00Z", "column monthly_charges, row 1: expected a double, got \"inf\""),
        ]
        for (line, fragment) in csvCases {
            let e = failure("\(header)\n\(good)\n\(line)\n", "text/csv")
            #expect(e?.code == .invalidParameterValue, "\(line)")
            #expect(e?.message.contains(fragment) == true, "\(fragment) ← \(e?.message ?? "no error")")
        }
        #expect(failure("tenure_months\n5\n", "text/csv")?.message.hasPrefix("Model is missing inputs ['monthly_charges', ") == true)
    }

    @Test func acceptedConversionsMatchThePredictor() throws {
        let churn = try ProtocolFixtures.churn()
        var rows = try ProtocolFixtures.featureRows()
        rows[0]["tenure_months"] = .number(3)
        let expected = try churn.served.predictor.predict(rows: [rows[0]]).first?["probability"]
        // 3.0 and 3e0 for an integer column, an integer for a double column, null for an optional column.
        for v in ["3", "3.0", "3e0", "30e-1"] {
            let r = try invoke(Self.records([Self.row(0, "tenure_months", v)]))
            #expect(Wire.probabilities(r.body).first.map(ModelValue.double) == expected, "\(v)")
        }
        rows[0]["monthly_charges"] = .number(70)
        let seventy = try churn.served.predictor.predict(rows: [rows[0]]).first?["probability"]
        let r = try invoke(Self.records([Self.row(0, "tenure_months", "3").replacingOccurrences(of: "70.5", with: "70")]))
        #expect(Wire.probabilities(r.body).first.map(ModelValue.double) == seventy)
        // A date column given a timestamp passes the type check (datetime) but not the pipeline: named.
        let e = failure(Self.records([r0Row(), Self.row(1, "signup_date", "\"2020-01-15T10:00:00Z\"")]))
        #expect(e?.code == .invalidParameterValue)
        #expect(e?.message.hasPrefix("column signup_date, row 1: ") == true, "\(e?.message ?? "")")
    }

    func r0Row() -> String { ProtocolFixtures.rowsJSON[0] }

    @Test func modelFailuresAndOutputsAreWrittenAsMLflowDoes() throws {
        let churn = try ProtocolFixtures.churn()
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        let failing = ServedModel(name: "churn", resolved: churn.served.resolved, manifest: churn.served.manifest,
                                  predictor: Predictor(manifest: churn.served.manifest) { _ in throw Boom() }, recommender: nil)
        let e = failure(Self.records([r0Row()]), model: failing)
        #expect(e == ServingError(.badRequest, "Encountered an unexpected error while evaluating the model: boom"))
        let invalid = ServedModel(name: "churn", resolved: churn.served.resolved, manifest: churn.served.manifest,
                                  predictor: Predictor(manifest: churn.served.manifest) { _ in
                                      throw PredictionError.invalidInput(column: "region", row: 4, "unknown category \"x\"")
                                  }, recommender: nil)
        #expect(failure(Self.records([r0Row()]), model: invalid) == ServingError(.invalidParameterValue, "column region, row 4: unknown category \"x\""))
        // Non-finite doubles as MLflow's strings; extra keys after the signature's, sorted.
        let odd = ServedModel(name: "churn", resolved: churn.served.resolved, manifest: churn.served.manifest,
                              predictor: Predictor(manifest: churn.served.manifest) { rows in
                                  rows.indices.map { i in
                                      ["zeta": .string("z\"q"), "label": .int(Int64(i)), "alpha": .array([.double(-.infinity)]),
                                       "probability": .double(i == 0 ? .nan : .infinity)]
                                  }
                              }, recommender: nil)
        let r = try invoke(Self.records([r0Row(), r0Row()]), model: odd)
        #expect(Wire.text(r.body) == #"{"predictions": [{"probability": "NaN", "label": 0, "alpha": ["-Infinity"], "zeta": "z\"q"}, {"probability": "Infinity", "label": 1, "alpha": ["-Infinity"], "zeta": "z\"q"}]}"#)
        #expect(r.predictionValues.count == 2 && r.predictionValues[0].isNaN && r.predictionValues[1] == .infinity)
    }

    @Test func errorBodiesAreMLflowJSON() throws {
        let e = ServingError(.invalidParameterValue, "column \"a\", row 2:\nbad")
        #expect(Wire.text(ScoringHandlers.errorBody(e)) == #"{"error_code": "INVALID_PARAMETER_VALUE", "message": "column \"a\", row 2:\nbad"}"#)
        #expect(Wire.text(ScoringHandlers.openInferenceErrorBody(e)) == #"{"error": "column \"a\", row 2:\nbad"}"#)
        let parsed = try Wire.parse(ScoringHandlers.errorBody(e)) as? [String: String]
        #expect(parsed == ["error_code": "INVALID_PARAMETER_VALUE", "message": e.message])
    }

    @Test func hostileBodiesAreRefusedNeverCrash() throws {
        let deep = "{\"inputs\": " + String(repeating: "[", count: 100_000)
        #expect(failure(deep)?.message.contains("nesting deeper than 64") == true)
        #expect(failure("{\"inputs\": {\"tenure_months\": [1e999]}}")?.message.contains("out of range") == true)
        let long = "{\"dataframe_records\": [{\"contract\": \"" + String(repeating: "x", count: 1_000_000) + "\"}]}"
        #expect(failure(long)?.code == .invalidParameterValue)  // parsed fine, then missing columns
        let wide = "{\"dataframe_split\": {\"columns\": [" + (0 ..< 20_000).map { "\"c\($0)\"" }.joined(separator: ",") + ", \"c7\"], \"data\": []}}"
        #expect(failure(wide)?.message.contains("column 'c7' is given twice") == true)
        var g = SeededGenerator(seed: 3)
        let valid = Array(try Self.bodies()[0].2.utf8)
        let model = try churnOrThrow()
        for _ in 0 ..< 2_000 {
            var b = valid
            for _ in 0 ..< 1 + Int(g.next() % 3) { b[Int(g.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: g.next()) }
            if g.next() % 4 == 0 { b = Array(b.prefix(Int(g.next() % UInt64(b.count)))) }
            do {
                _ = try ScoringHandlers.invocations(body: b, contentType: Self.json, model: model)
            } catch {
                #expect(error.status == 400)
            }
        }
    }
}
