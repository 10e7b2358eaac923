import Features
import Foundation
import Yams

/// The promotion policy of one registered model, read from `Models/<model>.yaml`: for each alias,
/// the gates a version must pass to get it. Decoded strictly: an unknown key, a wrong type, a
/// threshold without bounds, a negative margin or a bad alias name is `INVALID_PARAMETER_VALUE`
/// whose message names the file and the field (`Models/churn.yaml: aliases.champion[1].min: …`).
///
/// ```yaml
/// model: churn
/// aliases:
///   champion:
///     - {metric: roc_auc, min: 0.75}
///     - beat_holder: {metric: roc_auc, by: 0.002, mode: max}
/// serving:                     # optional, see ServingDefaults
///   unknown_categories: reject
/// ```
/// ```swift
/// let policy = try PromotionPolicy.load(path: "Models/churn.yaml")
/// policy.gates(for: "champion")
/// policy.serving.unknownCategories   // .reject
/// ```
public struct PromotionPolicy: Sendable, Hashable, Codable {
    /// The registered model the policy governs.
    public var model: String
    /// Alias → its gates, in written order. An alias listed with `[]` may be set without gates.
    public var aliases: [String: [PromotionGate]]
    /// How servers serve the model (all defaults when the file has no `serving:` section).
    public var serving: ServingDefaults
    /// Where the policy was read from (not part of the YAML).
    public var source: String?

    public init(model: String, aliases: [String: [PromotionGate]], serving: ServingDefaults = ServingDefaults(),
                source: String? = nil) throws {
        try RegistryValidation.modelName(model)
        for alias in aliases.keys { try RegistryValidation.alias(alias) }
        self.model = model
        self.aliases = aliases
        self.serving = serving
        self.source = source
    }

    /// Parses YAML text; `source` (a file name) prefixes error messages.
    public init(yaml: String, source: String? = nil) throws {
        do {
            self = try YAMLDecoder().decode(PromotionPolicy.self, from: yaml)
        } catch let e as DecodingError {
            throw RegistryError(policyFile: source, decoding: e)
        } catch let e as RegistryError {
            throw e
        } catch {
            throw RegistryError(policyFile: source, field: "policy", "not valid YAML: \(error)")
        }
        self.source = source
    }

    /// Reads and parses a policy file.
    public static func load(path: String) throws -> PromotionPolicy {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RegistryError(.invalidParameterValue, "\(path): cannot read the promotion policy: \(error.localizedDescription)")
        }
        return try PromotionPolicy(yaml: text, source: path)
    }

    /// The policy as YAML (decodes back to an equal policy, without comments or `source`).
    public func yaml() throws -> String { try YAMLEncoder().encode(self) }

    /// The gates for `alias`, or nil if the policy does not mention it.
    public func gates(for alias: String) -> [PromotionGate]? { aliases[alias] }

    private static let keys = ["model", "aliases", "serving"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: SpecKey.self)
        try c.rejectUnknownKeys(Self.keys, sortedByName: true)
        model = try c.requiredName("model")
        do { try RegistryValidation.modelName(model) } catch let e as RegistryError { throw c.bad("model", e.message) }
        guard c.contains(SpecKey("aliases")) else {
            throw DecodingError.keyNotFound(SpecKey("aliases"), .init(codingPath: c.codingPath, debugDescription: "missing"))
        }
        let a = try c.nestedContainer(keyedBy: SpecKey.self, forKey: SpecKey("aliases"))
        var aliases: [String: [PromotionGate]] = [:]
        for key in a.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
            do { try RegistryValidation.alias(key.stringValue) } catch let e as RegistryError { throw a.bad(key.stringValue, e.message) }
            aliases[key.stringValue] = try a.optional([PromotionGate].self, key.stringValue) ?? []
        }
        guard !aliases.isEmpty else { throw c.bad("aliases", "lists no alias; name at least one (e.g. champion)") }
        self.aliases = aliases
        serving = try c.optional(ServingDefaults.self, "serving") ?? ServingDefaults()
        source = nil
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        try c.encode(model, forKey: SpecKey("model"))
        var a = c.nestedContainer(keyedBy: SpecKey.self, forKey: SpecKey("aliases"))
        for (alias, gates) in aliases.sorted(by: { $0.key < $1.key }) { try a.encode(gates, forKey: SpecKey(alias)) }
        if serving != ServingDefaults() { try c.encode(serving, forKey: SpecKey("serving")) }
    }
}
