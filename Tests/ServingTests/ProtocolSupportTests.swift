import Features
import Foundation
import GoldTables
import Linalg
import ModelPackage
@testable import Serving
import Testing
import Trainers

/// Real packages for the protocol suites, built once: a logistic churn model (the Experiments
/// customers table through its feature spec) and a tiny ALS recommender.
enum ProtocolFixtures {
    struct Churn: Sendable {
        let served: ServedModel
        let model: LogisticModel
        let pipeline: FittedPipeline
    }

    static let churnResult: Result<Churn, any Error> = Result { try buildChurn() }
    static let alsResult: Result<(ServedModel, ALSModel), any Error> = Result { try buildALS() }

    static func churn() throws -> Churn { try churnResult.get() }
    static func als() throws -> (ServedModel, ALSModel) { try alsResult.get() }

    private static func buildChurn() throws -> Churn {
        let root = TestPaths.packageRoot
        let gold = try GoldTable.open(root.appendingPathComponent("Experiments/gold/customers").path)
        let table = try gold.read()
        let spec = try FeatureSpec.load(path: root.appendingPathComponent("Experiments/features/churn.yaml").path)
        let pipeline = try FeaturePipeline(spec).fit(table)
        let x = try pipeline.transform(table)
        guard case .bool(let churned)? = table.column(named: "churned")?.data else { throw ServingError(.internalError, "no churned column") }
        let model = try LogisticRegression().fit(x: x, y: churned.map { $0 ? 1 : 0 }, featureNames: pipeline.featureNames)
        let dir = try TestPaths.tempDir("protocol").appendingPathComponent("churn")
        let signature = try ModelSignature.logistic(pipeline: pipeline, schema: table.schema)
        try ModelPackage.save(model: model, pipeline: pipeline, signature: signature, lineage: nil, to: dir)
        let resolved = ResolvedPackage(reference: try ModelReference(parsing: dir.path), path: dir.path,
                                       registeredName: "churn", version: 3)
        return Churn(served: try ServedModel.load(name: "churn", resolved: resolved), model: model, pipeline: pipeline)
    }

    /// 25 users × 15 items, seeded; user u00 has seen 13 items (so k = 5 with seen items excluded
    /// leaves it 2); user "7" has an integer-looking id.
    private static func buildALS() throws -> (ServedModel, ALSModel) {
        var g = SeededGenerator(seed: 11)
        var users: [String] = [], items: [String] = []
        for i in 0 ..< 13 { users.append("u00"); items.append(String(format: "i%02d", i)) }
        for u in 1 ..< 24 {
            for _ in 0 ..< 4 {
                users.append(String(format: "u%02d", u))
                items.append(String(format: "i%02d", Int(g.next() % 14)))
            }
        }
        users += ["7", "u23"]  // an integer-looking id; i14 only once
        items += ["i03", "i14"]
        let table = try Table([
            Column(Field("user_id", .string), data: .bytes(ByteArrayBuffer(strings: users))),
            Column(Field("item_id", .string), data: .bytes(ByteArrayBuffer(strings: items))),
        ])
        let interactions = try Interactions.build(from: table, user: "user_id", item: "item_id", weight: .count)
        let model = try ALS(ALS.Parameters(factors: 4, iterations: 3, seed: 3, threads: 1)).fit(interactions)
        let dir = try TestPaths.tempDir("protocol").appendingPathComponent("recs")
        try ModelPackage.save(model: model, signature: .als, lineage: nil, to: dir)
        let resolved = ResolvedPackage(reference: try ModelReference(parsing: dir.path), path: dir.path)
        let served = try ServedModel.load(name: "recs", resolved: resolved)
        guard let loaded = served.recommender else { throw ServingError(.internalError, "no recommender") }
        return (served, loaded)
    }

    /// Rows in the customers table's shape (values as a client would send them).
    static let rowsJSON: [String] = [
        #"{"signup_date": "2023-05-01", "tenure_months": 20, "monthly_charges": 70.5, "total_charges": 1400, "contract": "month-to-month", "payment_method": "electronic check", "partner": false, "senior": true, "support_calls": 4, "last_active": "2024-12-20T10:00:00Z", "region": null}"#,
        #"{"signup_date": "2020-01-15", "tenure_months": 60, "monthly_charges": 20.25, "total_charges": null, "contract": "two-year", "payment_method": "unseen", "partner": true, "senior": false, "support_calls": 0, "last_active": "2024-11-02T08:30:00.123456Z", "region": "north", "customer_id": "dropped"}"#,
        #"{"signup_date": "2024-12-31", "tenure_months": 0, "monthly_charges": 99.99, "contract": "one-year", "payment_method": "mailed check", "partner": true, "senior": true, "support_calls": 9, "last_active": "2024-12-31T23:59:59Z", "region": "west"}"#,
    ]

    static let columns = ["signup_date", "tenure_months", "monthly_charges", "total_charges", "contract", "payment_method",
                          "partner", "senior", "support_calls", "last_active", "region"]

    /// The rows as FeatureValue dictionaries (what predictor.predict takes directly).
    static func featureRows() throws -> [[String: FeatureValue]] {
        try rowsJSON.map { try FeatureValue.row(json: Data($0.utf8)).filter { $0.key != "customer_id" } }
    }

    /// The rows as Foundation objects (for building request bodies in every format).
    static func objects() throws -> [[String: Any]] {
        try rowsJSON.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
    }
}

/// Helpers shared by the protocol suites.
enum Wire {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    static func json(_ object: Any) throws -> [UInt8] {
        [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    static func parse(_ bytes: [UInt8]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// JSON text of a parsed value (doubles in shortest round-trip form).
    static func render(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): d.description
        case .string(let s): "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .array(let a): "[" + a.map(render).joined(separator: ", ") + "]"
        case .object(let m): "{" + m.map { render(.string($0.key)) + ": " + render($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// The error thrown by `body` (nil if it did not throw).
    static func error(_ body: () throws(ServingError) -> Void) -> ServingError? {
        do { try body() } catch { return error }
        return nil
    }

    /// The `"probability"` values of a `{"predictions": [...]}` body, parsed from their text
    /// (Double(text), the exact round trip a client does).
    static func probabilities(_ body: [UInt8]) -> [Double] {
        let text = Wire.text(body)
        var out: [Double] = []
        var rest = text[...]
        while let r = rest.range(of: "\"probability\": ") {
            rest = rest[r.upperBound...]
            let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
            out.append(Double(rest[..<end]) ?? .nan)
        }
        return out
    }
}

@Suite struct ProtocolSupportTests {
    @Test func fixturesLoadWithTheirSignatures() throws {
        let churn = try ProtocolFixtures.churn()
        let inputs = churn.served.predictor.signature?.inputs ?? []
        #expect(inputs.first { $0.name == "tenure_months" }?.type == .integer)
        #expect(inputs.first { $0.name == "signup_date" }?.type == .datetime)
        #expect(inputs.first { $0.name == "region" }?.required == false)
        #expect(inputs.first { $0.name == "contract" }?.required == true)
        let (recs, als) = try ProtocolFixtures.als()
        #expect(recs.recommender != nil)
        #expect(als.items.count == 15)
        #expect(als.users.index(of: "u00") != nil)
    }
}
