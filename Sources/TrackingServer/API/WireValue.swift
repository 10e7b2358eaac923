import Foundation

/// A JSON value as MLflow's REST protocol carries it: integers kept exact as `Int64` (timestamps,
/// steps), doubles apart, objects as key-value pairs (a response keeps the order it is built in;
/// a decoded body's key order is not the document's). Request bodies are
/// decoded into it; responses are built from it and written by ``WireValue/bytes()``.
///
/// ```swift
/// let v = try WireValue.parse(Array(#"{"key": "loss", "value": "NaN", "step": 3}"#.utf8))
/// WireValue.object([("experiment_id", .string("1"))]).bytes()   // {"experiment_id":"1"}
/// ```
public indirect enum WireValue: Sendable, Decodable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([WireValue])
    case object([(String, WireValue)])

    /// Parses a request body; anything that is not JSON (bad syntax, invalid UTF-8, control
    /// characters written raw in strings, invalid escapes, malformed numbers, bare `NaN`, nesting deeper than the
    /// decoder's limit) is 400 `INVALID_PARAMETER_VALUE`, the code MLflow's server answers for an
    /// undecodable body.
    public static func parse(_ bytes: [UInt8]) throws -> WireValue {
        // Foundation's decoder lets some invalid UTF-8 through inside strings; JSON text is UTF-8.
        if String(validating: bytes, as: UTF8.self) == nil {
            throw MLflowAPIError.invalid("Malformed request body: the body is not valid UTF-8")
        }
        if let defect = lexicalDefect(bytes) {
            throw MLflowAPIError.invalid("Malformed request body: the body is not valid JSON (\(defect.what) at byte \(defect.offset))")
        }
        do {
            return try JSONDecoder().decode(WireValue.self, from: Data(bytes))
        } catch {
            throw MLflowAPIError.invalid("Malformed request body: the body is not valid JSON (\(Self.reason(error)))")
        }
    }

    /// The offset and kind of the first lexical defect Foundation's decoder lets through and JSON
    /// (and Python's `json`, MLflow's parser) refuses: a control character (below U+0020) written raw
    /// inside a string, an escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`, a lone UTF-16
    /// surrogate in `\u` escapes (Foundation's decoder accepts some), or a number
    /// JSON's grammar does not allow (`007`, `1.`, `170000+000000`) or a double cannot hold (`1e999`).
    static func lexicalDefect(_ bytes: [UInt8]) -> (offset: Int, what: String)? {
        let escapes = Set("\"\\/bfnrtu".utf8)
        var inString = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if !inString {
                if b == UInt8(ascii: "\"") {
                    inString = true
                } else if Self.isNumberStart(bytes, i) {
                    // A number, exactly as JSON spells one (no `007`, `1.`, `1e`, `1+2`).
                    guard let end = Self.numberEnd(bytes, i),
                          end == bytes.count || !Self.isNumberByte(bytes[end]) else { return (i, "malformed number") }
                    // Beyond a double's range (`1e999`): refused, whatever the decoder would make of it.
                    if let d = Double(String(decoding: bytes[i ..< end], as: UTF8.self)), !d.isFinite {
                        return (i, "number out of range")
                    }
                    i = end
                    continue
                }
            } else if b == UInt8(ascii: "\"") {
                inString = false
            } else if b < 0x20 {
                return (i, "unescaped control character")
            } else if b == UInt8(ascii: "\\") {
                guard i + 1 < bytes.count, escapes.contains(bytes[i + 1]) else { return (i, "invalid escape") }
                if bytes[i + 1] == UInt8(ascii: "u") {
                    guard let unit = Self.hexUnit(bytes, i + 2) else { return (i, "invalid \\u escape") }
                    i += 5
                    if (0xDC00 ... 0xDFFF).contains(unit) { return (i - 5, "lone surrogate in a \\u escape") }
                    if (0xD800 ... 0xDBFF).contains(unit) {
                        // A high surrogate must be followed by a low one: `\ud83d\ude00`.
                        guard i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u"),
                              let low = Self.hexUnit(bytes, i + 3), (0xDC00 ... 0xDFFF).contains(low) else {
                            return (i - 5, "lone surrogate in a \\u escape")
                        }
                        i += 6
                    }
                } else {
                    i += 1
                }
            }
            i += 1
        }
        return nil
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The UTF-16 unit of the 4 hex digits at `at`, nil when they are not 4 hex digits.
    static func hexUnit(_ bytes: [UInt8], _ at: Int) -> UInt16? {
        guard at + 4 <= bytes.count else { return nil }
        var v: UInt16 = 0
        for b in bytes[at ..< at + 4] {
            let d: UInt16
            switch b {
            case 0x30 ... 0x39: d = UInt16(b - 0x30)
            case 0x61 ... 0x66: d = UInt16(b - 0x61 + 10)
            case 0x41 ... 0x46: d = UInt16(b - 0x41 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    static func isNumberByte(_ b: UInt8) -> Bool {
        isDigit(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
            || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
    }

    /// The end of the JSON number at `i` (`-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`), nil
    /// when it is not one.
    static func numberEnd(_ bytes: [UInt8], _ start: Int) -> Int? {
        var i = start
        let n = bytes.count
        if i < n, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n, isDigit(bytes[i]) else { return nil }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < n, isDigit(bytes[i]) { i += 1 }
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n, isDigit(bytes[i]) else { return nil }
            while i < n, isDigit(bytes[i]) { i += 1 }
        }
        if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < n, isDigit(bytes[i]) else { return nil }
            while i < n, isDigit(bytes[i]) { i += 1 }
        }
        return i
    }

    /// Whether a number token starts at `i` (a digit or `-` not inside another number or word).
    static func isNumberStart(_ bytes: [UInt8], _ i: Int) -> Bool {
        let b = bytes[i]
        guard b == UInt8(ascii: "-") || (0x30 ... 0x39).contains(b) else { return false }
        guard i > 0 else { return true }
        let p = bytes[i - 1]
        let inToken = (0x30 ... 0x39).contains(p) || (p | 0x20 >= 0x61 && p | 0x20 <= 0x7A) || p == UInt8(ascii: ".")
            || p == UInt8(ascii: "+") || p == UInt8(ascii: "-")
        return !inToken
    }

    private static func reason(_ error: Error) -> String {
        if case let DecodingError.dataCorrupted(c) = error { return c.debugDescription }
        return "\(error)"
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            self = .object(try keyed.allKeys.map { ($0.stringValue, try keyed.decode(WireValue.self, forKey: $0)) })
            return
        }
        if var list = try? decoder.unkeyedContainer() {
            var out: [WireValue] = []
            while !list.isAtEnd { out.append(try list.decode(WireValue.self)) }
            self = .array(out)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else { self = .string(try c.decode(String.self)) }
    }

    /// The fields of an object (nil for any other value).
    public var fields: [String: WireValue]? {
        guard case let .object(pairs) = self else { return nil }
        var out: [String: WireValue] = [:]
        for (k, v) in pairs { out[k] = v }
        return out
    }

    /// Compact JSON text: non-finite doubles as `"NaN"`, `"Infinity"`, `"-Infinity"` (protobuf's
    /// JSON spelling, which the client parses back), no `null` unless the value says so.
    public func bytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return out
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case let .bool(b): out += Array((b ? "true" : "false").utf8)
        case let .int(i): out += Array(String(i).utf8)
        case let .double(d):
            if d.isNaN { Self.writeString("NaN", into: &out) }
            else if d == .infinity { Self.writeString("Infinity", into: &out) }
            else if d == -.infinity { Self.writeString("-Infinity", into: &out) }
            else { out += Array("\(d)".utf8) }   // Swift's shortest round-trip text; valid JSON for finite values
        case let .string(s): Self.writeString(s, into: &out)
        case let .array(items):
            out.append(UInt8(ascii: "["))
            for (i, v) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(pairs):
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(k, into: &out)
                out.append(UInt8(ascii: ":"))
                v.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0 ..< 0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
