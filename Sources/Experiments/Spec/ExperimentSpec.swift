import Features
import Foundation
import Trainers
import Yams

/// An experiment spec (`Experiments/*.yaml`): what `mltrack run` reads, fits, evaluates and
/// registers. Decoded strictly: an unknown key, a wrong type or a value outside its range is an
/// ``ExperimentError`` naming the field path (`features.numeric[0].impute`, `trainer.params.l2`).
/// Every absent field holds its documented default once loaded (``resolved()`` also resolves the
/// relative paths); see `docs/design/experiment-spec.md`.
///
/// ```swift
/// let spec = try ExperimentSpec.load(path: "Experiments/churn.yaml",
///                                    overrides: ["trainer.params.l2=0.5", "split.test_fraction=0.25"])
/// let params = spec.resolved().params()      // ["trainer.params.l2": "0.5", …]
/// for point in try spec.grid() { print(point.label) }
/// ```
public struct ExperimentSpec: Sendable, Hashable, Codable {
    /// The experiment (runs are grouped under it).
    public var name: String
    public var description: String
    public var source: SourceSpec
    public var task: ExperimentTask
    /// The 0/1 label column (binary classification).
    public var label: String?
    /// The features (binary classification), inline or read from ``featuresFile``.
    public var features: FeatureSpec?
    /// The feature spec file `features: {file: …}` named, as written (nil when inline).
    public var featuresFile: String?
    /// The interactions table's columns (recommendation).
    public var interactions: InteractionsSpec?
    public var split: SplitSpec
    public var trainer: TrainerSpec
    public var metrics: MetricsSpec
    public var register: RegisterSpec?
    /// The global seed: the default of every section's seed.
    public var seed: UInt64
    public var sweep: SweepSpec?
    /// The spec file's folder (relative paths resolve against it); not part of the YAML.
    public var directory: String?
    /// The YAML tree after overrides and with the features file inlined (the grid starts from it).
    var tree: String = ""

    public static let defaultSeed: UInt64 = 42
    static let topKeys = ["name", "description", "source", "task", "label", "features", "interactions", "split",
                          "trainer", "metrics", "register", "seed", "sweep"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: SpecKey.self)
        try c.rejectUnknownKeys(Self.topKeys)
        name = try c.required(String.self, "name")
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw c.bad("name", "empty experiment name") }
        description = try c.optional(String.self, "description") ?? ""
        guard let t = try c.keyword("task", ExperimentTask.allCases.map(\.rawValue)), let task = ExperimentTask(rawValue: t) else {
            throw DecodingError.keyNotFound(SpecKey("task"), .init(codingPath: c.codingPath,
                debugDescription: "missing required key (binary_classification or recommendation)"))
        }
        self.task = task
        seed = try c.optional(UInt64.self, "seed") ?? Self.defaultSeed
        source = try c.required(SourceSpec.self, "source")
        featuresFile = nil
        switch task {
        case .binaryClassification:
            if c.has("interactions") { throw c.bad("interactions", "only a recommendation task has interactions") }
            label = try c.required(String.self, "label")
            if label?.isEmpty == true { throw c.bad("label", "empty column name") }
            features = try c.required(FeatureSpec.self, "features")
            if let l = label, let used = features?.usedColumns.first(where: { $0.lowercased() == l.lowercased() }) {
                throw c.bad("label", "the label '\(used)' is also a feature (list it under features.drop instead)")
            }
            interactions = nil
        case .recommendation:
            for k in ["label", "features"] where c.has(k) {
                throw c.bad(k, "a recommendation task reads interactions, not \(k)")
            }
            label = nil
            features = nil
            interactions = try c.required(InteractionsSpec.self, "interactions")
        }
        split = try c.optional(SplitSpec.self, "split") ?? .default(for: task, seed: seed)
        trainer = try c.optional(TrainerSpec.self, "trainer") ?? .default(for: task, seed: seed)
        metrics = try c.optional(MetricsSpec.self, "metrics") ?? .default(for: task)
        register = try c.optional(RegisterSpec.self, "register")
        sweep = try c.optional(SweepSpec.self, "sweep")
        if var s = sweep {
            let sel = try? c.nestedContainer(keyedBy: SpecKey.self, forKey: SpecKey("sweep"))
                .nestedContainer(keyedBy: SpecKey.self, forKey: SpecKey("select"))
            if sel?.has("metric") != true {
                s.select.metric = metrics.primary
                if sel?.has("mode") != true { s.select.mode = MetricsSpec.higherIsBetter(metrics.primary) ? "max" : "min" }
            }
            sweep = s
        }
        directory = nil
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        try c.put(name, "name")
        try c.put(description, "description")
        try c.put(task.rawValue, "task")
        try c.put(source, "source")
        try c.put(ifPresent: label, "label")
        try c.put(ifPresent: features, "features")
        try c.put(ifPresent: interactions, "interactions")
        try c.put(split, "split")
        try c.put(trainer, "trainer")
        try c.put(metrics, "metrics")
        try c.put(ifPresent: register, "register")
        try c.put(seed, "seed")
        try c.put(ifPresent: sweep, "sweep")
    }

    // MARK: Loading

    /// Reads and decodes a spec file, applying `--set` overrides (`path=value`) first.
    public static func load(path: String, overrides: [String] = []) throws -> ExperimentSpec {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ExperimentError(file: path, field: "spec", "cannot read the spec: \(error.localizedDescription)")
        }
        let dir = (path as NSString).deletingLastPathComponent
        return try ExperimentSpec(yaml: text, file: path, directory: dir.isEmpty ? "." : dir, overrides: overrides)
    }

    /// Decodes spec text; `directory` resolves `features: {file: …}` (and later the table path).
    public init(yaml text: String, file: String? = nil, directory: String? = nil, overrides: [String] = []) throws {
        var tree: Node
        do {
            guard let root = try Yams.compose(yaml: text) else {
                throw ExperimentError(file: file, field: "spec", "the spec is empty")
            }
            tree = root
        } catch let e as ExperimentError {
            throw e
        } catch {
            throw ExperimentError(file: file, field: "spec", "not valid YAML: \(error)")
        }
        guard case .mapping = tree else { throw ExperimentError(file: file, field: "spec", "expected a mapping of sections") }
        let sets = try overrides.map { try SpecOverride(parsing: $0) }
        // `features.file` first, then inline the file, then every other override.
        let fileKey = SpecPath(elements: [.key("features"), .key("file")])
        for o in sets where o.path == fileKey { tree = try o.apply(to: tree, file: file) }
        let (inlined, featuresFile) = try Self.inlineFeatures(tree, file: file, directory: directory)
        tree = inlined
        for o in sets where o.path != fileKey { tree = try o.apply(to: tree, file: file) }
        self = try Self.decode(tree, file: file, featuresFile: featuresFile, directory: directory, overrides: sets)
        self.featuresFile = featuresFile
        self.directory = directory
        self.tree = (try? Yams.serialize(node: tree)) ?? ""
        try Self.checkOverridesExist(sets, in: self, file: file)
        try validateSweepAxes(file: file)
    }

    /// Each sweep value alone must make a valid spec (the grid combines them).
    func validateSweepAxes(file: String?) throws {
        guard let sweep else { return }
        for axis in sweep.axes {
            for value in axis.values {
                do {
                    _ = try grid(only: [SpecOverride(path: axis.path, value: value)])
                } catch var e as ExperimentError {
                    e.file = file
                    throw e
                }
            }
        }
    }

    static func decode(_ tree: Node, file: String?, featuresFile: String?, directory: String?,
                       overrides: [SpecOverride]) throws -> ExperimentSpec {
        var info: [CodingUserInfoKey: Any] = [:]
        if case .mapping(let m) = tree {
            if let t = SpecNode.value(m, "task")?.scalar?.string, let task = ExperimentTask(rawValue: t) {
                info[.experimentTask] = task
            }
            if let s = SpecNode.value(m, "seed")?.scalar?.string, let seed = UInt64(s) { info[.experimentSeed] = seed }
        }
        do {
            return try YAMLDecoder().decode(ExperimentSpec.self, from: tree, userInfo: info)
        } catch let e as DecodingError {
            var err = ExperimentError(decoding: e, file: file, tree: tree)
            let errPath = (try? SpecPath(err.field))
            if let o = overrides.last(where: { o in errPath.map { $0.starts(with: o.path) || o.path.starts(with: $0) } ?? false }) {
                err.message += " (from --set \(o.text))"
            } else if let f = featuresFile, err.field.hasPrefix("features.") || err.field == "features" {
                err.file = resolve(f, relativeTo: directory)
            }
            throw err
        } catch let e as ExperimentError {
            throw e
        } catch {
            throw ExperimentError(file: file, field: "spec", "\(error)")
        }
    }

    /// Replaces `features: {file: PATH}` by the parsed file.
    static func inlineFeatures(_ tree: Node, file: String?, directory: String?) throws -> (Node, String?) {
        guard case .mapping(let m) = tree, let f = SpecNode.value(m, "features"), case .mapping(let fm) = f,
              let ref = SpecNode.value(fm, "file") else { return (tree, nil) }
        guard fm.count == 1 else {
            throw ExperimentError(file: file, field: "features.file", "a features file cannot be combined with inline sections")
        }
        guard let name = ref.scalar?.string, !name.isEmpty else {
            throw ExperimentError(file: file, field: "features.file", "expected a path to a feature spec")
        }
        let path = resolve(name, relativeTo: directory)
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ExperimentError(file: file, field: "features.file", "cannot read '\(path)': \(error.localizedDescription)")
        }
        let node: Node
        do {
            guard let n = try Yams.compose(yaml: text) else {
                throw ExperimentError(file: path, field: "features", "the feature spec is empty")
            }
            node = n
        } catch let e as ExperimentError {
            throw e
        } catch {
            throw ExperimentError(file: path, field: "features", "not valid YAML: \(error)")
        }
        return (SpecNode.setting(m, "features", node), name)
    }

    /// An override whose path the decoded schema does not have is an error naming it.
    static func checkOverridesExist(_ sets: [SpecOverride], in spec: ExperimentSpec, file: String?) throws {
        guard !sets.isEmpty else { return }
        let encoded: Node
        do {
            guard let n = try Yams.compose(yaml: try YAMLEncoder().encode(spec)) else { return }
            encoded = n
        } catch {
            return
        }
        for o in sets where o.value != .null {
            if case .key("sweep") = o.path.elements.first { continue }  // checked by decoding each point
            if o.path == SpecPath(elements: [.key("features"), .key("file")]), spec.featuresFile != nil { continue }
            guard SpecNode.lookup(encoded, o.path.elements) != nil else {
                throw ExperimentError(file: file, field: o.path.description,
                                      "no such field in this spec (from --set \(o.text))")
            }
        }
    }

    /// `path` unless absolute, else joined to `directory`.
    static func resolve(_ path: String, relativeTo directory: String?) -> String {
        guard !path.hasPrefix("/"), let d = directory, !d.isEmpty, d != "." else { return path }
        return URL(fileURLWithPath: (d as NSString).appendingPathComponent(path)).standardized.path
    }

    // MARK: Resolution

    /// The spec with every default filled in (they are, once decoded) and its relative paths
    /// (`source.table`, `register.policy`) resolved against ``directory``: what a run logs.
    public func resolved() -> ExperimentSpec {
        var s = self
        s.source.table = source.tablePath(relativeTo: directory)
        if let p = register?.policy { s.register?.policy = Self.resolve(p, relativeTo: directory) }
        return s
    }

    /// The table path resolved against ``directory``.
    public var tablePath: String { source.tablePath(relativeTo: directory) }

    /// The policy path resolved against ``directory``, if any.
    public var policyPath: String? { register?.policy.map { Self.resolve($0, relativeTo: directory) } }

    /// The spec as YAML (decodes back to an equal spec, paths aside).
    public func yaml() throws -> String {
        let text = try YAMLEncoder().encode(self)
        guard let node = try Yams.compose(yaml: text) else { return text }
        return try Yams.serialize(node: Self.plainNumbers(node))
    }

    /// Numbers as Swift writes them (`0.2`, not Yams's `2e-1`).
    static func plainNumbers(_ n: Node) -> Node {
        switch n {
        case .scalar(let s):
            let t = paramText(n)
            return t == s.string ? n : Node(t, s.tag, s.style)
        case .sequence(let s): return .sequence(Node.Sequence(s.map(plainNumbers), s.tag, s.style, s.mark))
        case .mapping(let m): return .mapping(Node.Mapping(m.map { ($0.key, plainNumbers($0.value)) }, m.tag, m.style, m.mark))
        case .alias: return n
        }
    }

    /// A scalar as a param value: numbers in Swift's shortest form (`1.0`, `0.0001`, not `1e+0`).
    static func paramText(_ n: Node) -> String {
        guard case .scalar(let s) = n else { return SpecNode.flow(n) }
        if s.style == .plain, s.string.contains(where: { $0 == "e" || $0 == "E" }), let d = Double(s.string), d.isFinite {
            return "\(d)"
        }
        return s.string
    }

    /// Every leaf of the spec as a flat `key → value` list for run params (MLflow-legal keys: list
    /// entries of mappings are numbered `features.numeric.0.impute`, lists of scalars are one value
    /// `[a, b]`), in spec order.
    public func params() throws -> [(key: String, value: String)] {
        guard let node = try Yams.compose(yaml: try yaml()) else { return [] }
        var out: [(key: String, value: String)] = []
        func walk(_ n: Node, _ prefix: String) {
            switch n {
            case .mapping(let m):
                for (k, v) in m {
                    let key = SpecNode.keyString(k) ?? "?"
                    walk(v, prefix.isEmpty ? key : "\(prefix).\(key)")
                }
            case .sequence(let s):
                if s.contains(where: { if case .mapping = $0 { true } else { false } }) {
                    for (i, v) in s.enumerated() { walk(v, "\(prefix).\(i)") }
                } else {
                    out.append((prefix, "[" + s.map(Self.paramText).joined(separator: ", ") + "]"))
                }
            default:
                out.append((prefix, Self.paramText(n)))
            }
        }
        walk(node, "")
        return out
    }
}
