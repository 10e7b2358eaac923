import Yams

/// One `--set path=value` override: a field path (`trainer.params.l2`, `features.numeric[0].impute`)
/// and a YAML value (a scalar, or a flow list/mapping `[0.1, 1, 10]`), applied to the YAML tree
/// before decoding. Missing mappings on the way are created; a list index may be at most the
/// list's length (equal appends). Under `sweep` the rest of the path is one axis key
/// (`sweep.trainer.params.c=[0.1,1]`). Setting `source.version` drops a `timestamp` (and the
/// reverse), setting `trainer.params.c` drops an `l2` (and the reverse): the override replaces the
/// setting whichever spelling the file used. A `null` value unsets the field (its default applies).
///
/// ```swift
/// let o = try SpecOverride(parsing: "features.numeric[0].impute=median")
/// ```
public struct SpecOverride: Sendable, Hashable {
    public var path: SpecPath
    public var value: SpecValue
    /// As given on the command line.
    public var text: String

    public init(path: SpecPath, value: SpecValue) {
        self.path = path
        self.value = value
        self.text = "\(path)=\(value.text)"
    }

    public init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "=") else {
            throw ExperimentError(field: text.isEmpty ? "--set" : text, "an override is path=value (--set trainer.params.l2=0.5)")
        }
        let pathText = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        let valueText = String(text[text.index(after: eq)...])
        let p = try SpecPath(pathText)
        let v: SpecValue
        do {
            v = try SpecValue(yaml: valueText)
        } catch let e as ExperimentError {
            throw ExperimentError(field: p.description, "\(e.message) (from --set \(text))")
        }
        self.path = p
        self.value = v
        self.text = text
    }

    static let exclusive: [SpecPath: [String]] = [
        SpecPath(elements: [.key("source")]): ["version", "timestamp"],
        SpecPath(elements: [.key("trainer"), .key("params")]): ["c", "l2"],
    ]

    /// The tree with the value set.
    func apply(to tree: Node, file: String?) throws -> Node {
        var elements = path.elements
        // Under sweep, everything after `sweep` (but `select`) is one axis key.
        if elements.count > 2, elements[0] == .key("sweep"), elements[1] != .key("select") {
            elements = [.key("sweep"), .key(SpecPath(elements: Array(elements.dropFirst())).description)]
        }
        return try set(tree, elements[...], done: [], file: file)
    }

    private func fail(_ at: [SpecPath.Element], _ why: String, _ file: String?) -> ExperimentError {
        ExperimentError(file: file, field: SpecPath(elements: at).description, "\(why) (from --set \(text))")
    }

    private func set(_ node: Node?, _ rest: ArraySlice<SpecPath.Element>, done: [SpecPath.Element], file: String?) throws -> Node {
        guard let head = rest.first else { return value.node }
        let here = done + [head]
        switch head {
        case .key(let k):
            var current: Node? = node
            // A bare feature entry `- tenure_months` becomes `{column: tenure_months}` to take options.
            if case .scalar(let s)? = node, done.count == 3, done[0] == .key("features"), case .index = done[2] {
                current = SpecNode.mapping([(SpecNode.scalar("column"), Node(s.string))])
            }
            let m: Node.Mapping
            switch current {
            case nil: m = Node.Mapping([])
            case .mapping(let x)?: m = x
            case .scalar(let s)? where s.string.isEmpty || current?.null != nil: m = Node.Mapping([])
            case let other?:
                throw fail(done, "cannot set '\(k)' inside \(SpecNode.describe(other))", file)
            }
            let next = try set(SpecNode.value(m, k), rest.dropFirst(), done: here, file: file)
            var updated = SpecNode.setting(m, k, next)
            if rest.count == 1, let group = Self.exclusive[SpecPath(elements: done)], group.contains(k),
               case .mapping(let um) = updated {
                for other in group where other != k { updated = SpecNode.removing(um, other) }
            }
            return updated
        case .index(let i):
            guard case .sequence(let s)? = node else {
                throw fail(here, node == nil ? "no list to index" : "cannot index \(node.map(SpecNode.describe) ?? "")", file)
            }
            var items = Array(s)
            guard i <= items.count else {
                throw fail(here, "index out of range (the list has \(items.count) entries)", file)
            }
            let next = try set(i < items.count ? items[i] : nil, rest.dropFirst(), done: here, file: file)
            if i < items.count { items[i] = next } else { items.append(next) }
            return .sequence(Node.Sequence(items, s.tag, s.style, s.mark))
        }
    }
}
