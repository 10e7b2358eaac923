import Foundation

// Strict decoding helpers shared by the YAML documents mltrack reads: feature specs (Features),
// experiment specs (Experiments) and promotion policies (Registry). A document decoded with these
// rejects keys it does not know and names the offending field by its path.

/// A coding key for any string, so a decoder can list the keys a mapping really has and reject the
/// ones it does not know.
package struct SpecKey: CodingKey, Hashable {
    package var stringValue: String
    package var intValue: Int? { nil }
    package init(_ s: String) { stringValue = s }
    package init?(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where K == SpecKey {
    /// Throws naming the first key not in `allowed`, in document order, or in name order when
    /// `sortedByName` is set (so the key reported does not depend on how the mapping was written).
    package func rejectUnknownKeys(_ allowed: [String], sortedByName: Bool = false) throws {
        let keys = sortedByName ? allKeys.sorted { $0.stringValue < $1.stringValue } : allKeys
        for key in keys where !allowed.contains(key.stringValue) {
            throw bad(key.stringValue, "unknown key '\(key.stringValue)' (expected one of: \(allowed.joined(separator: ", ")))")
        }
    }

    /// A value that may be absent or null.
    package func optional<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
        let k = SpecKey(key)
        guard contains(k), try !decodeNil(forKey: k) else { return nil }
        return try decode(type, forKey: k)
    }

    /// A value that must be present (absent or null throws `keyNotFound`).
    package func required<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
        guard let v = try optional(type, key) else {
            throw DecodingError.keyNotFound(SpecKey(key), .init(codingPath: codingPath, debugDescription: "missing required key"))
        }
        return v
    }

    /// A keyword from `choices`; anything else throws naming the field and the choices.
    package func keyword(_ key: String, _ choices: [String]) throws -> String? {
        guard let s = try optional(String.self, key) else { return nil }
        guard choices.contains(s) else {
            throw bad(key, "unknown value '\(s)' (expected one of: \(choices.joined(separator: ", ")))")
        }
        return s
    }

    /// Whether `key` is present and not null.
    package func has(_ key: String) -> Bool {
        let k = SpecKey(key)
        guard contains(k) else { return false }
        return (try? decodeNil(forKey: k)) == false
    }

    /// A `dataCorrupted` error at `key` of this mapping.
    package func bad(_ key: String, _ message: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: codingPath + [SpecKey(key)], debugDescription: message))
    }
}

extension KeyedEncodingContainer where K == SpecKey {
    /// Encodes `value` under `key`.
    package mutating func put<T: Encodable>(_ value: T, _ key: String) throws {
        try encode(value, forKey: SpecKey(key))
    }

    /// Encodes `value` under `key` unless it is nil.
    package mutating func put<T: Encodable>(ifPresent value: T?, _ key: String) throws {
        try encodeIfPresent(value, forKey: SpecKey(key))
    }
}

/// A coding path as a field path, `numeric[2].impute`; `ifEmpty` names the whole document.
package func specPath(_ path: [any CodingKey], ifEmpty: String = "spec") -> String {
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
    return s.isEmpty ? ifEmpty : s
}
