import Features
import Foundation

extension KeyedDecodingContainer where K == SpecKey {
    /// A finite number, or nil when absent.
    func finite(_ key: String) throws -> Double? {
        guard let x = try optional(Double.self, key) else { return nil }
        guard x.isFinite else { throw bad(key, "must be a finite number, got \(x)") }
        return x
    }

    /// A non-empty string that must be present.
    func requiredName(_ key: String) throws -> String {
        guard let s = try optional(String.self, key) else {
            throw DecodingError.keyNotFound(SpecKey(key), .init(codingPath: codingPath, debugDescription: "missing"))
        }
        guard !s.allSatisfy(\.isWhitespace) else { throw bad(key, "must not be empty") }
        return s
    }
}

/// `aliases.champion[2].beat_holder.by` from a coding path (`policy` for the whole document).
func policyPath(_ path: [any CodingKey]) -> String {
    specPath(path, ifEmpty: "policy")
}

extension RegistryError {
    /// A policy decoding error as `INVALID_PARAMETER_VALUE` whose message starts with the file (if
    /// any) and the field path: `Models/churn.yaml: aliases.champion[1].min: expected a number`.
    init(policyFile file: String?, decoding error: DecodingError) {
        let (field, message): (String, String)
        switch error {
        case .dataCorrupted(let c):
            (field, message) = (policyPath(c.codingPath), c.debugDescription)
        case .keyNotFound(let key, let c):
            (field, message) = (policyPath(c.codingPath + [key]), "missing required key")
        case .typeMismatch(let type, let c):
            (field, message) = (policyPath(c.codingPath), "expected \(Self.typeWord(type))")
        case .valueNotFound(let type, let c):
            (field, message) = (policyPath(c.codingPath), "expected \(Self.typeWord(type)), found null")
        @unknown default:
            (field, message) = ("policy", "\(error)")
        }
        self.init(policyFile: file, field: field, message)
    }

    /// `INVALID_PARAMETER_VALUE` naming the file (if any) and the field.
    init(policyFile file: String?, field: String, _ message: String) {
        self.init(.invalidParameterValue, (file.map { "\($0): " } ?? "") + "\(field): \(message)")
    }

    private static func typeWord(_ t: Any.Type) -> String {
        switch t {
        case is String.Type: "a string"
        case is Double.Type: "a number"
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        default: ["Array", "Sequence", "Unkeyed"].contains { "\(t)".contains($0) } ? "a list" : "a mapping"
        }
    }
}
