/// Splits an MLflow search filter or order-by string into `FilterToken`s.
///
/// Strings are quoted with `'` or `"`; inside them a doubled quote (`''`) or a backslash pair
/// (`\'`) does not end the string and is kept verbatim, as MLflow's parser keeps it. Keys with
/// dots, spaces or dashes are quoted with backticks or double quotes after the entity:
/// ``tags.`mlflow.source.type` ``.
///
/// ```swift
/// let tokens = try FilterTokenizer.tokenize("params.l2 = '1.0' AND tags.`a b` LIKE 'x%'")
/// ```
public enum FilterTokenizer {
    /// Tokenizes `input`; throws `TrackingError(.invalidParameterValue)` naming the character and
    /// its position on anything that is not a token.
    public static func tokenize(_ input: String) throws -> [FilterToken] {
        let chars = Array(input)
        var tokens: [FilterToken] = []
        var i = 0
        func error(_ message: String) -> TrackingError {
            TrackingError(.invalidParameterValue, "Invalid filter '\(input)': \(message)")
        }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            let start = i
            switch c {
            case "(":
                tokens.append(FilterToken(kind: .leftParen, text: "(", position: i)); i += 1
            case ")":
                tokens.append(FilterToken(kind: .rightParen, text: ")", position: i)); i += 1
            case ",":
                tokens.append(FilterToken(kind: .comma, text: ",", position: i)); i += 1
            case "=", "!", "<", ">":
                var op = String(c)
                if i + 1 < chars.count, chars[i + 1] == "=" || (c == "<" && chars[i + 1] == ">") {
                    op.append(chars[i + 1])
                }
                if op == "!" {
                    throw error("unexpected character '!' at position \(i) (did you mean '!='?)")
                }
                i += op.count
                tokens.append(FilterToken(kind: .comparison(op), text: op, position: start))
            case "'", "\"":
                let text = try readQuoted(chars, &i, quote: c, input: input)
                tokens.append(FilterToken(kind: .string(text, quote: c), text: String(chars[start..<i]), position: start))
            case _ where c == "`" || isWordStart(c):
                let segments = try readIdentifier(chars, &i, input: input)
                tokens.append(FilterToken(
                    kind: .identifier(segments: segments.parts, quoted: segments.quoted),
                    text: String(chars[start..<i]), position: start))
            case "-", ".", "0"..."9":
                guard let (value, isInteger) = readNumber(chars, &i) else {
                    throw error("unexpected character '\(c)' at position \(start)")
                }
                if i < chars.count, isWordStart(chars[i]) || chars[i] == "." {
                    throw error("malformed number '\(String(chars[start...i]))' at position \(start)")
                }
                tokens.append(FilterToken(kind: .number(value, isInteger: isInteger), text: String(chars[start..<i]), position: start))
            default:
                throw error("unexpected character '\(c)' at position \(i)")
            }
        }
        return tokens
    }

    static func isWordStart(_ c: Character) -> Bool { c == "_" || c.isLetter }
    static func isWordChar(_ c: Character) -> Bool { c == "_" || c.isLetter || c.isNumber }

    /// Reads a quoted run starting at `chars[i]` (the opening quote); returns the inner text verbatim.
    static func readQuoted(_ chars: [Character], _ i: inout Int, quote: Character, input: String) throws -> String {
        let start = i
        i += 1
        var text = ""
        while i < chars.count {
            let c = chars[i]
            if c == "\\" && quote != "`" && i + 1 < chars.count {
                text.append(c); text.append(chars[i + 1]); i += 2; continue
            }
            if c == quote {
                if i + 1 < chars.count && chars[i + 1] == quote {
                    text.append(c); text.append(c); i += 2; continue
                }
                i += 1
                return text
            }
            text.append(c)
            i += 1
        }
        throw TrackingError(.invalidParameterValue,
            "Invalid filter '\(input)': unterminated quoted text \(String(chars[start..<min(chars.count, start + 20)])) starting at position \(start)")
    }

    /// Reads `entity.key` where the entity is a word or backticked, and the key is everything up
    /// to the next whitespace/operator: dotted bare words, or one quoted segment.
    static func readIdentifier(_ chars: [Character], _ i: inout Int, input: String) throws -> (parts: [String], quoted: Bool) {
        var quoted = false
        func segment(allowQuotes: Bool) throws -> String {
            let c = chars[i]
            if c == "`" || (allowQuotes && (c == "\"" || c == "'")) {
                quoted = true
                let text = try readQuoted(chars, &i, quote: c, input: input)
                return text
            }
            var s = ""
            while i < chars.count, isWordChar(chars[i]) { s.append(chars[i]); i += 1 }
            return s
        }
        let entity = try segment(allowQuotes: false)
        guard i < chars.count, chars[i] == ".", i + 1 < chars.count else { return ([entity], quoted) }
        i += 1
        let next = chars[i]
        if next == "`" || next == "\"" || next == "'" {
            let key = try segment(allowQuotes: true)
            return ([entity, key], quoted)
        }
        guard isWordChar(next) else {
            throw TrackingError(.invalidParameterValue,
                "Invalid filter '\(input)': expected a key after '\(entity).' at position \(i)")
        }
        var key = try segment(allowQuotes: false)
        while i + 1 < chars.count, chars[i] == ".", isWordChar(chars[i + 1]) {
            i += 1
            key += "." + (try segment(allowQuotes: false))
        }
        return ([entity, key], quoted)
    }

    /// `-?(digits[.digits*] | .digits)([eE][+-]?digits)?`; nil (and `i` unchanged) if none.
    static func readNumber(_ chars: [Character], _ i: inout Int) -> (Double, Bool)? {
        var j = i
        var text = ""
        if j < chars.count, chars[j] == "-" { text.append("-"); j += 1 }
        var digits = 0
        var isInteger = true
        while j < chars.count, chars[j].isASCII, chars[j].isNumber { text.append(chars[j]); j += 1; digits += 1 }
        if j < chars.count, chars[j] == "." {
            isInteger = false
            text.append("."); j += 1
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { text.append(chars[j]); j += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if j < chars.count, chars[j] == "e" || chars[j] == "E" {
            var k = j + 1
            var exp = "e"
            if k < chars.count, chars[k] == "+" || chars[k] == "-" { exp.append(chars[k]); k += 1 }
            var expDigits = 0
            while k < chars.count, chars[k].isASCII, chars[k].isNumber { exp.append(chars[k]); k += 1; expDigits += 1 }
            if expDigits > 0 { text += exp; j = k; isInteger = false }
        }
        guard let value = Double(text) else { return nil }
        i = j
        return (value, isInteger)
    }
}
