import Foundation

/// libFuzzer entry point over the scoring server's request JSON parser (`JSONParser.parse`), which
/// every `/invocations`, `/v2/.../infer` and recommendation body reaches. Checks, besides "no
/// crash, no hang, no unbounded recursion":
/// - what we accept is valid JSON: Foundation's parser accepts it too;
/// - what we accept, written back as JSON text, parses to the same value (exact numbers and strings).
@_cdecl("LLVMFuzzerTestOneInput")
public func servingJSONFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    if (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) == nil {
        fatalError("accepted text Foundation rejects: \(String(decoding: bytes, as: UTF8.self).debugDescription)")
    }
    var text = ""
    write(value, to: &text)
    guard let again = try? JSONParser.parse(Array(text.utf8)) else {
        fatalError("written-back JSON does not parse: \(text.debugDescription)")
    }
    if again != value { fatalError("round trip changed the value: \(value) vs \(again)") }
    return 0
}

/// JSON text of `v` (independent of the server's writer, so the two are not checked against
/// themselves): doubles in Swift's shortest round-trip form, strings with every control
/// character escaped.
func write(_ v: JSONValue, to out: inout String) {
    switch v {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d): out += d.description
    case .string(let s): quote(s, to: &out)
    case .array(let items):
        out += "["
        for (i, item) in items.enumerated() {
            if i > 0 { out += "," }
            write(item, to: &out)
        }
        out += "]"
    case .object(let members):
        out += "{"
        for (i, m) in members.enumerated() {
            if i > 0 { out += "," }
            quote(m.key, to: &out)
            out += ":"
            write(m.value, to: &out)
        }
        out += "}"
    }
}

func quote(_ s: String, to out: inout String) {
    out += "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        default:
            if u.value < 0x20 {
                out += String(format: "\\u%04x", u.value)
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    out += "\""
}
