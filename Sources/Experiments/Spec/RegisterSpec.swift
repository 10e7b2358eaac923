import Features
import Foundation

/// Where a run's model goes in the registry: the registered model `model`, optionally the
/// promotion policy file `policy` (relative to the spec file's folder, e.g. `../Models/churn.yaml`)
/// and `auto_promote`, the alias to request when the run finishes (its gates come from the
/// policy, which it therefore needs).
///
/// ```yaml
/// register:
///   model: churn
///   policy: ../Models/churn.yaml
///   auto_promote: champion
/// ```
public struct RegisterSpec: Sendable, Hashable, Codable {
    public var model: String
    public var policy: String?
    public var autoPromote: String?

    public init(model: String, policy: String? = nil, autoPromote: String? = nil) {
        self.model = model
        self.policy = policy
        self.autoPromote = autoPromote
    }

    /// Letters, digits, `_`, `-` and `.` (model names and aliases).
    static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0) }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: SpecKey.self)
        try c.rejectUnknownKeys(["model", "policy", "auto_promote"])
        model = try c.required(String.self, "model")
        guard Self.isName(model) else { throw c.bad("model", "'\(model)' is not a model name (letters, digits, _ - .)") }
        policy = try c.optional(String.self, "policy")
        if policy?.isEmpty == true { throw c.bad("policy", "empty path") }
        autoPromote = try c.optional(String.self, "auto_promote")
        if let a = autoPromote {
            guard Self.isName(a) else { throw c.bad("auto_promote", "'\(a)' is not an alias name (letters, digits, _ - .)") }
            guard policy != nil else { throw c.bad("auto_promote", "needs a policy: the gates an alias must pass") }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        try c.put(model, "model")
        try c.put(ifPresent: policy, "policy")
        try c.put(ifPresent: autoPromote, "auto_promote")
    }
}
