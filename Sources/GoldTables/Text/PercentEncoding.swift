/// Percent-decoding of paths (`%XX` → byte), as Delta log paths and Hive partition folder names
/// use it. `+` stays `+`; a `%` not followed by two hex digits stays as it is.
enum PercentEncoding {
    static func decode(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "%")) else { return s }
        let b = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48 ... 57: c - 48
            case 65 ... 70: c - 55
            case 97 ... 102: c - 87
            default: nil
            }
        }
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%"), i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
