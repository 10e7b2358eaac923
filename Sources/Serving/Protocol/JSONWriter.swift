import ModelPackage

/// A hand-written JSON writer into a byte buffer: what every scoring response is built with.
/// Doubles are written in their shortest round-trip form (Swift's `description`), so a client
/// parsing the text gets the exact bits; non-finite doubles become the strings `"NaN"`,
/// `"Infinity"`, `"-Infinity"` (MLflow's convention). Strings are written as UTF-8 with `"`, `\`
/// and control characters escaped.
///
/// ```swift
/// var w = JSONWriter()
/// w.raw("{\"predictions\": [")
/// w.double(0.25)
/// w.raw("]}")
/// w.bytes   // {"predictions": [0.25]}
/// ```
struct JSONWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func byte(_ c: UInt8) {
        bytes.append(c)
    }

    /// `"key": ` (the key escaped).
    mutating func key(_ k: String) {
        string(k)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(UInt8(ascii: " "))
    }

    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { u in
            var runStart = 0
            for i in 0 ..< u.count {
                let c = u[i]
                guard c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 else { continue }
                if i > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart ..< i])) }
                runStart = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch c {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(c)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]])
                }
            }
            if u.count > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart ..< u.count])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func int(_ v: Int64) {
        if v == 0 { bytes.append(0x30); return }
        var m = v.magnitude
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { t in
            while m > 0 {
                t[n] = UInt8(truncatingIfNeeded: m % 10) + 0x30
                m /= 10
                n += 1
            }
            if v < 0 { bytes.append(UInt8(ascii: "-")) }
            for k in stride(from: n - 1, through: 0, by: -1) { bytes.append(t[k]) }
        }
    }

    mutating func int(_ v: Int) { int(Int64(v)) }

    mutating func bool(_ v: Bool) {
        if v { raw("true") } else { raw("false") }
    }

    mutating func double(_ d: Double) {
        guard d.isFinite else {
            raw(d.isNaN ? "\"NaN\"" : d > 0 ? "\"Infinity\"" : "\"-Infinity\"")
            return
        }
        var text = d.description
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A Float32 in its own shortest round-trip form (`Float(text)` gives the same bits).
    mutating func float(_ f: Float) {
        guard f.isFinite else {
            raw(f.isNaN ? "\"NaN\"" : f > 0 ? "\"Infinity\"" : "\"-Infinity\"")
            return
        }
        var text = f.description
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A model output value (objects with their keys sorted).
    mutating func value(_ v: ModelValue) {
        switch v {
        case .null: raw("null")
        case .bool(let b): bool(b)
        case .int(let i): int(i)
        case .double(let d): double(d)
        case .string(let s): string(s)
        case .array(let items):
            byte(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { raw(", ") }
                value(item)
            }
            byte(UInt8(ascii: "]"))
        case .object(let members):
            byte(UInt8(ascii: "{"))
            for (i, k) in members.keys.sorted().enumerated() {
                if i > 0 { raw(", ") }
                key(k)
                value(members[k] ?? .null)
            }
            byte(UInt8(ascii: "}"))
        }
    }
}
