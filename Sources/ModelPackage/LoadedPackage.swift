import Foundation

/// A verified package read by ``ModelPackage/load(from:)``: the manifest, the model's JSON state,
/// the pipeline's JSON and the decoded tensors. Decode the typed parts with ``model(as:)`` and
/// ``pipeline(as:)``.
///
/// ```swift
/// let loaded = try ModelPackage.load(from: URL(fileURLWithPath: "models/churn"))
/// switch loaded.manifest.mltrack.modelKind {
/// case LogisticModel.flavor: let m = try loaded.model(as: LogisticModel.self)
/// default: break
/// }
/// ```
public struct LoadedPackage: Sendable {
    /// The package directory.
    public let path: String
    public let manifest: ModelManifest
    public let stateJSON: Data
    public let pipelineJSON: Data?
    public let tensors: [String: TensorData]

    public init(path: String, manifest: ModelManifest, stateJSON: Data, pipelineJSON: Data?, tensors: [String: TensorData]) {
        self.path = path
        self.manifest = manifest
        self.stateJSON = stateJSON
        self.pipelineJSON = pipelineJSON
        self.tensors = tensors
    }

    public var modelKind: String { manifest.mltrack.modelKind }

    /// Rebuilds the model as `Model`. Throws if the package holds another kind, was written by a
    /// newer format version of this kind, or its state does not decode.
    public func model<Model: PackageableModel>(as type: Model.Type) throws -> Model {
        let f = manifest.mltrack
        let statePath = path + "/" + f.stateFile
        guard f.modelKind == Model.flavor else {
            throw ModelPackageError(path: path, "holds a \(f.modelKind) model, not \(Model.flavor) (\(Model.self))")
        }
        guard f.formatVersion <= Model.formatVersion else {
            throw ModelPackageError(path: path,
                "\(f.modelKind) format version \(f.formatVersion) is newer than this mltrack reads (\(Model.formatVersion)); upgrade mltrack")
        }
        let state: Model.PackageState
        do {
            state = try PackageJSON.decoder().decode(Model.PackageState.self, from: stateJSON)
        } catch {
            throw ModelPackageError(path: statePath, "does not decode as \(Model.flavor) state: \(describe(error))")
        }
        do {
            return try Model(packageState: state, tensors: tensors, formatVersion: f.formatVersion)
        } catch let e as ModelPackageError {
            let file = f.tensors[e.path].map { " (\(path)/\($0.path))" } ?? ""
            throw ModelPackageError(path: path, "cannot rebuild the \(f.modelKind) model: \(e.path)\(file): \(e.message)")
        } catch {
            throw ModelPackageError(path: path, "cannot rebuild the \(f.modelKind) model: \(error)")
        }
    }

    /// Decodes the fitted feature pipeline as `Pipeline`; throws if the package has none.
    public func pipeline<Pipeline: Decodable>(as type: Pipeline.Type) throws -> Pipeline {
        guard let pipelineJSON, let file = manifest.mltrack.pipelineFile else {
            throw ModelPackageError(path: path, "has no feature pipeline")
        }
        do {
            return try PackageJSON.decoder().decode(Pipeline.self, from: pipelineJSON)
        } catch {
            throw ModelPackageError(path: path + "/" + file, "does not decode as \(Pipeline.self): \(describe(error))")
        }
    }

    private func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let k, let c):
            "missing key \(([k] + []).map(\.stringValue).joined()) at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c), DecodingError.dataCorrupted(let c):
            "\(c.debugDescription) at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default:
            "\(error)"
        }
    }
}
