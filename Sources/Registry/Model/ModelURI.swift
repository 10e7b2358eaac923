/// A model URI as MLflow spells it, parsed:
///
/// | URI | case |
/// | --- | --- |
/// | `models:/churn/3` | `.version("churn", 3)` |
/// | `models:/churn@champion` | `.alias("churn", "champion")` |
/// | `models:/churn/Production` (any case) | `.stage("churn", .production)` |
/// | `models:/churn/latest` (any case) | `.latest("churn")` |
/// | `runs:/<run_id>/model` | `.run(runId: "<run_id>", path: "model")` |
///
/// Anything else (no name, a bad version, `models:/m-<id>` logged models, `models://profile/…`,
/// an empty or `..` run path) throws `INVALID_PARAMETER_VALUE` naming the URI.
///
/// ```swift
/// let uri = try ModelURI(parsing: "models:/churn@champion")
/// let resolved = try await store.resolve(uri: "models:/churn@champion")   // resolved.source
/// ```
public enum ModelURI: Sendable, Hashable, CustomStringConvertible {
    case version(name: String, version: Int)
    case alias(name: String, alias: String)
    case stage(name: String, stage: ModelStage)
    case latest(name: String)
    case run(runId: String, path: String)

    public init(parsing uri: String) throws {
        func bad(_ why: String) -> RegistryError {
            RegistryError(.invalidParameterValue, "Invalid model URI '\(uri)': \(why).")
        }
        if uri.hasPrefix("runs:/") {
            let rest = uri.dropFirst("runs:/".count)
            guard !rest.hasPrefix("/") else { throw bad("expected runs:/<run_id>/<path>, without a host part") }
            let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { throw bad("expected runs:/<run_id>/<path>") }
            let segments = parts[1].split(separator: "/", omittingEmptySubsequences: false)
            let kept = segments.filter { !$0.isEmpty && $0 != "." }
            guard !kept.isEmpty else { throw bad("the artifact path after the run id is empty") }
            guard !kept.contains("..") else { throw bad("the artifact path may not contain '..'") }
            self = .run(runId: String(parts[0]), path: kept.joined(separator: "/"))
            return
        }
        guard uri.hasPrefix("models:/") else { throw bad("expected models:/<name>/<version|stage|latest>, models:/<name>@<alias> or runs:/<run_id>/<path>") }
        let rest = uri.dropFirst("models:/".count)
        guard !rest.hasPrefix("/") else { throw bad("a profile or host part (models://…) is not supported") }
        if let at = rest.firstIndex(of: "@"), !rest[..<at].contains("/") {
            let name = String(rest[..<at]), alias = String(rest[rest.index(after: at)...])
            guard !name.isEmpty else { throw bad("the model name is empty") }
            guard !alias.isEmpty else { throw bad("the alias after '@' is empty") }
            try Self.check(uri, name: name)
            do { try RegistryValidation.alias(alias) } catch let e as RegistryError {
                throw RegistryError(.invalidParameterValue, "Invalid model URI '\(uri)': \(e.message)")
            }
            self = .alias(name: name, alias: alias)
            return
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            if parts.count == 1, rest.hasPrefix("m-") {
                throw bad("logged-model URIs (models:/m-<id>) are not supported; use a registered model version or runs:/<run_id>/<path>")
            }
            throw bad("expected models:/<name>/<version|stage|latest> or models:/<name>@<alias>")
        }
        let name = String(parts[0]), suffix = String(parts[1])
        guard !name.isEmpty else { throw bad("the model name is empty") }
        guard !suffix.isEmpty else { throw bad("the version, stage or 'latest' after the name is empty") }
        try Self.check(uri, name: name)
        if suffix.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let v = Int(suffix), v >= 1 else { throw bad("version '\(suffix)' is not a positive integer") }
            self = .version(name: name, version: v)
        } else if suffix.lowercased() == "latest" {
            self = .latest(name: name)
        } else if let stage = try? ModelStage(parsing: suffix) {
            self = .stage(name: name, stage: stage)
        } else {
            throw bad("'\(suffix)' is neither a version number, a stage (None, Staging, Production, Archived) nor 'latest'")
        }
    }

    private static func check(_ uri: String, name: String) throws {
        do { try RegistryValidation.modelName(name) } catch let e as RegistryError {
            throw RegistryError(.invalidParameterValue, "Invalid model URI '\(uri)': \(e.message)")
        }
    }

    /// The registered model a `models:/` URI names (nil for `runs:/`).
    public var modelName: String? {
        switch self {
        case .version(let n, _), .alias(let n, _), .stage(let n, _), .latest(let n): n
        case .run: nil
        }
    }

    /// The canonical spelling.
    public var description: String {
        switch self {
        case .version(let n, let v): "models:/\(n)/\(v)"
        case .alias(let n, let a): "models:/\(n)@\(a)"
        case .stage(let n, let s): "models:/\(n)/\(s.rawValue)"
        case .latest(let n): "models:/\(n)/latest"
        case .run(let id, let p): "runs:/\(id)/\(p)"
        }
    }
}
