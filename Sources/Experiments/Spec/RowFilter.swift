/// A row filter on a Gold table: conditions joined by `and`, each `column op literal` (op one of
/// `=` `!=` `<` `<=` `>` `>=`; `==` and `<>` are accepted too) or `column is null` /
/// `column is not null`. Literals: numbers, `'text'` (`''` inside for a quote), `true`/`false`;
/// dates and timestamps are compared with text literals (`signup_date >= '2024-01-01'`).
/// Keywords are case-insensitive; a column name with other characters goes in double quotes.
/// A null cell fails every comparison (SQL semantics); only `is null` selects it.
///
/// ```swift
/// let f = try RowFilter("region != 'north' and tenure_months >= 3 and total_charges is not null")
/// let keep = try f.mask(table)         // [Bool], one per row
/// ```
public struct RowFilter: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A comparison operator (`==` parses as `=`, `<>` as `!=`).
    public enum Op: String, Sendable, Hashable {
        case eq = "=", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    }

    /// A literal as written: `3`, `'north'`, `true`.
    public enum Literal: Sendable, Hashable {
        case number(String)  // as written; compared exactly for integers, as Double otherwise
        case string(String)
        case bool(Bool)
    }

    /// One condition: `column op literal`, or `column is [not] null`.
    public enum Condition: Sendable, Hashable {
        case compare(column: String, op: Op, literal: Literal)
        case isNull(column: String, negated: Bool)
    }

    /// The text as written.
    public var text: String
    /// The conditions, all of which a row must meet.
    public var conditions: [Condition]

    /// Every column the filter reads, in order of first use.
    public var columns: [String] {
        var out: [String] = []
        for c in conditions {
            let name: String
            switch c {
            case .compare(let col, _, _): name = col
            case .isNull(let col, _): name = col
            }
            if !out.contains(name) { out.append(name) }
        }
        return out
    }

    public var description: String { text }

    /// Parses the filter; errors (`ExperimentError`, field `source.filter`) name the token and its
    /// position.
    public init(_ text: String) throws {
        self.text = text
        var p = FilterParser(text)
        conditions = try p.parse()
    }

    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(s)
        } catch let e as ExperimentError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: e.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

/// Tokenizer and recursive-descent parser of ``RowFilter``.
struct FilterParser {
    enum Token: Equatable {
        case word(String)       // identifier or keyword
        case quoted(String)     // "column name"
        case string(String)
        case number(String)
        case op(String)
    }

    let text: String
    var tokens: [(Token, Int)] = []  // token, 1-based position
    var i = 0

    init(_ text: String) { self.text = text }

    func fail(_ message: String) -> ExperimentError { ExperimentError(field: "source.filter", message) }

    mutating func tokenize() throws {
        let c = Array(text)
        var p = 0
        while p < c.count {
            let ch = c[p]
            let start = p + 1
            if ch.isWhitespace { p += 1; continue }
            if ch.isLetter || ch == "_" {
                var w = ""
                while p < c.count, c[p].isLetter || c[p].isNumber || c[p] == "_" || c[p] == "." {
                    w.append(c[p]); p += 1
                }
                tokens.append((.word(w), start))
            } else if ch.isNumber || ((ch == "-" || ch == "+" || ch == ".") && p + 1 < c.count && (c[p + 1].isNumber || c[p + 1] == ".")) {
                var w = String(ch)
                p += 1
                while p < c.count, c[p].isNumber || c[p] == "." || c[p] == "e" || c[p] == "E"
                    || ((c[p] == "-" || c[p] == "+") && (c[p - 1] == "e" || c[p - 1] == "E")) {
                    w.append(c[p]); p += 1
                }
                guard Double(w) != nil else { throw fail("bad number '\(w)' at position \(start)") }
                tokens.append((.number(w), start))
            } else if ch == "'" || ch == "\"" {
                var s = ""
                p += 1
                var closed = false
                while p < c.count {
                    if c[p] == ch {
                        if p + 1 < c.count, c[p + 1] == ch { s.append(ch); p += 2; continue }
                        closed = true; p += 1; break
                    }
                    s.append(c[p]); p += 1
                }
                guard closed else { throw fail("unterminated \(ch == "'" ? "string" : "quoted column") starting at position \(start)") }
                tokens.append((ch == "'" ? .string(s) : .quoted(s), start))
            } else if "=!<>".contains(ch) {
                var o = String(ch)
                p += 1
                if p < c.count, "=>".contains(c[p]) { o.append(c[p]); p += 1 }
                guard ["=", "==", "!=", "<>", "<", "<=", ">", ">="].contains(o) else {
                    throw fail("unknown operator '\(o)' at position \(start) (expected = != < <= > >=)")
                }
                tokens.append((.op(o), start))
            } else {
                throw fail("unexpected '\(ch)' at position \(start)")
            }
        }
    }

    static func show(_ t: Token) -> String {
        switch t {
        case .word(let w): w
        case .quoted(let q): "\"\(q)\""
        case .string(let s): "'\(s)'"
        case .number(let n): n
        case .op(let o): o
        }
    }

    var atEnd: Bool { i >= tokens.count }

    func here() -> String {
        atEnd ? "at the end" : "at '\(Self.show(tokens[i].0))' (position \(tokens[i].1))"
    }

    func isKeyword(_ k: String) -> Bool {
        guard !atEnd, case .word(let w) = tokens[i].0 else { return false }
        return w.lowercased() == k
    }

    mutating func parse() throws -> [RowFilter.Condition] {
        try tokenize()
        guard !tokens.isEmpty else { throw fail("empty filter") }
        var out = [try condition()]
        while !atEnd {
            guard isKeyword("and") else {
                if isKeyword("or") { throw fail("'or' is not supported \(here()); only 'and' joins conditions") }
                throw fail("expected 'and' \(here())")
            }
            i += 1
            out.append(try condition())
        }
        return out
    }

    static let keywords: Set<String> = ["and", "or", "is", "not", "null", "true", "false"]

    mutating func condition() throws -> RowFilter.Condition {
        guard !atEnd else { throw fail("expected a column at the end") }
        let column: String
        switch tokens[i].0 {
        case .word(let w) where !Self.keywords.contains(w.lowercased()): column = w
        case .quoted(let q) where !q.isEmpty: column = q
        default: throw fail("expected a column \(here())")
        }
        i += 1
        guard !atEnd else { throw fail("expected an operator or 'is' after '\(column)'") }
        if isKeyword("is") {
            i += 1
            var negated = false
            if isKeyword("not") { negated = true; i += 1 }
            guard isKeyword("null") else { throw fail("expected 'null' \(here())") }
            i += 1
            return .isNull(column: column, negated: negated)
        }
        guard case .op(let o) = tokens[i].0 else { throw fail("expected an operator (= != < <= > >=) or 'is' \(here())") }
        i += 1
        let op: RowFilter.Op = switch o {
        case "=", "==": .eq
        case "!=", "<>": .ne
        case "<": .lt
        case "<=": .le
        case ">": .gt
        default: .ge
        }
        guard !atEnd else { throw fail("expected a value after '\(column) \(o)'") }
        let literal: RowFilter.Literal
        switch tokens[i].0 {
        case .number(let n): literal = .number(n)
        case .string(let s): literal = .string(s)
        case .word(let w) where w.lowercased() == "true": literal = .bool(true)
        case .word(let w) where w.lowercased() == "false": literal = .bool(false)
        case .word(let w) where w.lowercased() == "null":
            throw fail("compare with null using 'is null' or 'is not null' (at position \(tokens[i].1))")
        default: throw fail("expected a value (number, 'text', true, false) \(here())")
        }
        i += 1
        return .compare(column: column, op: op, literal: literal)
    }
}
