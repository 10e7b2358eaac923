import Features
import Foundation
import GoldTables
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Linalg
import Logging
import ModelPackage
import Registry
import Serving
import Testing
import Trainers

/// Real packages shared by the server and hosting suites, built once per test process: a churn
/// logistic model with its fitted pipeline (v1, and v2 with a shifted intercept so every
/// probability differs), an ALS recommender, and a damaged copy of v1.
struct ServerPackages: Sendable {
    var churnV1: URL
    var churnV2: URL
    var corrupt: URL
    var recs: URL
    var rows: [[String: FeatureValue]]
    var users: [String]

    static let shared: Result<ServerPackages, any Error> = Result { try build() }

    static func get() throws -> ServerPackages { try shared.get() }

    private static func build() throws -> ServerPackages {
        let root = TestPaths.packageRoot
        let dir = try TestPaths.tempDir("serving-packages")
        let gold = try GoldTable.open(root.appendingPathComponent("Experiments/gold/customers").path)
        let table = try gold.read()
        let spec = try FeatureSpec.load(path: root.appendingPathComponent("Experiments/features/churn.yaml").path)
        let pipeline = try FeaturePipeline(spec).fit(table)
        let x = try pipeline.transform(table)
        guard case .bool(let churned)? = table.column(named: "churned")?.data else {
            throw PythonPeer.Failure(description: "customers has no boolean churned column")
        }
        let v1 = try LogisticRegression().fit(x: x, y: churned.map { $0 ? 1 : 0 }, featureNames: pipeline.featureNames)
        var v2 = v1
        v2.intercept += 0.75
        let signature = ModelSignature(inputs: pipeline.inputs.map(ColumnSpec.init),
                                       outputs: [ColumnSpec("probability", .double), ColumnSpec("label", .long)])
        let churnV1 = dir.appendingPathComponent("churn-v1"), churnV2 = dir.appendingPathComponent("churn-v2")
        try ModelPackage.save(model: v1, pipeline: pipeline, signature: signature, lineage: nil, to: churnV1)
        try ModelPackage.save(model: v2, pipeline: pipeline, signature: signature, lineage: nil, to: churnV2)

        // A copy of v1 whose manifest is cut short: resolvable, not loadable.
        let corrupt = dir.appendingPathComponent("churn-corrupt")
        try FileManager.default.copyItem(at: churnV1, to: corrupt)
        let manifest = corrupt.appendingPathComponent("MLmodel")
        let text = try Data(contentsOf: manifest)
        try text.prefix(text.count / 3).write(to: manifest)

        let interactions = try GoldTable.open(root.appendingPathComponent("Experiments/gold/interactions").path).read()
        let matrix = try Interactions.build(from: interactions, user: "user_id", item: "item_id", weight: .count)
        let als = try ALS(ALS.Parameters(factors: 8, iterations: 3, seed: 3, threads: 1)).fit(matrix)
        let recs = dir.appendingPathComponent("recs")
        try ModelPackage.save(model: als, signature: ModelSignature(
            inputs: [ColumnSpec("user_id", .string), ColumnSpec("k", .long, required: false)],
            outputs: [ColumnSpec("item_ids", .array(.string)), ColumnSpec("scores", .array(.double))]),
            lineage: nil, to: recs)

        let rows: [[String: FeatureValue]] = [
            ["signup_date": "2023-05-01", "tenure_months": 20, "monthly_charges": 70.5, "total_charges": 1400,
             "contract": "month-to-month", "payment_method": "electronic check", "partner": false, "senior": true,
             "support_calls": 4, "last_active": "2024-12-20T10:00:00Z", "region": "west"],
            ["signup_date": "2020-01-15", "tenure_months": 60, "monthly_charges": 20, "total_charges": 1200,
             "contract": "two-year", "payment_method": "electronic check", "partner": true, "senior": false,
             "support_calls": 0, "last_active": "2024-11-02T08:30:00Z", "region": "west"],
            ["signup_date": "2022-03-10", "tenure_months": 5, "monthly_charges": 99.9, "total_charges": 480,
             "contract": "month-to-month", "payment_method": "electronic check", "partner": false, "senior": false,
             "support_calls": 7, "last_active": "2024-12-30T23:00:00Z", "region": "west"],
        ]
        return ServerPackages(churnV1: churnV1, churnV2: churnV2, corrupt: corrupt, recs: recs, rows: rows,
                              users: Array(als.users.ids.prefix(3)))
    }

    /// `{"dataframe_records": rows}`.
    func recordsBody(_ rows: [[String: FeatureValue]]? = nil) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return ByteBuffer(bytes: try encoder.encode(["dataframe_records": rows ?? self.rows]))
    }

    /// The probabilities the package at `url` predicts for `rows`.
    func probabilities(_ url: URL, _ rows: [[String: FeatureValue]]? = nil) throws -> [Double] {
        let predictor = try PredictorRegistry<FeatureValue>.standard.load(from: url)
        return try predictor.predict(rows: rows ?? self.rows).map { r in
            guard case .double(let p)? = r["probability"] else { throw PythonPeer.Failure(description: "no probability") }
            return p
        }
    }
}

/// A registry in a temporary SQLite file with `churn` v1, v2 (and v3, the damaged package) and
/// the alias `champion` on v1.
struct ServerRegistry: Sendable {
    let store: SQLiteRegistryStore
    let path: String

    static func make(_ packages: ServerPackages) async throws -> ServerRegistry {
        let path = try TestPaths.tempDir("serving-registry").appendingPathComponent("mltrack.db").path
        let store = try SQLiteRegistryStore(path: path, actor: "tester")
        _ = try await store.createRegisteredModel(name: "churn")
        for url in [packages.churnV1, packages.churnV2, packages.corrupt] {
            _ = try await store.createModelVersion(name: "churn", source: url.absoluteString)
        }
        _ = try await store.createRegisteredModel(name: "recs")
        _ = try await store.createModelVersion(name: "recs", source: packages.recs.absoluteString)
        try store.setAlias(name: "churn", alias: "champion", version: 1)
        return ServerRegistry(store: store, path: path)
    }

    var resolver: RegistryModelResolver { RegistryModelResolver(registry: store) }
}

/// A quiet logger for tests (warnings and up).
let testLogger: Logger = {
    var l = Logger(label: "mltrack.serve.test")
    l.logLevel = .warning
    return l
}()

/// A server over `churn` (following `models:/churn@champion`) and `recs`, with hot swap driven by
/// the test (no timer).
struct ServerUnderTest {
    let registry: ServerRegistry
    let host: ModelHost
    let metrics: ServingMetrics
    let server: ScoringServer

    static func make(_ packages: ServerPackages, maxBodyBytes: Int = 1 << 20) async throws -> ServerUnderTest {
        let registry = try await ServerRegistry.make(packages)
        let metrics = ServingMetrics()
        let host = try await ModelHost.load([try HostedModelSpec(default: "models:/churn@champion"),
                                             try HostedModelSpec(parsing: "recs=models:/recs/1")],
                                            resolver: registry.resolver, observer: metrics, logger: testLogger)
        let config = ScoringServerConfiguration(port: 0, maxBodyBytes: maxBodyBytes, pollInterval: nil,
                                                serverVersion: "test", logRequests: false)
        return ServerUnderTest(registry: registry, host: host, metrics: metrics,
                               server: ScoringServer(host: host, metrics: metrics, configuration: config, logger: testLogger))
    }
}

/// The `predictions` of an MLflow answer as probabilities.
func predictedProbabilities(_ body: ByteBuffer) throws -> [Double] {
    struct Answer: Decodable {
        struct Record: Decodable { var probability: Double }
        var predictions: [Record]
    }
    return try JSONDecoder().decode(Answer.self, from: Data(body.readableBytesView)).predictions.map(\.probability)
}

/// The body as text.
func text(_ body: ByteBuffer) -> String { String(decoding: body.readableBytesView, as: UTF8.self) }

/// The MLflow error code of an error body.
func errorCode(_ body: ByteBuffer) -> String? {
    struct E: Decodable { var error_code: String }
    return try? JSONDecoder().decode(E.self, from: Data(body.readableBytesView)).error_code
}

let jsonHeaders: HTTPFields = [.contentType: "application/json"]
