/// A single-pass JSON parser over request bytes (RFC 8259, strict): no Foundation on the scoring
/// hot path. Hostile input cannot crash it or exhaust the stack: nesting deeper than
/// ``maxDepth`` is refused, strings must be valid UTF-8 without raw control characters, numbers
/// that overflow a `Double` are refused, and a repeated object key (compared as Swift strings) is
/// an error (the document would be ambiguous). Every failure is a ``JSONSyntaxError`` naming the
/// byte offset and, inside a top-level object, the member whose key or value is at fault. The one
/// JSON reader of the package: JSON rows (``FeatureValue/row(json:)``) and the scoring server's
/// request bodies both go through it.
///
/// ```swift
/// let v = try JSONParser.parse(Array(#"{"dataframe_records": [{"x": 1}]}"#.utf8))
/// ```
package struct JSONParser {
    /// Deepest nesting of arrays and objects accepted (the scoring formats need 4; OIP nested data a few more).
    package static let maxDepth = 64

    /// Parses one JSON document (surrounding whitespace allowed, nothing after it).
    package static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var result: Result<JSONValue, JSONSyntaxError> = .failure(JSONSyntaxError(offset: 0, message: "empty input", key: nil, isEmpty: true))
        bytes.withUnsafeBufferPointer { buffer in result = parse(buffer) }
        return try result.get()
    }

    /// ``parse(_:)`` over bytes in place (no copy).
    package static func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONSyntaxError> {
        var p = JSONParser(buffer)
        do throws(JSONSyntaxError) {
            return .success(try p.document())
        } catch {
            return .failure(error)
        }
    }

    private let b: UnsafeBufferPointer<UInt8>
    private var p = 0
    private var depth = 0
    /// The key of the top-level object member being read (its `:` or value), for error messages.
    private var memberKey: String?

    private init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    private func fail(_ message: String, key: String? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: p, message: message, key: key ?? memberKey, isEmpty: false)
    }

    private mutating func skipSpace() {
        while p < b.count {
            let c = b[p]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            p += 1
        }
    }

    private mutating func document() throws(JSONSyntaxError) -> JSONValue {
        skipSpace()
        guard p < b.count else { throw JSONSyntaxError(offset: p, message: "empty input", key: nil, isEmpty: true) }
        let v = try value()
        skipSpace()
        guard p == b.count else { throw fail("unexpected characters after the JSON value") }
        return v
    }

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        skipSpace()
        guard p < b.count else { throw fail("unexpected end of input (truncated body?)") }
        switch b[p] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character '\(Self.printable(b[p]))'")
        }
    }

    private static func printable(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? String(UnicodeScalar(c)) : "\\x" + String(c, radix: 16)
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        guard p + n <= b.count else { throw fail("invalid literal (truncated body?)") }
        let start = word.utf8Start
        for k in 0 ..< n where b[p + k] != start[k] { throw fail("invalid literal") }
        p += n
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth) levels") }
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        p += 1
        var out: [JSONValue] = []
        skipSpace()
        if p < b.count, b[p] == UInt8(ascii: "]") {
            p += 1
            depth -= 1
            return .array(out)
        }
        while true {
            out.append(try value())
            skipSpace()
            guard p < b.count else { throw fail("unterminated array (truncated body?)") }
            if b[p] == UInt8(ascii: ",") { p += 1; continue }
            if b[p] == UInt8(ascii: "]") { p += 1; break }
            throw fail("expected ',' or ']' in an array")
        }
        depth -= 1
        return .array(out)
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        p += 1
        var out: [JSONMember] = []
        skipSpace()
        if p < b.count, b[p] == UInt8(ascii: "}") {
            p += 1
            depth -= 1
            return .object(out)
        }
        var keys: Set<String>?  // built once an object grows past a linear scan's worth
        while true {
            skipSpace()
            guard p < b.count else { throw fail("unterminated object (truncated body?)") }
            guard b[p] == UInt8(ascii: "\"") else { throw fail("expected a string key in an object") }
            let key = try string()
            if depth == 1 { memberKey = key }
            skipSpace()
            guard p < b.count, b[p] == UInt8(ascii: ":") else { throw fail("expected ':' after the key \"\(key)\"") }
            p += 1
            let v = try value()
            // Keys compare as Swift strings (canonical equivalence), as the rows' dictionaries will.
            if out.count < 16 {
                for m in out where m.key == key { throw fail("the key \"\(key)\" is given twice", key: key) }
            } else {
                if keys == nil { keys = Set(out.map(\.key)) }
                if keys?.insert(key).inserted == false { throw fail("the key \"\(key)\" is given twice", key: key) }
            }
            if depth == 1 { memberKey = nil }
            out.append(JSONMember(key: key, value: v))
            skipSpace()
            guard p < b.count else { throw fail("unterminated object (truncated body?)") }
            if b[p] == UInt8(ascii: ",") { p += 1; continue }
            if b[p] == UInt8(ascii: "}") { p += 1; break }
            throw fail("expected ',' or '}' in an object")
        }
        depth -= 1
        return .object(out)
    }

    // MARK: Numbers

    private static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    private mutating func digits() -> Int {
        let s = p
        while p < b.count, b[p] &- 0x30 < 10 { p += 1 }
        return p - s
    }

    /// A number token. Integers that fit Int64 stay exact; decimals with at most 15 significant
    /// digits and a small exponent take Clinger's exact fast path; everything else goes through
    /// the standard library's correctly rounded conversion.
    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = p
        let negative = b[p] == UInt8(ascii: "-")
        if negative { p += 1 }
        let intStart = p
        let intDigits = digits()
        guard intDigits > 0 else { throw fail("invalid number") }
        guard !(intDigits > 1 && b[intStart] == UInt8(ascii: "0")) else { throw fail("invalid number (leading zero)") }
        var fracStart = p, fracDigits = 0
        if p < b.count, b[p] == UInt8(ascii: ".") {
            p += 1
            fracStart = p
            fracDigits = digits()
            guard fracDigits > 0 else { throw fail("invalid number (no digits after '.')") }
        }
        var exponent = 0, hasExponent = false
        if p < b.count, b[p] == UInt8(ascii: "e") || b[p] == UInt8(ascii: "E") {
            hasExponent = true
            p += 1
            var expNegative = false
            if p < b.count, b[p] == UInt8(ascii: "+") || b[p] == UInt8(ascii: "-") {
                expNegative = b[p] == UInt8(ascii: "-")
                p += 1
            }
            let es = p
            guard digits() > 0 else { throw fail("invalid number (no digits in the exponent)") }
            for k in es ..< p where exponent < 100_000 { exponent = exponent * 10 + Int(b[k] - 0x30) }
            if expNegative { exponent = -exponent }
        }
        // Integers.
        if fracDigits == 0, !hasExponent, intDigits <= 19 {
            var v: Int64 = 0
            var overflow = false
            for k in intStart ..< intStart + intDigits {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.subtractingReportingOverflow(Int64(b[k] - 0x30))  // accumulate negatively: Int64.min fits
                v = a
                if o1 || o2 { overflow = true; break }
            }
            if !overflow {
                if negative { return .int(v) }
                if v != Int64.min { return .int(-v) }
            }
        }
        // Clinger's fast path: mantissa below 2^53, |power of ten| <= 22: one exact operation.
        let significant = intDigits + fracDigits
        if significant <= 15 {
            var m: Int64 = 0
            for k in intStart ..< intStart + intDigits { m = m * 10 + Int64(b[k] - 0x30) }
            for k in fracStart ..< fracStart + fracDigits { m = m * 10 + Int64(b[k] - 0x30) }
            let e = exponent - fracDigits
            if e >= -22, e <= 22 {
                var d = Double(m)
                d = e >= 0 ? d * Self.exactPowers[e] : d / Self.exactPowers[-e]
                return .double(negative ? -d : d)
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start ..< p]), as: UTF8.self)
        guard let d = Double(text), d.isFinite else { throw fail("number \(text.prefix(40)) is out of range") }
        return .double(d)
    }

    // MARK: Strings

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard p + 4 <= b.count else { throw fail("bad \\u escape") }
        var v: UInt32 = 0
        for _ in 0 ..< 4 {
            let c = b[p]
            let d: UInt8
            switch c {
            case 0x30 ... 0x39: d = c - 0x30
            case 0x41 ... 0x46: d = c - 0x41 + 10
            case 0x61 ... 0x66: d = c - 0x61 + 10
            default: throw fail("bad \\u escape")
            }
            v = v << 4 | UInt32(d)
            p += 1
        }
        return v
    }

    /// A string starting at its opening quote.
    private mutating func string() throws(JSONSyntaxError) -> String {
        p += 1
        let start = p
        var ascii = true
        while p < b.count {
            let c = b[p]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
            if c >= 0x80 { ascii = false }
            p += 1
        }
        guard p < b.count else { throw fail("unterminated string (truncated body?)") }
        if b[p] == UInt8(ascii: "\"") {
            let raw = UnsafeBufferPointer(rebasing: b[start ..< p])
            p += 1
            if ascii { return String(decoding: raw, as: UTF8.self) }
            guard let s = String(validating: raw, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
            return s
        }
        var bytes = Array(b[start ..< p])
        while true {
            guard p < b.count else { throw fail("unterminated string (truncated body?)") }
            let c = b[p]
            p += 1
            switch c {
            case UInt8(ascii: "\""):
                guard let s = String(validating: bytes, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
                return s
            case UInt8(ascii: "\\"):
                guard p < b.count else { throw fail("unterminated string (truncated body?)") }
                let e = b[p]
                p += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(e)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800, scalar < 0xDC00 {
                        guard p + 2 <= b.count, b[p] == UInt8(ascii: "\\"), b[p + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired surrogate in a \\u escape")
                        }
                        p += 2
                        let low = try hex4()
                        guard low >= 0xDC00, low < 0xE000 else { throw fail("unpaired surrogate in a \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("unpaired surrogate in a \\u escape") }
                    bytes.append(contentsOf: String(u).utf8)
                default: throw fail("bad escape '\\\(Self.printable(e))' in a string")
                }
            default:
                guard c >= 0x20 else { throw fail("raw control character in a string") }
                bytes.append(c)
            }
        }
    }
}

/// Why ``JSONParser`` refused a document: the byte offset, what is wrong, and the top-level object
/// member being read when it failed (nil between members or outside an object).
///
/// ```swift
/// do { _ = try JSONParser.parse(Array(#"{"a": 01}"#.utf8)) }
/// catch { print(error.key ?? "-", error.offset, error.message) }   // a 7 invalid number (leading zero)
/// ```
package struct JSONSyntaxError: Error, Sendable, Hashable {
    package var offset: Int
    package var message: String
    package var key: String?
    /// The input holds nothing but whitespace.
    package var isEmpty: Bool
}
