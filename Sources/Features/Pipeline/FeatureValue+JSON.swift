import Foundation

extension FeatureValue {
    /// Parses one JSON object of scalars (`{"tenure_months": 12, "region": null, …}`) into a row.
    /// A nested value, a repeated key or malformed JSON is a ``FeatureError`` naming the key (or
    /// `row` when no key is to blame). A single-pass parser: a scoring request pays microseconds,
    /// not a general JSON decoder's cost.
    public static func row(json: Data) throws -> [String: FeatureValue] {
        try json.withUnsafeBytes { raw in
            var p = JSONRowParser(raw.bindMemory(to: UInt8.self))
            return try p.object()
        }
    }
}

private struct JSONRowParser {
    let b: UnsafeBufferPointer<UInt8>
    var p = 0
    static let nullWord = Array("null".utf8), trueWord = Array("true".utf8), falseWord = Array("false".utf8)

    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    func fail(_ key: String?, _ message: String) -> FeatureError {
        FeatureError(column: key ?? "row", "\(message) (JSON offset \(p))")
    }

    mutating func skipSpace() {
        while p < b.count, b[p] == 0x20 || b[p] == 0x0A || b[p] == 0x0D || b[p] == 0x09 { p += 1 }
    }

    mutating func expect(_ c: UInt8, _ key: String?, _ what: String) throws {
        skipSpace()
        guard p < b.count, b[p] == c else { throw fail(key, "expected \(what)") }
        p += 1
    }

    mutating func object() throws -> [String: FeatureValue] {
        try expect(UInt8(ascii: "{"), nil, "a JSON object")
        var out: [String: FeatureValue] = [:]
        skipSpace()
        if p < b.count, b[p] == UInt8(ascii: "}") {
            p += 1
        } else {
            while true {
                skipSpace()
                guard p < b.count, b[p] == UInt8(ascii: "\"") else { throw fail(nil, "expected a key") }
                let key = try string(nil)
                try expect(UInt8(ascii: ":"), key, "':' after the key")
                let v = try value(key)
                guard out.updateValue(v, forKey: key) == nil else { throw fail(key, "key given twice") }
                skipSpace()
                guard p < b.count else { throw fail(nil, "unterminated object") }
                if b[p] == UInt8(ascii: ",") { p += 1; continue }
                if b[p] == UInt8(ascii: "}") { p += 1; break }
                throw fail(key, "expected ',' or '}'")
            }
        }
        skipSpace()
        guard p == b.count else { throw fail(nil, "trailing characters after the object") }
        return out
    }

    mutating func literal(_ word: [UInt8], _ key: String) throws {
        guard p + word.count <= b.count else { throw fail(key, "invalid value") }
        for k in 0 ..< word.count where b[p + k] != word[k] { throw fail(key, "invalid value") }
        p += word.count
    }

    mutating func value(_ key: String) throws -> FeatureValue {
        skipSpace()
        guard p < b.count else { throw fail(key, "missing value") }
        switch b[p] {
        case UInt8(ascii: "n"): try literal(Self.nullWord, key); return .null
        case UInt8(ascii: "t"): try literal(Self.trueWord, key); return .bool(true)
        case UInt8(ascii: "f"): try literal(Self.falseWord, key); return .bool(false)
        case UInt8(ascii: "\""): return .string(try string(key))
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return .number(try number(key))
        case UInt8(ascii: "["), UInt8(ascii: "{"): throw fail(key, "nested values are not features")
        default: throw fail(key, "invalid value")
        }
    }

    mutating func number(_ key: String) throws -> Double {
        let start = p
        func digits(_ p: inout Int) -> Int {
            let s = p
            while p < b.count, b[p] >= 0x30, b[p] <= 0x39 { p += 1 }
            return p - s
        }
        if b[p] == UInt8(ascii: "-") { p += 1 }
        let intStart = p
        let n = digits(&p)
        guard n > 0, !(n > 1 && b[intStart] == 0x30) else { throw fail(key, "invalid number") }
        if p < b.count, b[p] == UInt8(ascii: ".") {
            p += 1
            guard digits(&p) > 0 else { throw fail(key, "invalid number") }
        }
        if p < b.count, b[p] == UInt8(ascii: "e") || b[p] == UInt8(ascii: "E") {
            p += 1
            if p < b.count, b[p] == UInt8(ascii: "+") || b[p] == UInt8(ascii: "-") { p += 1 }
            guard digits(&p) > 0 else { throw fail(key, "invalid number") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start ..< p]), as: UTF8.self)
        guard let d = Double(text), d.isFinite else { throw fail(key, "number out of range") }
        return d
    }

    mutating func hex4(_ key: String?) throws -> UInt32 {
        guard p + 4 <= b.count else { throw fail(key, "bad \\u escape") }
        var v: UInt32 = 0
        for _ in 0 ..< 4 {
            let c = b[p]
            let d: UInt8
            switch c {
            case 0x30 ... 0x39: d = c - 0x30
            case 0x41 ... 0x46: d = c - 0x41 + 10
            case 0x61 ... 0x66: d = c - 0x61 + 10
            default: throw fail(key, "bad \\u escape")
            }
            v = v << 4 | UInt32(d)
            p += 1
        }
        return v
    }

    /// A string starting at the opening quote.
    mutating func string(_ key: String?) throws -> String {
        p += 1
        let start = p
        // Fast path: no escapes.
        while p < b.count, b[p] != UInt8(ascii: "\""), b[p] != UInt8(ascii: "\\"), b[p] >= 0x20 { p += 1 }
        guard p < b.count else { throw fail(key, "unterminated string") }
        if b[p] == UInt8(ascii: "\"") {
            p += 1
            guard let s = String(validating: UnsafeBufferPointer(rebasing: b[start ..< p - 1]), as: UTF8.self) else {
                throw fail(key, "string is not valid UTF-8")
            }
            return s
        }
        var bytes = Array(b[start ..< p])
        while true {
            guard p < b.count else { throw fail(key, "unterminated string") }
            let c = b[p]
            p += 1
            switch c {
            case UInt8(ascii: "\""):
                guard let s = String(validating: bytes, as: UTF8.self) else { throw fail(key, "string is not valid UTF-8") }
                return s
            case UInt8(ascii: "\\"):
                guard p < b.count else { throw fail(key, "unterminated string") }
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
                    var scalar = try hex4(key)
                    if scalar >= 0xD800, scalar < 0xDC00 {
                        guard p + 2 <= b.count, b[p] == UInt8(ascii: "\\"), b[p + 1] == UInt8(ascii: "u") else {
                            throw fail(key, "unpaired surrogate")
                        }
                        p += 2
                        let low = try hex4(key)
                        guard low >= 0xDC00, low < 0xE000 else { throw fail(key, "unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail(key, "unpaired surrogate") }
                    bytes.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw fail(key, "bad escape")
                }
            default:
                guard c >= 0x20 else { throw fail(key, "control character in a string") }
                bytes.append(c)
            }
        }
    }
}
