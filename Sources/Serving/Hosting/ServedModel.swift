import Features
import Foundation
import ModelPackage
import Trainers

/// A model loaded and ready to answer: the resolved package, its ``Predictor`` over JSON rows, and
/// for ALS packages the recommender itself (similar items, batch top-k). Immutable: a hot swap
/// replaces the whole value, so a request holding one never sees a half-loaded model.
///
/// ```swift
/// let resolved = try await resolver.resolve(try ModelReference(parsing: "models:/churn@champion"))
/// let model = try ServedModel.load(name: "churn", resolved: resolved)
/// let out = try model.predictor.predict(rows: [["tenure_months": .number(3)]])
/// ```
public struct ServedModel: Sendable {
    /// The name routes use (`/v2/models/{name}`, `--model NAME=URI`).
    public let name: String
    public let resolved: ResolvedPackage
    public let manifest: ModelManifest
    public let predictor: Predictor<FeatureValue>
    /// The ALS model, for recommendation routes (nil for other kinds).
    public let recommender: ALSModel?
    public let loadedAt: Date
    /// Items per user when a recommendation request gives no `k` (the policy's `serving.default_k`).
    public var defaultK: Int = 10
    /// The signature as request decoding enforces it, built once per loaded model (not per request).
    let inputSchema: InputSchema

    public init(name: String, resolved: ResolvedPackage, manifest: ModelManifest, predictor: Predictor<FeatureValue>,
                recommender: ALSModel?, loadedAt: Date = Date()) {
        self.name = name
        self.resolved = resolved
        self.manifest = manifest
        self.predictor = predictor
        self.recommender = recommender
        self.loadedAt = loadedAt
        self.inputSchema = InputSchema(columns: predictor.signature?.inputs ?? [], integersAsText: recommender != nil)
    }

    /// Loads and verifies the package at `resolved.path` (checksums, format versions) and builds
    /// its predictor through `predictors`. Throws ``ServingError`` naming the package.
    public static func load(name: String, resolved: ResolvedPackage,
                            predictors: PredictorRegistry<FeatureValue> = .standard, defaultK: Int = 10) throws -> ServedModel {
        let loaded: LoadedPackage
        do {
            loaded = try ModelPackage.load(from: URL(fileURLWithPath: resolved.path))
        } catch {
            throw ServingError(.invalidParameterValue, "cannot load model '\(resolved.reference)' from \(resolved.path): \(error)")
        }
        do {
            let predictor = try predictors.predictor(for: loaded)
            let als = loaded.modelKind == ALSModel.flavor ? try loaded.model(as: ALSModel.self) : nil
            var model = ServedModel(name: name, resolved: resolved, manifest: loaded.manifest, predictor: predictor, recommender: als)
            model.defaultK = defaultK
            return model
        } catch {
            throw ServingError(.invalidParameterValue, "cannot serve model '\(resolved.reference)' from \(resolved.path): \(error)")
        }
    }

    /// `churn/3`, `run:<id>` or `local`: what answered, for headers, metrics and logs.
    public var versionLabel: String { resolved.versionLabel }
    public var modelKind: String { manifest.mltrack.modelKind }
}
