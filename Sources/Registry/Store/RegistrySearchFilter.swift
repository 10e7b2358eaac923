/// The subset of MLflow's registry search grammar we support: comparisons joined by `AND`
/// (case-insensitive), each `<key> <op> <value>` where
///
/// - key: `name`, `tags.<key>` / `tag.<key>` (quoted with backticks or double quotes when it has
///   dots or spaces: ``tags.`mlflow.prompt.is_prompt` ``); for versions also `run_id`,
///   `source_path` and `version_number`;
/// - op: `=`, `!=`, `LIKE` (case-sensitive, `%` and `_` wildcards), `ILIKE`, `IN (…)` and
///   `NOT IN (…)` for `name`/`run_id`; `version_number` takes `= != > >= < <=` and a number;
/// - value: a string in single (or double) quotes; `IN` takes a parenthesised list of them.
///
/// Tags follow MLflow's SQL registry store: a model or version without the tag never matches a
/// comparison on it, not even `!=`. The prompt tag `mlflow.prompt.is_prompt` is special, as there:
/// prompts (tag value `true`) are left out of every search unless the filter asks for them
/// (``tag.`mlflow.prompt.is_prompt` = 'true'`` or `!= 'false'`), and otherwise clauses on that tag
/// are dropped, so the client's appended ``tag.`mlflow.prompt.is_prompt` != 'true'`` keeps every
/// ordinary model, tagged or not. A bad filter is `INVALID_PARAMETER_VALUE` naming the token.
///
/// ```swift
/// let f = try RegistrySearchFilter(parsing: "name LIKE 'churn%' AND tags.team = 'growth'", forVersions: false)
/// f.matches(name: "churn", runId: nil, tags: ["team": "growth"])   // true
/// ```
public struct RegistrySearchFilter: Sendable, Hashable {
    /// What a clause compares: `name`, `run_id`, or a tag (`.tag("team")` for `tags.team`).
    public enum Key: Sendable, Hashable { case name, runId, sourcePath, versionNumber, tag(String) }
    /// The comparator of a clause (`IN` for `name IN ('a', 'b')`).
    public enum Op: String, Sendable, Hashable {
        case eq = "=", ne = "!=", like = "LIKE", ilike = "ILIKE", isIn = "IN", notIn = "NOT IN"
        case gt = ">", ge = ">=", lt = "<", le = "<="

        var isNumeric: Bool { [.gt, .ge, .lt, .le].contains(self) }
    }
    /// One comparison, e.g. `Clause(key: .name, op: .like, values: ["churn%"])`; `IN` has several values.
    public struct Clause: Sendable, Hashable {
        public var key: Key
        public var op: Op
        public var values: [String]
    }

    public var clauses: [Clause]

    /// Parses `text` (nil or blank: match everything). `forVersions` allows `run_id`.
    public init(parsing text: String?, forVersions: Bool) throws {
        clauses = []
        guard let text, !text.allSatisfy(\.isWhitespace) else { return }
        var tokens = try Self.tokenize(text)[...]
        func bad(_ why: String) -> RegistryError {
            RegistryError(.invalidParameterValue, "Invalid filter '\(text)': \(why).")
        }
        while true {
            guard let keyToken = tokens.popFirst() else { throw bad("expected a comparison") }
            let key: Key
            switch keyToken {
            case .word(let w) where w.lowercased() == "name": key = .name
            case .word(let w) where w.lowercased() == "run_id":
                guard forVersions else { throw bad("'run_id' applies to model versions only") }
                key = .runId
            case .word(let w) where w.lowercased() == "source_path":
                guard forVersions else { throw bad("'source_path' applies to model versions only") }
                key = .sourcePath
            case .word(let w) where w.lowercased() == "version_number":
                guard forVersions else { throw bad("'version_number' applies to model versions only") }
                key = .versionNumber
            case .word(let w) where w.lowercased().hasPrefix("tags.") || w.lowercased().hasPrefix("tag."):
                let k = String(w[w.index(after: w.firstIndex(of: ".") ?? w.startIndex)...])
                guard !k.isEmpty else { throw bad("'\(w)' has no tag key") }
                key = .tag(k)
            case .word(let w) where w.lowercased() == "tags." || w.lowercased() == "tag.":
                throw bad("'\(w)' has no tag key")
            case .taggedQuoted(let k):
                key = .tag(k)
            case .word(let w):
                throw bad("unsupported key '\(w)' (expected name\(forVersions ? ", run_id, source_path, version_number" : "") or tags.<key>)")
            default:
                throw bad("expected a key, found \(keyToken)")
            }
            guard let opToken = tokens.popFirst() else { throw bad("missing comparator after \(keyToken)") }
            let op: Op
            switch opToken {
            case .symbol("="): op = .eq
            case .symbol("!="): op = .ne
            case .word(let w) where w.uppercased() == "LIKE": op = .like
            case .word(let w) where w.uppercased() == "ILIKE": op = .ilike
            case .word(let w) where w.uppercased() == "IN": op = .isIn
            case .word(let w) where w.uppercased() == "NOT":
                guard case .word(let next)? = tokens.popFirst(), next.uppercased() == "IN" else { throw bad("expected IN after NOT") }
                op = .notIn
            case .symbol(let sym) where [">", ">=", "<", "<="].contains(sym): op = Op(rawValue: sym) ?? .eq
            default: throw bad("unsupported comparator \(opToken)")
            }
            if op == .isIn || op == .notIn, key != .name, key != .runId { throw bad("\(op.rawValue) applies to name and run_id only") }
            if key == .versionNumber, !(op == .eq || op == .ne || op.isNumeric) {
                throw bad("version_number takes =, !=, >, >=, < or <=, not \(op.rawValue)")
            }
            if op.isNumeric, key != .versionNumber { throw bad("\(op.rawValue) applies to version_number only") }
            var values: [String] = []
            if key == .versionNumber {
                let token = tokens.popFirst()
                let text: String?
                switch token {
                case .word(let w)?: text = w
                case .string(let s)?: text = s
                default: text = nil
                }
                guard let text, Int(text) != nil else { throw bad("version_number must be compared with an integer") }
                values = [text]
            } else if op == .isIn || op == .notIn {
                guard tokens.popFirst() == .symbol("(") else { throw bad("IN needs a parenthesised list of quoted strings") }
                while true {
                    guard case .string(let s)? = tokens.popFirst() else { throw bad("IN needs a parenthesised list of quoted strings") }
                    values.append(s)
                    let next = tokens.popFirst()
                    if next == .symbol(")") { break }
                    guard next == .symbol(",") else { throw bad("IN needs a parenthesised list of quoted strings") }
                }
            } else {
                guard case .string(let s)? = tokens.popFirst() else { throw bad("the value after \(op.rawValue) must be a quoted string") }
                values = [s]
            }
            clauses.append(Clause(key: key, op: op, values: values))
            guard let joiner = tokens.popFirst() else { break }
            guard case .word(let w) = joiner, w.uppercased() == "AND" else {
                throw bad("expected AND between comparisons, found \(joiner) (OR and parentheses are not supported)")
            }
        }
    }

    /// `value` as a filter string literal: in single quotes, or double quotes when it contains a single
    /// quote; nil when it contains both (the grammar has no escapes).
    ///
    /// ```swift
    /// let f = "name = \(RegistrySearchFilter.literal("o'brien") ?? "''")"   // name = "o'brien"
    /// ```
    public static func literal(_ value: String) -> String? {
        if !value.contains("'") { return "'\(value)'" }
        if !value.contains("\"") { return "\"\(value)\"" }
        return nil
    }

    /// The tag that marks a registered model (and its versions) as a prompt.
    public static let promptTagKey = "mlflow.prompt.is_prompt"

    /// Whether the filter asks for prompts: its first clause on ``promptTagKey`` is `= 'true'` or
    /// `!= 'false'` (any case), as MLflow decides.
    public var queriesPrompts: Bool {
        for c in clauses {
            guard case .tag(let k) = c.key, k == Self.promptTagKey else { continue }
            let value = c.values.first?.lowercased()
            return (c.op == .eq && value == "true") || (c.op == .ne && value == "false")
        }
        return false
    }

    /// Whether an entity with these attributes passes every clause (and is not a prompt, unless the
    /// filter asks for prompts). `source` and `version` are a model version's.
    public func matches(name: String, runId: String?, tags: [String: String], source: String? = nil, version: Int? = nil) -> Bool {
        let prompts = queriesPrompts
        if !prompts && tags[Self.promptTagKey] == "true" { return false }
        return clauses.allSatisfy { c in
            let actual: String?
            switch c.key {
            case .name: actual = name
            case .runId: actual = runId
            case .sourcePath: actual = source
            case .versionNumber:
                guard let version, let wanted = Int(c.values[0]) else { return false }
                switch c.op {
                case .eq: return version == wanted
                case .ne: return version != wanted
                case .gt: return version > wanted
                case .ge: return version >= wanted
                case .lt: return version < wanted
                case .le: return version <= wanted
                default: return false
                }
            case .tag(let k):
                if k == Self.promptTagKey && !prompts { return true }
                actual = tags[k]
            }
            guard let actual else { return false }
            switch c.op {
            case .eq: return actual == c.values[0]
            case .ne: return actual != c.values[0]
            case .like: return Self.like(Array(actual), Array(c.values[0]))
            case .ilike: return Self.like(Array(actual.lowercased()), Array(c.values[0].lowercased()))
            case .isIn: return c.values.contains(actual)
            case .notIn: return !c.values.contains(actual)
            case .gt, .ge, .lt, .le: return false
            }
        }
    }

    /// SQL LIKE: `%` any run, `_` one character.
    static func like(_ s: [Character], _ p: [Character]) -> Bool {
        // Dynamic programming over (pattern prefix, string prefix).
        var row = [Bool](repeating: false, count: s.count + 1)
        row[0] = true
        for pc in p {
            var next = [Bool](repeating: false, count: s.count + 1)
            if pc == "%" {
                var any = false
                for j in 0...s.count { any = any || row[j]; next[j] = any }
            } else {
                for j in 0..<s.count where row[j] && (pc == "_" || s[j] == pc) { next[j + 1] = true }
            }
            row = next
        }
        return row[s.count]
    }

    enum Token: Hashable, CustomStringConvertible {
        case word(String), string(String), symbol(String), taggedQuoted(String)
        var description: String {
            switch self {
            case .word(let w): "'\(w)'"
            case .string(let s): "'\(s)' (a string)"
            case .symbol(let s): "'\(s)'"
            case .taggedQuoted(let k): "tags.`\(k)`"
            }
        }
    }

    static func tokenize(_ text: String) throws -> [Token] {
        let chars = Array(text)
        var i = 0
        var out: [Token] = []
        func bad(_ why: String) -> RegistryError {
            RegistryError(.invalidParameterValue, "Invalid filter '\(text)': \(why).")
        }
        func quoted(_ q: Character) throws -> String {
            i += 1
            var s = ""
            while i < chars.count, chars[i] != q { s.append(chars[i]); i += 1 }
            guard i < chars.count else { throw bad("unterminated \(q) quote") }
            i += 1
            return s
        }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "'" { out.append(.string(try quoted("'"))); continue }
            if c == "\"" {
                // A double-quoted token is a tag key right after `tags.`, otherwise a string value.
                if case .word(let w)? = out.last, w.lowercased() == "tags." || w.lowercased() == "tag." {
                    out.removeLast(); out.append(.taggedQuoted(try quoted("\"")))
                } else {
                    out.append(.string(try quoted("\"")))
                }
                continue
            }
            if c == "`" {
                guard case .word(let w)? = out.last, w.lowercased() == "tags." || w.lowercased() == "tag." else {
                    throw bad("a backtick-quoted key must follow 'tags.'")
                }
                out.removeLast(); out.append(.taggedQuoted(try quoted("`")))
                continue
            }
            if c == "!" , i + 1 < chars.count, chars[i + 1] == "=" { out.append(.symbol("!=")); i += 2; continue }
            if c == ">" || c == "<" {
                let eq = i + 1 < chars.count && chars[i + 1] == "="
                out.append(.symbol(String(c) + (eq ? "=" : ""))); i += eq ? 2 : 1
                continue
            }
            if "=(),".contains(c) { out.append(.symbol(String(c))); i += 1; continue }
            var w = ""
            while i < chars.count, !chars[i].isWhitespace, !"=!<>(),'\"`".contains(chars[i]) { w.append(chars[i]); i += 1 }
            guard !w.isEmpty else { throw bad("unexpected character '\(c)'") }
            out.append(.word(w))
        }
        return out
    }
}
