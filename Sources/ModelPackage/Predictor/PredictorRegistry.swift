import Foundation

/// Maps model kinds to the code that turns a loaded package into a ``Predictor``, so serving can
/// load any package without knowing its kind in advance. Register each model type once.
///
/// ```swift
/// var registry = PredictorRegistry<FeatureValue>()
/// registry.register(LogisticModel.self, pipeline: FittedPipeline.self) { model, pipeline, rows in
///     let x = try pipeline.transform(rows: rows)
///     return model.predictProbabilities(x).map { ["probability": .double($0)] }
/// }
/// let predictor = try registry.load(from: URL(fileURLWithPath: "models/churn"))
/// ```
public struct PredictorRegistry<Value: Sendable>: Sendable {
    public typealias Factory = @Sendable (LoadedPackage) throws -> Predictor<Value>
    private var factories: [String: Factory] = [:]

    public init() {}

    /// The kinds registered.
    public var kinds: [String] { factories.keys.sorted() }

    /// Registers a custom factory for `kind` (replacing any earlier one).
    public mutating func register(kind: String, factory: @escaping Factory) {
        factories[kind] = factory
    }

    /// Registers `Model` scored with its fitted pipeline (the package must have one).
    public mutating func register<Model: PackageableModel, Pipeline: Decodable & Sendable>(
        _ model: Model.Type, pipeline: Pipeline.Type,
        score: @escaping @Sendable (Model, Pipeline, [[String: Value]]) throws -> [[String: ModelValue]]
    ) {
        factories[Model.flavor] = { loaded in
            let m = try loaded.model(as: Model.self)
            let p = try loaded.pipeline(as: Pipeline.self)
            return Predictor(manifest: loaded.manifest) { rows in try score(m, p, rows) }
        }
    }

    /// Registers `Model` scored on the rows alone (e.g. ALS: rows carry a user id).
    public mutating func register<Model: PackageableModel>(
        _ model: Model.Type,
        score: @escaping @Sendable (Model, [[String: Value]]) throws -> [[String: ModelValue]]
    ) {
        factories[Model.flavor] = { loaded in
            let m = try loaded.model(as: Model.self)
            return Predictor(manifest: loaded.manifest) { rows in try score(m, rows) }
        }
    }

    /// The predictor for a loaded package; throws naming the package if its kind is unknown.
    public func predictor(for loaded: LoadedPackage) throws -> Predictor<Value> {
        guard let f = factories[loaded.modelKind] else {
            throw ModelPackageError(path: loaded.path,
                "unknown model kind \"\(loaded.modelKind)\" (this build serves: \(kinds.joined(separator: ", ")))")
        }
        return try f(loaded)
    }

    /// Loads and verifies the package at `url` and builds its predictor.
    public func load(from url: URL) throws -> Predictor<Value> {
        try predictor(for: ModelPackage.load(from: url))
    }
}
