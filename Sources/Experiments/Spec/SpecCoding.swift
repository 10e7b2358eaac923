import Foundation
import Yams

/// A coding key for any string, so the spec decoders can list the keys a mapping has and reject
/// the ones they do not know.
struct SpecKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension CodingUserInfoKey {
    /// The experiment's task, read from the tree before decoding (section defaults depend on it).
    static let experimentTask = CodingUserInfoKey(rawValue: "mltrack.experiment.task")!
    /// The experiment's global seed, read from the tree before decoding.
    static let experimentSeed = CodingUserInfoKey(rawValue: "mltrack.experiment.seed")!
}

extension Decoder {
    /// The task the spec declares (binary classification when absent or invalid: `task` itself
    /// reports the problem).
    var experimentTask: ExperimentTask {
        userInfo[.experimentTask] as? ExperimentTask ?? .binaryClassification
    }

    var experimentSeed: UInt64 {
        userInfo[.experimentSeed] as? UInt64 ?? ExperimentSpec.defaultSeed
    }
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

    /// A value that must be present.
    func required<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
        guard let v = try optional(type, key) else {
            throw DecodingError.keyNotFound(SpecKey(key), .init(codingPath: codingPath, debugDescription: "missing required key"))
        }
        return v
    }

    /// A keyword from `choices`; anything else throws naming the field and the choices.
    func keyword(_ key: String, _ choices: [String]) throws -> String? {
        guard let s = try optional(String.self, key) else { return nil }
        guard choices.contains(s) else {
            throw bad(key, "unknown value '\(s)' (expected one of: \(choices.joined(separator: ", ")))")
        }
        return s
    }

    func has(_ key: String) -> Bool {
        let k = SpecKey(key)
        guard contains(k) else { return false }
        return (try? decodeNil(forKey: k)) == false
    }

    func bad(_ key: String, _ message: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: codingPath + [SpecKey(key)], debugDescription: message))
    }
}

extension KeyedEncodingContainer where K == SpecKey {
    mutating func put<T: Encodable>(_ value: T, _ key: String) throws {
        try encode(value, forKey: SpecKey(key))
    }

    mutating func put<T: Encodable>(ifPresent value: T?, _ key: String) throws {
        try encodeIfPresent(value, forKey: SpecKey(key))
    }
}

/// `features.numeric[2].impute` from a coding path.
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

/// The path elements of a coding path: keys and list indexes.
func pathElements(_ path: [any CodingKey]) -> [SpecPath.Element] {
    path.map { k in
        if let i = k.intValue { return .index(i) }
        if k.stringValue.hasPrefix("Index "), let i = Int(k.stringValue.dropFirst(6)) { return .index(i) }
        return .key(k.stringValue)
    }
}

extension ExperimentError {
    /// A decoding error of the spec as an error naming the field; `tree` (the decoded YAML) lets the
    /// message say what was found instead, and point at `sweep` when a list stands for a scalar.
    init(decoding error: DecodingError, file: String?, tree: Node?) {
        func found(_ path: [any CodingKey]) -> Node? {
            guard let tree else { return nil }
            return SpecNode.lookup(tree, pathElements(path))
        }
        switch error {
        case .dataCorrupted(let c):
            self.init(file: file, field: specPath(c.codingPath), c.debugDescription)
        case .keyNotFound(let key, let c):
            self.init(file: file, field: specPath(c.codingPath + [key]), "missing required key")
        case .typeMismatch(let type, let c):
            let field = specPath(c.codingPath)
            let node = found(c.codingPath)
            if case .sequence = node, !(type is Node.Sequence.Type) {
                self.init(file: file, field: field,
                          "expected \(Self.typeWord(type)), got a list; to try several values, list them under `sweep` "
                          + "(sweep: {\(field): [...]})")
            } else {
                self.init(file: file, field: field,
                          "expected \(Self.typeWord(type)), got \(node.map(SpecNode.describe) ?? "something else")")
            }
        case .valueNotFound(let type, let c):
            self.init(file: file, field: specPath(c.codingPath), "expected \(Self.typeWord(type)), found null")
        @unknown default:
            self.init(file: file, field: "spec", "\(error)")
        }
    }

    static func typeWord(_ t: Any.Type) -> String {
        switch t {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is UInt64.Type: "a non-negative integer"
        case is Double.Type, is Float.Type: "a number"
        case is Node.Mapping.Type: "a mapping"
        case is Node.Sequence.Type: "a list"
        case is Node.Scalar.Type: "a single value"
        default: "\(t)"
        }
    }
}
