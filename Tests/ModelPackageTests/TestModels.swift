import Foundation
import Linalg
import ModelPackage

/// A test-only model: Float weights, Double biases and a JSON state, scoring
/// `y = pipeline(x) · W + b` per output column.
struct TinyModel: PackageableModel, Equatable {
    static let flavor = "tiny_linear"
    static let formatVersion = 2

    struct PackageState: Codable, Sendable, Equatable {
        var outputs: [String]
        var threshold: Double
        var note: String
    }

    var weights: Matrix<Float>   // features × outputs
    var bias: Matrix<Double>     // 1 × outputs
    var state: PackageState

    func packageState() -> PackageState { state }

    func packageTensors() -> [String: TensorData] {
        ["weights": TensorData(weights), "bias": TensorData(bias)]
    }

    init(weights: Matrix<Float>, bias: Matrix<Double>, state: PackageState) {
        self.weights = weights
        self.bias = bias
        self.state = state
    }

    init(packageState: PackageState, tensors: [String: TensorData], formatVersion: Int) throws {
        self.init(weights: try tensors.matrix("weights", of: Float.self),
                  bias: try tensors.matrix("bias", of: Double.self), state: packageState)
    }

    func predict(_ x: [[Double]]) -> [[String: ModelValue]] {
        x.map { row in
            var rec: [String: ModelValue] = [:]
            for k in 0 ..< weights.columns {
                var s = bias[0, k]
                for j in 0 ..< weights.rows { s += row[j] * Double(weights[j, k]) }
                rec[state.outputs[k]] = .double(s)
            }
            if let first = rec[state.outputs[0]]?.doubleValue { rec["label"] = .int(first >= state.threshold ? 1 : 0) }
            return rec
        }
    }

    static func random(features: Int, outputs: Int, seed: UInt64) throws -> TinyModel {
        var g = SeededGenerator(seed: seed)
        let w = try Matrix<Float>(rows: features, columns: outputs,
                                  values: (0 ..< features * outputs).map { _ in Float(g.normal()) })
        let b = try Matrix<Double>(rows: 1, columns: outputs, values: (0 ..< outputs).map { _ in g.normal() })
        return TinyModel(weights: w, bias: b, state: .init(outputs: (0 ..< outputs).map { "y\($0)" },
                                                           threshold: 0.25, note: "seed \(seed) — ünïcode"))
    }
}

/// A test-only fitted pipeline: standardizes named numeric columns.
struct TinyPipeline: Codable, Sendable, Equatable {
    var columns: [String]
    var means: [Double]
    var scales: [Double]

    func transform(_ rows: [[String: Double]]) throws -> [[Double]] {
        try rows.enumerated().map { i, row in
            try columns.indices.map { j in
                guard let v = row[columns[j]] else {
                    throw PredictionError.invalidInput(column: columns[j], row: i, "missing")
                }
                return (v - means[j]) / scales[j]
            }
        }
    }

    static func random(features: Int, seed: UInt64) -> TinyPipeline {
        var g = SeededGenerator(seed: seed)
        return TinyPipeline(columns: (0 ..< features).map { "x\($0)" },
                            means: (0 ..< features).map { _ in g.normal() },
                            scales: (0 ..< features).map { _ in 0.5 + abs(g.normal()) })
    }
}

/// A model stored entirely as JSON (the default `PackageState == Self`).
struct JSONOnlyModel: PackageableModel, Codable, Equatable {
    static let flavor = "json_only"
    static let formatVersion = 1
    var coefficients: [Double]
    var intercept: Double
}

enum Fixture {
    static let features = 5
    static let outputs = 3

    static func signature() -> ModelSignature {
        ModelSignature(inputs: (0 ..< features).map { ColumnSpec("x\($0)", .double) },
                       outputs: (0 ..< outputs).map { ColumnSpec("y\($0)", .double) } + [ColumnSpec("label", .long)])
    }

    static func rows(_ n: Int, seed: UInt64) -> [[String: Double]] {
        var g = SeededGenerator(seed: seed)
        return (0 ..< n).map { _ in
            Dictionary(uniqueKeysWithValues: (0 ..< features).map { ("x\($0)", g.normal() * 3) })
        }
    }

    static func registry() -> PredictorRegistry<Double> {
        var r = PredictorRegistry<Double>()
        r.register(TinyModel.self, pipeline: TinyPipeline.self) { model, pipeline, rows in
            model.predict(try pipeline.transform(rows))
        }
        return r
    }

    /// Saves a random TinyModel + pipeline to a fresh directory; returns the package URL.
    static func savePackage(seed: UInt64 = 7, lineage: TrainingLineage? = nil) throws -> (URL, TinyModel, TinyPipeline) {
        let model = try TinyModel.random(features: features, outputs: outputs, seed: seed)
        let pipeline = TinyPipeline.random(features: features, seed: seed + 1)
        let dir = try TestPaths.tempDir("modelpkg").appendingPathComponent("model")
        try ModelPackage.save(model: model, pipeline: pipeline, signature: signature(), lineage: lineage, to: dir)
        return (dir, model, pipeline)
    }
}

/// Reads, edits and writes a package file as text or bytes.
enum Damage {
    static func text(_ url: URL, _ rel: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(rel), encoding: .utf8)
    }

    static func write(_ url: URL, _ rel: String, _ text: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(rel))
    }

    static func bytes(_ url: URL, _ rel: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url.appendingPathComponent(rel)))
    }

    static func write(_ url: URL, _ rel: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: url.appendingPathComponent(rel))
    }

    /// The error message of `body`, which must throw a ModelPackageError.
    static func error(_ body: () throws -> Void) -> ModelPackageError? {
        do { try body() } catch let e as ModelPackageError { return e } catch { return nil }
        return nil
    }
}
