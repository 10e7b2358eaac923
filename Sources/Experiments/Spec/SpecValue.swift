import Yams

/// A YAML value held as data (a sweep value, an override value): scalars keep their type, lists and
/// mappings their order.
///
/// ```swift
/// let v = try SpecValue(yaml: "[0.1, 1, 10]")   // .list([.double(0.1), .int(1), .int(10)])
/// v.text                                          // "[0.1, 1, 10]"
/// ```
public indirect enum SpecValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([SpecValue])
    case mapping([String: SpecValue], order: [String])

    /// Parses one YAML value (a scalar, a flow list `[a, b]`, a flow mapping `{k: v}`).
    public init(yaml text: String) throws {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ExperimentError(field: "value", "'\(text)' is not a YAML value: \(error)")
        }
        self = node.map(SpecValue.init(node:)) ?? .null
    }

    init(node: Node) {
        switch node {
        case .scalar(let s):
            if s.style == .plain {
                if node.null != nil { self = .null; return }
                if let b = node.bool { self = .bool(b); return }
                if let i = node.int { self = .int(i); return }
                if let d = node.float { self = .double(d); return }
            }
            self = .string(s.string)
        case .sequence(let s): self = .list(s.map(SpecValue.init(node:)))
        case .mapping(let m):
            var d: [String: SpecValue] = [:], order: [String] = []
            for (k, v) in m {
                let key = k.scalar?.string ?? SpecNode.flow(k)
                if d[key] == nil { order.append(key) }
                d[key] = SpecValue(node: v)
            }
            self = .mapping(d, order: order)
        case .alias: self = .null
        }
    }

    /// The value as a YAML node.
    var node: Node {
        switch self {
        case .null: return Node("null", .implicit, .plain)
        case .bool(let b): return Node(b ? "true" : "false", .implicit, .plain)
        case .int(let i): return Node(String(i), .implicit, .plain)
        case .double(let d): return Node(SpecValue.format(d), .implicit, .plain)
        case .string(let s): return Node(s, .implicit, .plain)
        case .list(let l): return Node(l.map(\.node), .implicit, .flow)
        case .mapping(let d, let order):
            return .mapping(Node.Mapping(order.compactMap { k in d[k].map { (Node(k), $0.node) } }, .implicit, .flow))
        }
    }

    static func format(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
        return "\(d)"
    }

    public var isList: Bool { if case .list = self { true } else { false } }

    /// One-line YAML text (`0.1`, `[a, b]`, `{negative: 1, positive: 3}`).
    public var text: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): SpecValue.format(d)
        case .string(let s): s
        case .list(let l): "[" + l.map(\.text).joined(separator: ", ") + "]"
        case .mapping(let d, let order): "{" + order.compactMap { k in d[k].map { "\(k): \($0.text)" } }.joined(separator: ", ") + "}"
        }
    }

    public var description: String { text }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        if let c = try? decoder.singleValueContainer() {
            if c.decodeNil() { self = .null; return }
            if let b = try? c.decode(Bool.self) { self = .bool(b); return }
            if let i = try? c.decode(Int.self) { self = .int(i); return }
            if let d = try? c.decode(Double.self) { self = .double(d); return }
            if let s = try? c.decode(String.self) { self = .string(s); return }
        }
        if var u = try? decoder.unkeyedContainer() {
            var out: [SpecValue] = []
            while !u.isAtEnd { out.append(try u.decode(SpecValue.self)) }
            self = .list(out)
            return
        }
        let k = try decoder.container(keyedBy: AnyKey.self)
        var d: [String: SpecValue] = [:], order: [String] = []
        for key in k.allKeys {
            order.append(key.stringValue)
            d[key.stringValue] = try k.decode(SpecValue.self, forKey: key)
        }
        self = .mapping(d, order: order)
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .double(let d):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .list(let l):
            var c = encoder.unkeyedContainer()
            for v in l { try c.encode(v) }
        case .mapping(let d, let order):
            var c = encoder.container(keyedBy: AnyKey.self)
            for k in order {
                if let v = d[k], let key = AnyKey(stringValue: k) { try c.encode(v, forKey: key) }
            }
        }
    }
}
