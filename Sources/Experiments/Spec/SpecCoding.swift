import Features
import Foundation
import Yams

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
