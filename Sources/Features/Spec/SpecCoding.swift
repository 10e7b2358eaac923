import Foundation

/// A coding key for any string, so spec decoding can list the keys a mapping really has and reject
/// the ones it does not know.
struct SpecKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where K == SpecKey {
    /// Throws naming the first key not in `allowed`.
    func rejectUnknownKeys(_ allowed: [String]) throws {
        for key in allKeys where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath + [key],
                debugDescription: "unknown key '\(key.stringValue)' (expected one of: \(allowed.joined(separator: ", ")))"))
        }
    }

    /// A value that may be absent or null.
    func optional<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
        let k = SpecKey(key)
        guard contains(k), try !decodeNil(forKey: k) else { return nil }
        return try decode(type, forKey: k)
    }

    /// A keyword from `choices`; anything else throws naming the field and the choices.
    func keyword(_ key: String, _ choices: [String]) throws -> String? {
        guard let s = try optional(String.self, key) else { return nil }
        guard choices.contains(s) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath + [SpecKey(key)],
                debugDescription: "unknown value '\(s)' (expected one of: \(choices.joined(separator: ", ")))"))
        }
        return s
    }

    func bad(_ key: String, _ message: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: codingPath + [SpecKey(key)], debugDescription: message))
    }
}

/// A list entry that is either a bare column name or a mapping with a `column` key.
enum SpecEntry {
    /// Decodes a bare name as `nil` keyed container plus the name.
    static func open(_ decoder: any Decoder) throws -> (column: String, fields: KeyedDecodingContainer<SpecKey>?) {
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
            try checkName(name, decoder.codingPath)
            return (name, nil)
        }
        let c = try decoder.container(keyedBy: SpecKey.self)
        guard let name = try c.optional(String.self, "column") else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "an entry needs a 'column' (or is a bare column name)"))
        }
        try checkName(name, decoder.codingPath + [SpecKey("column")])
        return (name, c)
    }

    private static func checkName(_ name: String, _ path: [any CodingKey]) throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "empty column name"))
        }
    }
}

/// `numeric[2].impute` from a coding path.
func specPath(_ path: [any CodingKey]) -> String {
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
    return s.isEmpty ? "spec" : s
}

extension FeatureError {
    /// A decoding error of a spec or a fitted state, naming the field by its path
    /// (`numeric[1].impute`) and saying what is wrong.
    public init(decoding error: DecodingError) {
        switch error {
        case .dataCorrupted(let c):
            self.init(column: specPath(c.codingPath), c.debugDescription)
        case .keyNotFound(let key, let c):
            self.init(column: specPath(c.codingPath + [key]), "missing required key")
        case .typeMismatch(let type, let c):
            self.init(column: specPath(c.codingPath), "expected \(FeatureError.typeWord(type)) (\(c.debugDescription))")
        case .valueNotFound(let type, let c):
            self.init(column: specPath(c.codingPath), "expected \(FeatureError.typeWord(type)), found null")
        @unknown default:
            self.init(column: "spec", "\(error)")
        }
    }

    private static func typeWord(_ t: Any.Type) -> String {
        switch t {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        default: "\(t)"
        }
    }
}
