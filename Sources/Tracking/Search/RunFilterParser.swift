/// Recursive-descent parser for MLflow's run filter grammar:
///
/// ```
/// filter     := "" | clause ( AND clause )*
/// clause     := identifier comparator value | identifier IS [NOT] NULL | identifier [NOT] IN list
/// identifier := [entity "."] key           (no entity: an attribute)
/// value      := 'string' | "string" | number
/// list       := "(" string ( "," string )* [","] ")"
/// ```
///
/// ```swift
/// let filter = try RunFilterParser.parse("tags.team = 'growth' AND attributes.status = 'FINISHED'")
/// ```
public enum RunFilterParser {
    public static func parse(_ input: String, grammar: SearchGrammar = .runs) throws -> RunFilter {
        let tokens = try FilterTokenizer.tokenize(input)
        var parser = Cursor(tokens: tokens, input: input, grammar: grammar)
        var clauses: [RunFilterClause] = []
        if tokens.isEmpty { return RunFilter() }
        while true {
            clauses.append(try parser.clause())
            guard let next = parser.peek() else { break }
            guard next.keyword == "AND" else {
                throw parser.invalidClause(next)
            }
            parser.index += 1
            if parser.peek() == nil {
                throw TrackingError(.invalidParameterValue,
                    "Invalid filter '\(input)': 'AND' at position \(next.position) is not followed by a clause")
            }
        }
        return RunFilter(clauses: clauses)
    }

    struct Cursor {
        var tokens: [FilterToken]
        var input: String
        var grammar: SearchGrammar
        var index = 0

        func peek() -> FilterToken? { index < tokens.count ? tokens[index] : nil }

        mutating func next(expecting what: String) throws -> FilterToken {
            guard let t = peek() else {
                throw TrackingError(.invalidParameterValue,
                    "Invalid comparison clause in filter '\(input)': expected \(what) at the end of the filter")
            }
            index += 1
            return t
        }

        func error(_ message: String, _ token: FilterToken) -> TrackingError {
            TrackingError(.invalidParameterValue, "\(message) (at position \(token.position) in filter '\(input)')")
        }

        func invalidClause(_ token: FilterToken) -> TrackingError {
            let hint: String
            switch token.keyword {
            case "OR": hint = "; MLflow filters join clauses with AND only, OR is not supported"
            default:
                hint = token.kind == .leftParen ? "; parentheses are not supported" : "; clauses are joined by AND"
            }
            return error("Invalid clause(s) in filter string: '\(token.text)'\(hint)", token)
        }

        mutating func clause() throws -> RunFilterClause {
            let first = try next(expecting: "an identifier")
            guard case .identifier(let segments, _) = first.kind, first.keyword.map({ ["AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE"].contains($0) }) != true else {
                throw invalidClause(first)
            }
            let (entity, rawKey) = try identifier(segments, first)
            let compToken = try next(expecting: "a comparator after '\(first.text)'")
            let comparator = try self.comparator(compToken)
            let value: FilterValue
            var bareWord: String?
            switch comparator {
            case .isNull, .isNotNull:
                value = .none
            case .in, .notIn:
                value = .list(try list(after: compToken))
            default:
                (value, bareWord) = try scalar(after: compToken)
            }
            let valueToken = tokens[index - 1]
            return try validate(entity: entity, rawKey: rawKey, comparator: comparator, value: value,
                                bareWord: bareWord, at: first, compToken, valueToken)
        }

        func identifier(_ segments: [String], _ token: FilterToken) throws -> (SearchEntity, String) {
            if segments.count == 1 { return (.attribute, segments[0]) }
            guard let entity = grammar.entitySpellings[segments[0]] else {
                throw error("Invalid entity type '\(segments[0])'. Valid values are \(grammar.validEntityNames)", token)
            }
            return (entity, segments[1])
        }

        mutating func comparator(_ t: FilterToken) throws -> FilterComparator {
            if case .comparison(let op) = t.kind {
                guard let c = FilterComparator(rawValue: op) else {
                    throw error("Invalid comparator '\(op)'; use one of =, !=, >, >=, <, <=", t)
                }
                return c
            }
            switch t.keyword {
            case "LIKE": return .like
            case "ILIKE": return .ilike
            case "IN": return .in
            case "NOT":
                let n = try next(expecting: "IN after NOT")
                guard n.keyword == "IN" else { throw error("Invalid comparison clause. Expected IN after NOT, found '\(n.text)'", n) }
                return .notIn
            case "IS":
                let n = try next(expecting: "NULL or NOT NULL after IS")
                if n.keyword == "NULL" { return .isNull }
                if n.keyword == "NOT" {
                    let m = try next(expecting: "NULL after IS NOT")
                    if m.keyword == "NULL" { return .isNotNull }
                    throw error("Invalid comparison clause. Expected NULL after IS NOT, found '\(m.text)'", m)
                }
                throw error("Invalid comparison clause. Expected NULL or NOT NULL after IS, found '\(n.text)'", n)
            default:
                throw error("Invalid comparison clause. Expected comparison found '\(t.text)'", t)
            }
        }

        /// The value, or `.none` and the text of a bare word / backticked name written where a
        /// value belongs (validate() names it in its error).
        mutating func scalar(after comp: FilterToken) throws -> (FilterValue, String?) {
            let t = try next(expecting: "a value after '\(comp.text)'")
            switch t.kind {
            case .string(let s, _): return (.string(s), nil)
            case .number(let d, _): return (.number(d), nil)
            case .identifier:
                return (.none, t.text)
            default:
                throw error("Invalid comparison clause. Expected value token found '\(t.text)'", t)
            }
        }

        mutating func list(after comp: FilterToken) throws -> [String] {
            let open = try next(expecting: "a parenthesised list after '\(comp.text)'")
            guard open.kind == .leftParen else {
                throw error("Invalid comparison clause. Expected a parenthesised list of quoted strings after \(comp.text.uppercased()), found '\(open.text)'", open)
            }
            var items: [String] = []
            while true {
                let t = try next(expecting: "a quoted string or ')' in the list")
                switch t.kind {
                case .rightParen:
                    if items.isEmpty {
                        throw error("While parsing a list in the query, expected a non-empty list of string values, but got empty list", t)
                    }
                    return items
                case .string(let s, _):
                    items.append(s)
                    let sep = try next(expecting: "',' or ')' in the list")
                    if sep.kind == .rightParen { return items }
                    guard sep.kind == .comma else {
                        throw error("While parsing a list in the query, expected ',' or ')', found '\(sep.text)'", sep)
                    }
                default:
                    throw error("While parsing a list in the query, expected string value, punctuation, or whitespace, but got '\(t.text)'", t)
                }
            }
        }

        func validate(entity: SearchEntity, rawKey: String, comparator: FilterComparator, value: FilterValue,
                      bareWord: String?, at token: FilterToken, _ compToken: FilterToken,
                      _ valueToken: FilterToken) throws -> RunFilterClause {
            func allowed(_ list: [FilterComparator]) -> String { "{" + list.map { "'\($0.rawValue)'" }.joined(separator: ", ") + "}" }
            func badValue(_ v: FilterValue) -> String {
                if let bareWord { return bareWord }
                if case .number = v { return valueToken.text }
                if case .string(let s) = v { return "'\(s)'" }
                return v.description
            }
            var value = value
            if grammar.bareNumbersAsText, case .number = value, entity == .parameter || entity == .tag
                || (entity == .attribute && grammar.attributes[rawKey]?.numeric == false) {
                value = .string(valueToken.text)
            }
            let isString: Bool = { if case .string = value { return true }; return false }()
            let isList: Bool = { if case .list = value { return true }; return false }()
            let isNone: Bool = { if case .none = value { return bareWord == nil }; return false }()
            switch entity {
            case .metric:
                guard FilterComparator.numeric.contains(comparator) else {
                    if comparator == .isNull || comparator == .isNotNull {
                        throw error("IS NULL / IS NOT NULL is only supported for tags and params, not for 'metric' '\(rawKey)'", compToken)
                    }
                    throw error("Invalid comparator '\(comparator.rawValue)' not one of \(allowed(FilterComparator.numeric)) for metric '\(rawKey)'", compToken)
                }
                guard case .number = value else {
                    throw error("Expected numeric value type for metric. Found \(badValue(value))", valueToken)
                }
                return RunFilterClause(entity: .metric, key: rawKey, comparator: comparator, value: value)
            case .parameter, .tag:
                let comparators = entity == .tag ? grammar.tagComparators : grammar.paramComparators
                guard comparators.contains(comparator) else {
                    if comparator == .isNull || comparator == .isNotNull {
                        throw error("IS NULL / IS NOT NULL is not supported for tags of a \(grammar.subject)", compToken)
                    }
                    if comparator == .in || comparator == .notIn {
                        throw error("Only \(grammar.listKeys) attributes support comparison with a list of quoted string values.", compToken)
                    }
                    throw error("Invalid comparator '\(comparator.rawValue)' not one of \(allowed(comparators)) for \(entity.rawValue) '\(rawKey)'", compToken)
                }
                guard isNone || isString || (isList && (comparator == .in || comparator == .notIn)) else {
                    throw error("Expected a quoted string value for \(entity.rawValue) (e.g. 'my-value'). Got value \(badValue(value))", valueToken)
                }
                return RunFilterClause(entity: entity, key: rawKey, comparator: comparator, value: value)
            case .attribute:
                guard let attribute = grammar.attributes[rawKey] else {
                    throw error("Invalid attribute key '\(rawKey)' specified. Valid keys are \(grammar.attributeKeys)", token)
                }
                if comparator == .isNull || comparator == .isNotNull {
                    throw error("IS NULL / IS NOT NULL is only supported for tags and params, not for 'attribute' '\(rawKey)'", compToken)
                }
                if attribute.numeric {
                    guard FilterComparator.numeric.contains(comparator) else {
                        throw error("Invalid comparator '\(comparator.rawValue)' not one of \(allowed(FilterComparator.numeric)) for numeric attribute '\(rawKey)'", compToken)
                    }
                    switch value {
                    case .number: break
                    case .string(let s) where attribute.acceptsQuotedNumber:
                        guard let d = Double(s), d.isFinite else {
                            throw error("Expected a number for numeric attribute: \(rawKey). Found \(badValue(value))", valueToken)
                        }
                        return RunFilterClause(entity: .attribute, key: attribute.canonical, comparator: comparator, value: .number(d))
                    default:
                        throw error("Expected numeric value type for numeric attribute: \(rawKey). Found \(badValue(value))", valueToken)
                    }
                } else {
                    guard FilterComparator.stringAttribute.contains(comparator) else {
                        throw error("Invalid comparator '\(comparator.rawValue)' not one of \(allowed(FilterComparator.stringAttribute)) for attribute '\(rawKey)'", compToken)
                    }
                    if comparator == .in || comparator == .notIn {
                        guard attribute.allowsList else {
                            throw error("Only \(grammar.listKeys) attributes support comparison with a list of quoted string values.", compToken)
                        }
                    } else if !isString {
                        throw error("Expected a quoted string value for attributes. Got value \(badValue(value))", valueToken)
                    }
                }
                return RunFilterClause(entity: .attribute, key: attribute.canonical, comparator: comparator, value: value)
            case .dataset:
                guard let field = DatasetField(rawValue: rawKey) else {
                    throw error("Invalid dataset key '\(rawKey)' specified. Valid keys are ['name', 'digest', 'context']", token)
                }
                guard FilterComparator.stringAttribute.contains(comparator) else {
                    throw error("Invalid comparator '\(comparator.rawValue)' not one of \(allowed(FilterComparator.stringAttribute)) for dataset '\(rawKey)'", compToken)
                }
                guard isList || isString else {
                    throw error("Expected a quoted string value for dataset attributes. Got value \(badValue(value))", valueToken)
                }
                return RunFilterClause(entity: .dataset, key: field.rawValue, comparator: comparator, value: value)
            }
        }
    }
}
