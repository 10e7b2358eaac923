import Foundation
import ModelPackage

/// One model a server hosts: the name routes use, the reference to load (`--model NAME=URI`, or
/// the positional URI named after its registered model, else `model`), how its predictor treats
/// input (`scoring`, from the `serving:` section of the model's policy) and its body limit (nil:
/// the server's).
///
/// ```swift
/// let spec = try HostedModelSpec(parsing: "recs=models:/recs@champion")
/// let main = try HostedModelSpec(default: "models:/churn@champion")   // name "churn"
/// ```
public struct HostedModelSpec: Sendable, Hashable {
    public var name: String
    public var reference: ModelReference
    public var scoring: ScoringOptions
    public var maxBodyBytes: Int?

    public init(name: String, reference: ModelReference, scoring: ScoringOptions = ScoringOptions(), maxBodyBytes: Int? = nil) {
        self.name = name
        self.reference = reference
        self.scoring = scoring
        self.maxBodyBytes = maxBodyBytes
    }

    /// `NAME=URI`; the name must be a single path segment of letters, digits, `-`, `_` or `.`.
    public init(parsing text: String) throws(ServingError) {
        guard let eq = text.firstIndex(of: "=") else {
            throw ServingError(.invalidParameterValue, "--model '\(text)': expected NAME=URI")
        }
        let name = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        try Self.check(name: name, in: text)
        self.init(name: name, reference: try ModelReference(parsing: String(text[text.index(after: eq)...])))
    }

    /// The default model: named after its registered model, else `model`.
    public init(default text: String) throws(ServingError) {
        let reference = try ModelReference(parsing: text)
        self.init(name: reference.registeredName ?? "model", reference: reference)
    }

    static func check(name: String, in text: String) throws(ServingError) {
        let allowed = name.unicodeScalars.allSatisfy { s in
            (s.isASCII && (s.properties.isAlphabetic || ("0" ... "9").contains(s))) || s == "-" || s == "_" || s == "."
        }
        guard !name.isEmpty, allowed, name != ".", name != ".." else {
            throw ServingError(.invalidParameterValue,
                               "--model '\(text)': the name '\(name)' must be letters, digits, '-', '_' or '.'")
        }
    }
}
