import Yams

/// Helpers over a YAML node tree: look up and replace a value at a path, describe a node.
enum SpecNode {
    /// The string of a mapping key.
    static func keyString(_ n: Node) -> String? { n.scalar?.string }

    static func pairs(_ m: Node.Mapping) -> [(Node, Node)] { m.map { ($0.key, $0.value) } }

    static func value(_ m: Node.Mapping, _ key: String) -> Node? {
        m.first(where: { keyString($0.key) == key })?.value
    }

    static func lookup(_ node: Node, _ path: [SpecPath.Element]) -> Node? {
        var cur = node
        for e in path {
            switch (e, cur) {
            case (.key(let k), .mapping(let m)):
                guard let v = value(m, k) else { return nil }
                cur = v
            case (.index(let i), .sequence(let s)):
                guard i >= 0, i < s.count else { return nil }
                cur = s[i]
            default:
                return nil
            }
        }
        return cur
    }

    static func scalar(_ s: String) -> Node { Node(s, .implicit, .plain) }

    static func mapping(_ pairs: [(Node, Node)], like old: Node.Mapping? = nil) -> Node {
        .mapping(Node.Mapping(pairs, old?.tag ?? .implicit, old?.style ?? .block, old?.mark))
    }

    /// `m` with `key` set to `value` (replacing in place, or appended).
    static func setting(_ m: Node.Mapping, _ key: String, _ value: Node) -> Node {
        var p = pairs(m)
        if let i = p.firstIndex(where: { keyString($0.0) == key }) {
            p[i].1 = value
        } else {
            p.append((scalar(key), value))
        }
        return mapping(p, like: m)
    }

    static func removing(_ m: Node.Mapping, _ key: String) -> Node {
        mapping(pairs(m).filter { keyString($0.0) != key }, like: m)
    }

    /// "a list", "a mapping" or the scalar quoted.
    static func describe(_ n: Node) -> String {
        switch n {
        case .scalar(let s): s.string.isEmpty ? "an empty value" : "'\(s.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// One-line flow YAML of a node (labels, logged params).
    static func flow(_ n: Node) -> String {
        switch n {
        case .scalar(let s): s.string
        case .sequence(let s): "[" + s.map(flow).joined(separator: ", ") + "]"
        case .mapping(let m): "{" + m.map { "\(flow($0.key)): \(flow($0.value))" }.joined(separator: ", ") + "}"
        case .alias: "*"
        }
    }
}
