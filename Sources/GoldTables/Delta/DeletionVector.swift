import Foundation

/// Deletion vectors: Z85 decoding, the DV file framing and the 64-bit portable Roaring bitmap.
enum DeletionVectors {
    struct DVError: Error { var message: String }

    static let z85Alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)
    static let z85Table: [Int16] = {
        var t = [Int16](repeating: -1, count: 256)
        for (i, c) in z85Alphabet.enumerated() { t[Int(c)] = Int16(i) }
        return t
    }()

    /// Decodes Z85 text (length a multiple of 5) into bytes.
    static func z85Decode(_ s: String) throws -> [UInt8] {
        let b = Array(s.utf8)
        guard b.count % 5 == 0 else { throw DVError(message: "Z85 text length \(b.count) is not a multiple of 5") }
        var out: [UInt8] = []
        out.reserveCapacity(b.count / 5 * 4)
        var i = 0
        while i < b.count {
            var v: UInt64 = 0
            for k in 0 ..< 5 {
                let d = z85Table[Int(b[i + k])]
                guard d >= 0 else { throw DVError(message: "invalid Z85 character at \(i + k)") }
                v = v * 85 + UInt64(d)
            }
            guard v <= UInt64(UInt32.max) else { throw DVError(message: "Z85 group at \(i) overflows 32 bits") }
            out.append(UInt8(v >> 24 & 0xFF))
            out.append(UInt8(v >> 16 & 0xFF))
            out.append(UInt8(v >> 8 & 0xFF))
            out.append(UInt8(v & 0xFF))
            i += 5
        }
        return out
    }

    /// The canonical lowercase UUID text of 16 bytes.
    static func uuidString(_ b: [UInt8]) -> String {
        let hex = b.map { String(format: "%02x", $0) }.joined()
        let c = Array(hex)
        return String(c[0 ..< 8]) + "-" + String(c[8 ..< 12]) + "-" + String(c[12 ..< 16]) + "-" + String(c[16 ..< 20]) + "-" + String(c[20 ..< 32])
    }

    /// The absolute path of a DV file for storage type `u` or `p`.
    static func filePath(_ dv: DeletionVectorDescriptor, tableRoot: String) throws -> String {
        switch dv.storageType {
        case "u":
            let p = dv.pathOrInlineDv
            guard p.utf8.count >= 20 else { throw DVError(message: "pathOrInlineDv '\(p)' is shorter than 20 characters") }
            let prefix = String(p.dropLast(20))
            let uuid = try z85Decode(String(p.suffix(20)))
            let name = "deletion_vector_\(uuidString(uuid)).bin"
            return prefix.isEmpty ? tableRoot + "/" + name : tableRoot + "/" + prefix + "/" + name
        case "p":
            var p = dv.pathOrInlineDv
            if p.hasPrefix("file://") { p = String(p.dropFirst(7)) } else if p.hasPrefix("file:") { p = String(p.dropFirst(5)) }
            guard p.hasPrefix("/") else { throw DVError(message: "absolute DV path '\(dv.pathOrInlineDv)' is not a local file") }
            return ActionParser.percentDecode(p)
        default:
            throw DVError(message: "unknown deletion vector storage type '\(dv.storageType)'")
        }
    }

    /// The bitmap bytes of a DV (after the magic-less framing): reads the file or decodes inline.
    static func bitmapBytes(_ dv: DeletionVectorDescriptor, tableRoot: String) throws -> [UInt8] {
        if dv.storageType == "i" {
            let raw = try z85Decode(dv.pathOrInlineDv)
            guard dv.sizeInBytes >= 0, dv.sizeInBytes <= raw.count else {
                throw DVError(message: "inline DV sizeInBytes \(dv.sizeInBytes) exceeds its \(raw.count) decoded bytes")
            }
            return Array(raw[0 ..< dv.sizeInBytes])
        }
        let path = try filePath(dv, tableRoot: tableRoot)
        guard let bytes = deltaReadFile(path) else {
            throw DVError(message: "deletion vector file \(path) is missing or unreadable")
        }
        guard let first = bytes.first, first == 1 else {
            throw DVError(message: "deletion vector file \(path) has format version \(bytes.first.map(String.init) ?? "none"), expected 1")
        }
        let off = dv.offset ?? 1
        guard off >= 1, off <= bytes.count - 4 else { throw DVError(message: "DV offset \(off) is outside \(path) (\(bytes.count) bytes)") }
        let size = Int(be32(bytes, off))
        guard size == dv.sizeInBytes else {
            throw DVError(message: "DV in \(path) at \(off) declares \(size) bytes, the log says \(dv.sizeInBytes)")
        }
        let start = off + 4
        guard size >= 0, start + size + 4 <= bytes.count else {
            throw DVError(message: "DV in \(path) at \(off) (\(size) bytes) runs past the end of the file")
        }
        let payload = Array(bytes[start ..< start + size])
        let crc = be32(bytes, start + size)
        let actual = payload.withUnsafeBytes { Codec.crc32($0) }
        guard crc == actual else { throw DVError(message: "DV in \(path) at \(off) fails its CRC check") }
        return payload
    }

    static func be32(_ b: [UInt8], _ o: Int) -> UInt32 {
        UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3])
    }

    /// A bounds-checked little-endian reader.
    struct Reader {
        let b: [UInt8]
        var pos: Int
        mutating func u16() throws -> UInt16 {
            guard pos + 2 <= b.count else { throw DVError(message: "bitmap truncated at byte \(pos)") }
            defer { pos += 2 }
            return UInt16(b[pos]) | UInt16(b[pos + 1]) << 8
        }
        mutating func u32() throws -> UInt32 {
            guard pos + 4 <= b.count else { throw DVError(message: "bitmap truncated at byte \(pos)") }
            defer { pos += 4 }
            return UInt32(b[pos]) | UInt32(b[pos + 1]) << 8 | UInt32(b[pos + 2]) << 16 | UInt32(b[pos + 3]) << 24
        }
        mutating func u64() throws -> UInt64 {
            let lo = try u32()
            let hi = try u32()
            return UInt64(hi) << 32 | UInt64(lo)
        }
        mutating func skip(_ n: Int) throws {
            guard n >= 0, pos + n <= b.count else { throw DVError(message: "bitmap truncated at byte \(pos)") }
            pos += n
        }
    }

    /// Decodes the DV payload (magic + 64-bit portable Roaring) into sorted row indexes.
    static func decodeBitmap(_ bytes: [UInt8], limit: Int64 = 1 << 40) throws -> [Int64] {
        var r = Reader(b: bytes, pos: 0)
        let magic = try r.u32()
        guard magic == 1_681_511_377 else { throw DVError(message: "bad deletion vector magic \(magic)") }
        let buckets = try r.u64()
        guard buckets <= UInt64(bytes.count) else { throw DVError(message: "bitmap declares \(buckets) buckets in \(bytes.count) bytes") }
        var out: [Int64] = []
        for _ in 0 ..< Int(buckets) {
            let high = try r.u32()
            let base = Int64(high) << 32
            guard base >= 0 else { throw DVError(message: "bitmap key \(high) out of range") }
            try decode32(&r, base: base, into: &out, limit: limit)
        }
        // Keys and values of a valid bitmap ascend; the scan relies on it to map rows to row groups.
        for i in out.indices.dropFirst() where out[i] <= out[i - 1] {
            throw DVError(message: "bitmap row indexes are not strictly increasing (\(out[i]) after \(out[i - 1]))")
        }
        return out
    }

    static func decode32(_ r: inout Reader, base: Int64, into out: inout [Int64], limit: Int64) throws {
        let cookie = try r.u32()
        var n: Int
        var runFlags: [UInt8] = []
        let hasRuns = cookie & 0xFFFF == 12347
        if hasRuns {
            n = Int(cookie >> 16) + 1
            let nb = (n + 7) / 8
            try r.skip(0)
            guard r.pos + nb <= r.b.count else { throw DVError(message: "bitmap truncated in run flags") }
            runFlags = Array(r.b[r.pos ..< r.pos + nb])
            r.pos += nb
        } else {
            guard cookie == 12346 else { throw DVError(message: "bad Roaring cookie \(cookie)") }
            n = Int(try r.u32())
        }
        guard n <= 65536 else { throw DVError(message: "Roaring container count \(n) exceeds 65536") }
        var keys: [UInt16] = []
        var cards: [Int] = []
        keys.reserveCapacity(n)
        cards.reserveCapacity(n)
        for _ in 0 ..< n {
            keys.append(try r.u16())
            cards.append(Int(try r.u16()) + 1)
        }
        if !hasRuns || n >= 4 { try r.skip(4 * n) }
        for i in 0 ..< n {
            let hi = base | Int64(keys[i]) << 16
            let isRun = hasRuns && (runFlags[i / 8] >> (i % 8)) & 1 == 1
            if isRun {
                let runs = Int(try r.u16())
                for _ in 0 ..< runs {
                    let start = Int64(try r.u16())
                    let len = Int64(try r.u16()) + 1
                    guard start + len <= 65536 else { throw DVError(message: "Roaring run exceeds its container") }
                    guard Int64(out.count) + len <= limit else { throw DVError(message: "deletion vector holds more rows than its cardinality \(limit)") }
                    for v in start ..< start + len { out.append(hi | v) }
                }
            } else if cards[i] <= 4096 {
                guard r.pos + 2 * cards[i] <= r.b.count else { throw DVError(message: "bitmap truncated in array container") }
                guard Int64(out.count + cards[i]) <= limit else { throw DVError(message: "deletion vector holds more rows than its cardinality \(limit)") }
                for _ in 0 ..< cards[i] { out.append(hi | Int64(try r.u16())) }
            } else {
                guard r.pos + 8192 <= r.b.count else { throw DVError(message: "bitmap truncated in bitset container") }
                guard Int64(out.count + cards[i]) <= limit else { throw DVError(message: "deletion vector holds more rows than its cardinality \(limit)") }
                for w in 0 ..< 1024 {
                    var word = try r.u64()
                    while word != 0 {
                        let t = word.trailingZeroBitCount
                        out.append(hi | Int64(w * 64 + t))
                        word &= word - 1
                    }
                }
            }
        }
    }

    /// The deleted row indexes of `dv`, checked against its cardinality.
    static func rowIndexes(_ dv: DeletionVectorDescriptor, tableRoot: String) throws -> [Int64] {
        let bytes = try bitmapBytes(dv, tableRoot: tableRoot)
        let rows = try decodeBitmap(bytes, limit: max(0, dv.cardinality))
        guard Int64(rows.count) == dv.cardinality else {
            throw DVError(message: "deletion vector holds \(rows.count) rows, the log says cardinality \(dv.cardinality)")
        }
        return rows
    }
}
