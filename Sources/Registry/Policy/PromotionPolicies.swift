import Foundation

/// Every policy of a `Models/` directory, keyed by model name. Files are `*.yaml` / `*.yml`; two
/// files for one model are an error naming both.
///
/// ```swift
/// let policies = try PromotionPolicies.load(directory: "Models")
/// let churn = policies["churn"]
/// ```
public struct PromotionPolicies: Sendable, Hashable {
    public var byModel: [String: PromotionPolicy]

    public init(_ policies: [PromotionPolicy]) throws {
        byModel = [:]
        for p in policies {
            if let other = byModel[p.model] {
                throw RegistryError(.invalidParameterValue,
                                    "\(p.source ?? "policy"): model '\(p.model)' already has a policy in \(other.source ?? "another policy")")
            }
            byModel[p.model] = p
        }
    }

    public subscript(model: String) -> PromotionPolicy? { byModel[model] }

    /// Loads every YAML file of `directory` (sorted by name); a missing directory is no policies.
    public static func load(directory: String) throws -> PromotionPolicies {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            return try PromotionPolicies([])
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw RegistryError(.invalidParameterValue, "\(directory): cannot list the policy directory: \(error.localizedDescription)")
        }
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        return try PromotionPolicies(files.map { try PromotionPolicy.load(path: (directory as NSString).appendingPathComponent($0)) })
    }
}
