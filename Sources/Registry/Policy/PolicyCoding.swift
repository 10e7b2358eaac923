import Foundation

/// A coding key for any string, so policy decoding can see the keys a mapping really has and reject
/// the ones it does not know.
struct PolicyKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where K == PolicyKey {
    /// Throws naming the first key not in `allowed`.
    func rejectUnknownKeys(_ allowed: [String]) throws {
        for key in allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !allowed.contains(key.stringValue) {
            throw bad(key.stringValue, "unknown key '\(key.stringValue)' (expected one of: \(allowed.joined(separator: ", ")))")
        }
    }

    /// A value that may be absent or null.
    func optional<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
        let k = PolicyKey(key)
        guard contains(k), try !decodeNil(forKey: k) else { return nil }
        return try decode(type, forKey: k)
    }

    /// A finite number, or nil when absent.
    func finite(_ key: String) throws -> Double? {
        guard let x = try optional(Double.self, key) else { return nil }
        guard x.isFinite else { throw bad(key, "must be a finite number, got \(x)") }
        return x
    }

    /// A non-empty string that must be present.
    func requiredName(_ key: String) throws -> String {
        guard let s = try optional(String.self, key) else {
            throw DecodingError.keyNotFound(PolicyKey(key), .init(codingPath: codingPath, debugDescription: "missing"))
        }
        guard !s.allSatisfy(\.isWhitespace) else { throw bad(key, "must not be empty") }
        return s
    }

    func bad(_ key: String, _ message: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: codingPath + [PolicyKey(key)], debugDescription: message))
    }
}

/// `aliases.champion[2].beat_holder.by` from a coding path.
func policyPath(_ path: [any CodingKey]) -> String {
    var s = ""
    for k in path {
        if let i = k.intValue {
            s += "[\(i)]"
        } else if k.stringValue.hasPrefix("Index "), let i = Int(k.stringValue.dropFirst(6)) {
            s += "[\(i)]"
        } else {
            s += s.isEmpty ? k.stringValue : ".\(k.stringValue)"
        }
    }
    return s.isEmpty ? "policy" : s
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
