import Features
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ModelPackage
import Serving
import Testing

/// The protocol handlers behind their routes: recommendations for a named ALS model, OIP infer,
/// MLflow's split format; values equal the predictors'.
@Suite struct ServerProtocolRoutesTests {
    static func json(_ body: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    @Test func recommendationRoutesAnswerForTheNamedModel() async throws {
        let packages = try ServerPackages.get()
        let sut = try await ServerUnderTest.make(packages)
        let predictor = try PredictorRegistry<FeatureValue>.standard.load(from: packages.recs)
        let user = try #require(packages.users.first)
        let expected = try predictor.predict(rows: [["user_id": .string(user), "k": 5]])[0]["item_ids"]
        try await sut.server.makeApplication().test(.router) { client in
            try await client.execute(uri: "/models/recs/recommend", method: .post, headers: jsonHeaders,
                                     body: ByteBuffer(string: #"{"user_id": "\#(user)", "k": 5}"#)) { r in
                #expect(r.status == .ok)
                #expect(r.headers[ServingHeaders.modelVersion] == "recs/1")
                let items = (Self.json(r.body)["items"] as? [[String: Any]] ?? []).map { ModelValue.string($0["item_id"] as? String ?? "") }
                #expect(ModelValue.array(items) == expected)
            }
            try await client.execute(uri: "/models/recs/recommend/batch", method: .post, headers: jsonHeaders,
                                     body: ByteBuffer(string: #"{"user_ids": ["\#(user)", "nobody"], "k": 3}"#)) { r in
                #expect(r.status == .ok)
                #expect((Self.json(r.body)["recommendations"] as? [Any])?.count == 2)
            }
            try await client.execute(uri: "/models/recs/similar-items", method: .post, headers: jsonHeaders,
                                     body: ByteBuffer(string: #"{"item_id": "no-such-item", "k": 3}"#)) { r in
                #expect(r.status == .notFound)
                #expect(errorCode(r.body) == "RESOURCE_DOES_NOT_EXIST")
            }
            // The default model is the churn classifier: recommendations are refused naming it.
            try await client.execute(uri: "/recommend", method: .post, headers: jsonHeaders,
                                     body: ByteBuffer(string: #"{"user_id": "\#(user)"}"#)) { r in
                #expect(r.status == .badRequest)
                #expect(r.headers[ServingHeaders.modelVersion] == "churn/1")
            }
        }
    }

    @Test func openInferenceInferAndSplitFormatGiveThePredictorsValues() async throws {
        let packages = try ServerPackages.get()
        let sut = try await ServerUnderTest.make(packages)
        let expected = try packages.probabilities(packages.churnV1)
        try await sut.server.makeApplication().test(.router) { client in
            let meta = try await client.execute(uri: "/v2/models/churn", method: .get) { r in Self.json(r.body) }
            let specs = meta["inputs"] as? [[String: Any]] ?? []
            let inputs: [[String: Any]] = specs.map { spec in
                let name = spec["name"] as? String ?? ""
                let data: [Any] = packages.rows.map { row in
                    switch row[name] ?? .null {
                    case .number(let d): d == d.rounded() && spec["datatype"] as? String != "FP64" ? Int(d) as Any : d as Any
                    case .string(let s): s
                    case .bool(let b): b
                    case .null: NSNull()
                    }
                }
                return ["name": name, "datatype": spec["datatype"] ?? "BYTES", "shape": [packages.rows.count], "data": data]
            }
            let body = try JSONSerialization.data(withJSONObject: ["id": "r1", "inputs": inputs])
            try await client.execute(uri: "/v2/models/churn/versions/1/infer", method: .post, headers: jsonHeaders,
                                     body: ByteBuffer(bytes: body)) { r in
                #expect(r.status == .ok, "\(text(r.body))")
                // JSONDecoder, not JSONSerialization: the latter can miss the last bit of a double.
                struct Answer: Decodable {
                    struct Output: Decodable { var name: String; var data: [Double] }
                    var outputs: [Output]
                }
                let answer = try JSONDecoder().decode(Answer.self, from: Data(r.body.readableBytesView))
                #expect(answer.outputs.first { $0.name == "probability" }?.data == expected)
            }

            let columns = Array(packages.rows[0].keys).sorted()
            let split: [String: Any] = ["dataframe_split": [
                "columns": columns,
                "data": packages.rows.map { row in columns.map { c -> Any in
                    switch row[c] ?? .null {
                    case .number(let d): d
                    case .string(let s): s
                    case .bool(let b): b
                    case .null: NSNull()
                    }
                } },
            ]]
            try await client.execute(uri: "/invocations", method: .post, headers: jsonHeaders,
                                     body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: split))) { r in
                #expect(r.status == .ok, "\(text(r.body))")
                let got = try predictedProbabilities(r.body)
                #expect(got == expected)
            }
            // A value of the wrong type is a 400 naming the column.
            var short = packages.rows
            short[1]["tenure_months"] = "abc"
            try await client.execute(uri: "/invocations", method: .post, headers: jsonHeaders,
                                     body: try packages.recordsBody(short)) { r in
                #expect(r.status == .badRequest)
                #expect(text(r.body).contains("tenure_months"), "\(text(r.body))")
            }
        }
    }
}
