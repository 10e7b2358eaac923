import Foundation
import Registry

/// What `mltrack serve` / `mltrack score` were asked to load: a model URI (`models:/churn@champion`,
/// `models:/churn/3`, `models:/churn/Production`, `models:/churn/latest`, `runs:/<id>/model`) or the
/// path of a model package directory. Text without a `models:` / `runs:` scheme is a path.
///
/// ```swift
/// let ref = try ModelReference(parsing: "models:/churn@champion")
/// ref.follows   // true: an alias can move, so the server re-resolves it
/// ```
public struct ModelReference: Sendable, Hashable, CustomStringConvertible {
    public enum Target: Sendable, Hashable {
        case registry(ModelURI)
        case package(path: String)
    }

    public let text: String
    public let target: Target

    public init(parsing text: String) throws(ServingError) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { throw ServingError(.invalidParameterValue, "empty model URI") }
        self.text = t
        if t.hasPrefix("models:") || t.hasPrefix("runs:") {
            do {
                target = .registry(try ModelURI(parsing: t))
            } catch {
                throw ServingError(.invalidParameterValue, (error as? RegistryError)?.message ?? "\(error)")
            }
        } else if t.hasPrefix("file://") {
            guard let u = URL(string: t), u.isFileURL else { throw ServingError(.invalidParameterValue, "model URI '\(t)' is not a valid file URI") }
            target = .package(path: u.path)
        } else {
            target = .package(path: t)
        }
    }

    /// True when the reference can point at another package later (an alias, a stage, `latest`):
    /// the server follows it and hot-swaps. Fixed versions, runs and paths never move.
    public var follows: Bool {
        switch target {
        case .registry(.alias), .registry(.stage), .registry(.latest): true
        default: false
        }
    }

    /// The registered model name, if the reference names one.
    public var registeredName: String? {
        if case .registry(let uri) = target { return uri.modelName }
        return nil
    }

    public var description: String { text }
}
