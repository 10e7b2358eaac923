/// JSON text helpers for hand-written responses and log lines.
///
/// ```swift
/// JSONText.quoted("a\"b")   // the bytes of "a\"b" with its quotes
/// ```
public enum JSONText {
    /// `s` as a JSON string literal (quotes and escapes included).
    public static func quoted(_ s: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), b]
            case 0 ..< 0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
