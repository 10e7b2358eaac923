import Features
import Foundation
@testable import Serving
import Testing
import Trainers

@Suite struct ProtocolRecommendationsTests {
    /// The routes (an enum: closures over typed-throws functions crash the 6.3 compiler).
    enum Handler: CaseIterable {
        case recommend, recommendBatch, similarItems

        func callAsFunction(_ body: [UInt8], _ model: ServedModel) throws(ServingError) -> ScoringResponse {
            switch self {
            case .recommend: try ScoringHandlers.recommend(body: body, model: model)
            case .recommendBatch: try ScoringHandlers.recommendBatch(body: body, model: model)
            case .similarItems: try ScoringHandlers.similarItems(body: body, model: model)
            }
        }
    }

    func call(_ handler: Handler, _ body: String, _ model: ServedModel) throws(ServingError) -> String {
        Wire.text(try handler(Array(body.utf8), model).body)
    }

    func failure(_ handler: Handler, _ body: String, _ model: ServedModel) -> ServingError? {
        Wire.error { () throws(ServingError) in _ = try handler(Array(body.utf8), model) }
    }

    /// The answer text for `user` as the ALS model computes it (scores as Float32 text).
    static func expected(_ als: ALSModel, _ user: String, k: Int, exclude: Bool = true, cold: Bool) -> String {
        let items = als.recommend(user: user, k: k, excludeSeen: exclude)
        return "{\"user_id\": \"\(user)\", \"items\": [" + items.map { "{\"item_id\": \"\($0.item)\", \"score\": \($0.score.description)}" }
            .joined(separator: ", ") + "], \"cold_start\": \(cold)}"
    }

    @Test func oneUserMatchesTheModel() throws {
        let (recs, als) = try ProtocolFixtures.als()
        #expect(try call(.recommend, #"{"user_id": "u01", "k": 4}"#, recs) == Self.expected(als, "u01", k: 4, cold: false))
        #expect(try call(.recommend, #"{"user_id": "u01", "k": 4, "exclude_seen": false}"#, recs)
            == Self.expected(als, "u01", k: 4, exclude: false, cold: false))
        // Defaults: k 10, seen items excluded; an integer id is its decimal text.
        #expect(try call(.recommend, #"{"user_id": "u02"}"#, recs) == Self.expected(als, "u02", k: 10, cold: false))
        #expect(try call(.recommend, #"{"user_id": 7, "k": 2.0, "exclude_seen": null}"#, recs) == Self.expected(als, "7", k: 2, cold: false))
        // u00 has seen 13 of 15 items: only 2 to recommend.
        let u00 = try ScoringHandlers.recommend(body: Array(#"{"user_id": "u00", "k": 5}"#.utf8), model: recs)
        #expect(Wire.text(u00.body) == Self.expected(als, "u00", k: 5, cold: false))
        #expect(als.recommend(user: "u00", k: 5, excludeSeen: true).count == 2 && u00.rows == 1 && u00.predictionValues.isEmpty)
        // Scores are Float32 text: parsing gives the model's bits.
        let parsed = try Wire.parse(u00.body) as? [String: Any]
        let items = parsed?["items"] as? [[String: Any]] ?? []
        let text = Wire.text(u00.body)
        let scoreTexts = text.components(separatedBy: "\"score\": ").dropFirst().map { String($0.prefix { $0 != "}" }) }
        #expect(scoreTexts.compactMap { Float($0)?.bitPattern } == als.recommend(user: "u00", k: 5, excludeSeen: true).map(\.score.bitPattern))
        #expect(items.count == 2)
    }

    @Test func unknownUsersGetThePopularItemsAsColdStart() throws {
        let (recs, als) = try ProtocolFixtures.als()
        let body = try call(.recommend, #"{"user_id": "nobody", "k": 3}"#, recs)
        #expect(body == Self.expected(als, "nobody", k: 3, cold: true))
        let popular = als.popular(k: 3)
        #expect(body.contains("\"item_id\": \"\(als.items.ids[popular[0].item])\", \"score\": \(Float(als.itemPopularity[popular[0].item]).description)"))
        #expect(popular.map(\.score) == popular.map { Float(als.itemPopularity[$0.item]) })
    }

    @Test func batchesMatchOneByOne() throws {
        let (recs, als) = try ProtocolFixtures.als()
        let users = ["u03", "nobody", "u00", "u03", "7"]
        let r = try ScoringHandlers.recommendBatch(body: Array(#"{"user_ids": ["u03", "nobody", "u00", "u03", 7], "k": 4}"#.utf8), model: recs)
        #expect(Wire.text(r.body) == "{\"recommendations\": [" + users.map { Self.expected(als, $0, k: 4, cold: $0 == "nobody") }
            .joined(separator: ", ") + "]}")
        #expect(r.rows == 5 && r.predictionValues.isEmpty)
        #expect(try call(.recommendBatch, #"{"user_ids": []}"#, recs) == #"{"recommendations": []}"#)
        let many = "{\"user_ids\": [" + Array(repeating: "\"u01\"", count: 10_001).joined(separator: ",") + "]}"
        #expect(failure(.recommendBatch, many, recs)?.message == "\"user_ids\" has 10001 ids; at most 10000 per request")
        let cases: [(String, String)] = [
            (#"{"k": 3}"#, "missing \"user_ids\" (a list of user ids)"),
            (#"{"user_ids": "u01"}"#, "\"user_ids\" must be a list of user ids, got a string"),
            (#"{"user_ids": ["u01", null]}"#, "\"user_ids[1]\" must be a string or an integer id, got null"),
            (#"{"user_ids": ["u01"], "k": 0}"#, "\"k\" must be an integer in 1...10000, got 0"),
        ]
        for (body, message) in cases {
            let e = failure(.recommendBatch, body, recs)
            #expect(e?.code == .invalidParameterValue && e?.message == message, "\(e?.message ?? "no error")")
        }
    }

    @Test func similarItemsMatchTheModel() throws {
        let (recs, als) = try ProtocolFixtures.als()
        let similar = try als.similarItems(item: "i03", k: 4)
        #expect(try call(.similarItems, #"{"item_id": "i03", "k": 4}"#, recs)
            == "{\"item_id\": \"i03\", \"items\": [" + similar.map { "{\"item_id\": \"\($0.item)\", \"score\": \($0.score.description)}" }
            .joined(separator: ", ") + "]}")
        let e = failure(.similarItems, #"{"item_id": "i99"}"#, recs)
        #expect(e == ServingError(.resourceDoesNotExist, "item \"i99\" is not in model 'recs' (not in its training interactions)"))
        #expect(e?.status == 404)
    }

    @Test func badRequestsAndOtherModelKinds() throws {
        let (recs, _) = try ProtocolFixtures.als()
        let cases: [(String, ServingError.Code, String)] = [
            ("", .badRequest, "Invalid input. The request body is empty"),
            ("[1]", .badRequest, "A recommendation request must be a JSON object, got an array"),
            ("{\"user_id\": ", .badRequest, "truncated"),
            (#"{"k": 3}"#, .invalidParameterValue, "missing \"user_id\""),
            (#"{"user_id": 1.5}"#, .invalidParameterValue, "\"user_id\" must be a string or an integer id, got 1.5"),
            (#"{"user_id": ["u01"]}"#, .invalidParameterValue, "\"user_id\" must be a string or an integer id, got an array"),
            (#"{"user_id": "u01", "k": 10001}"#, .invalidParameterValue, "\"k\" must be an integer in 1...10000, got 10001"),
            (#"{"user_id": "u01", "k": 2.5}"#, .invalidParameterValue, "\"k\" must be an integer in 1...10000, got 2.5"),
            (#"{"user_id": "u01", "k": "5"}"#, .invalidParameterValue, "\"k\" must be an integer in 1...10000, got \"5\""),
            (#"{"user_id": "u01", "exclude_seen": "yes"}"#, .invalidParameterValue, "\"exclude_seen\" must be true or false, got \"yes\""),
        ]
        for (body, code, message) in cases {
            let e = failure(.recommend, body, recs)
            #expect(e?.code == code && e?.message.contains(message) == true, "\(message) ← \(e?.message ?? "no error")")
        }
        let churn = try ProtocolFixtures.churn().served
        for handler in Handler.allCases {
            #expect(failure(handler, #"{"user_id": "u01", "user_ids": ["u01"], "item_id": "i01"}"#, churn)
                == ServingError(.badRequest, "model 'churn' is a logistic_regression model; recommendation routes need an als model"))
        }
    }

    @Test func invocationsOnTheRecommenderUseItsPredictor() throws {
        let (recs, als) = try ProtocolFixtures.als()
        let r = try ScoringHandlers.invocations(body: Array(#"{"dataframe_records": [{"user_id": "u01", "k": 2}, {"user_id": 7, "k": 1}]}"#.utf8),
                                                contentType: "application/json", model: recs)
        let a = als.recommend(user: "u01", k: 2, excludeSeen: true), b = als.recommend(user: "7", k: 1, excludeSeen: true)
        func record(_ l: [(item: String, score: Float)]) -> String {
            "{\"item_ids\": [" + l.map { "\"\($0.item)\"" }.joined(separator: ", ") + "], \"scores\": ["
                + l.map { Double($0.score).description }.joined(separator: ", ") + "]}"
        }
        #expect(Wire.text(r.body) == "{\"predictions\": [\(record(a)), \(record(b))]}")
        #expect(r.predictionValues.isEmpty)
    }
}
