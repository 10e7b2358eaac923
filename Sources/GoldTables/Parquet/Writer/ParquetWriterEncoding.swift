/// The RLE / bit-packing hybrid encoder (definition levels, dictionary indices).
///
/// Values are buffered in groups of 8. A value repeated at least 8 times becomes an RLE run; everything
/// else goes into bit-packed runs of up to 63 groups, whose one-byte header is patched when the run ends.
struct RLEHybridEncoder {
    let bitWidth: Int
    private let valueBytes: Int
    private var buffered: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var bufferedCount = 0
    private var current: UInt32 = 0
    private var repeatCount = 0
    /// Values in the open bit-packed run (a multiple of 8 until the final flush).
    private var literalCount = 0
    /// Where the open bit-packed run's header byte sits in `out`, or -1.
    private var literalHeader = -1

    init(bitWidth: Int) {
        self.bitWidth = bitWidth
        valueBytes = (bitWidth + 7) / 8
    }

    @inline(__always)
    mutating func put(_ value: UInt32, _ out: inout [UInt8]) {
        if value == current && repeatCount > 0 {
            repeatCount += 1
            // Inside a long run: nothing buffered past the first 8.
            if repeatCount > 8 { return }
        } else {
            if repeatCount >= 8 { flushRepeated(&out) }
            repeatCount = 1
            current = value
        }
        withUnsafeMutableBytes(of: &buffered) { $0.storeBytes(of: value, toByteOffset: bufferedCount * 4, as: UInt32.self) }
        bufferedCount += 1
        if bufferedCount == 8 { flushBuffered(&out) }
    }

    /// Appends `count` copies of `value` (fast path for long runs).
    mutating func putRun(_ value: UInt32, count: Int, _ out: inout [UInt8]) {
        var remaining = count
        // Fill until the encoder is inside an RLE run of this value, then count in bulk.
        while remaining > 0 && !(repeatCount >= 8 && current == value && bufferedCount == 0) {
            put(value, &out)
            remaining -= 1
        }
        repeatCount += remaining
    }

    private mutating func flushBuffered(_ out: inout [UInt8]) {
        if repeatCount >= 8 {
            // These 8 values belong to an RLE run that is still growing.
            bufferedCount = 0
            if literalCount != 0 { closeLiteral(&out) }
            return
        }
        literalCount += bufferedCount
        writeLiteralGroup(&out)
        if literalCount / 8 >= 63 { closeLiteral(&out) }
        repeatCount = 0
    }

    private mutating func writeLiteralGroup(_ out: inout [UInt8]) {
        if literalHeader < 0 {
            literalHeader = out.count
            out.append(0)
        }
        // 8 values × bitWidth bits = bitWidth bytes, LSB first.
        var acc: UInt64 = 0
        var bits = 0
        withUnsafeBytes(of: &buffered) { b in
            for i in 0 ..< 8 {
                let v = UInt64(b.load(fromByteOffset: i * 4, as: UInt32.self))
                acc |= v << UInt64(bits)
                bits += bitWidth
                while bits >= 8 {
                    out.append(UInt8(truncatingIfNeeded: acc))
                    acc >>= 8
                    bits -= 8
                }
            }
        }
        bufferedCount = 0
    }

    private mutating func closeLiteral(_ out: inout [UInt8]) {
        guard literalHeader >= 0 else { return }
        let groups = (literalCount + 7) / 8
        out[literalHeader] = UInt8(groups << 1 | 1)
        literalHeader = -1
        literalCount = 0
    }

    private mutating func flushRepeated(_ out: inout [UInt8]) {
        if literalCount != 0 { closeLiteral(&out) }
        var header = UInt64(repeatCount) << 1
        while header >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: header) | 0x80)
            header >>= 7
        }
        out.append(UInt8(header))
        var v = current
        for _ in 0 ..< valueBytes {
            out.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
        bufferedCount = 0
        repeatCount = 0
    }

    /// Writes whatever is pending. The encoder is empty afterwards.
    mutating func finish(_ out: inout [UInt8]) {
        if repeatCount >= 8 {
            // A growing RLE run; anything buffered is part of it.
            flushRepeated(&out)
        } else if bufferedCount > 0 {
            let allSame = literalCount == 0 && repeatCount == bufferedCount
            if allSame && repeatCount > 0 {
                flushRepeated(&out)
            } else {
                // Pad the last group with zeros; readers stop at the value count.
                withUnsafeMutableBytes(of: &buffered) { b in
                    for i in bufferedCount ..< 8 { b.storeBytes(of: 0, toByteOffset: i * 4, as: UInt32.self) }
                }
                literalCount += bufferedCount
                writeLiteralGroup(&out)
                closeLiteral(&out)
            }
        } else if literalCount > 0 {
            closeLiteral(&out)
        }
        bufferedCount = 0
        repeatCount = 0
        literalCount = 0
        literalHeader = -1
    }
}

/// The bit width of dictionary indices `0 ..< count` (0 for a single entry).
@inline(__always)
func parquetBitWidth(forMax maxValue: Int) -> Int {
    maxValue <= 0 ? 0 : Int.bitWidth - maxValue.leadingZeroBitCount
}

/// A hash table of distinct byte strings, kept as a PLAIN-ready dictionary.
struct ByteDictionaryBuilder {
    private(set) var offsets: [Int] = [0]
    private(set) var bytes: [UInt8] = []
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var mask: Int
    /// PLAIN size of the dictionary page (4-byte length + bytes per entry).
    private(set) var plainSize = 0

    init(expected: Int = 1024) {
        var cap = 1024
        while cap < expected * 2 { cap <<= 1 }
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
    }

    var count: Int { offsets.count - 1 }

    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var s: UInt64 = 0
            while i < n {
                w |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << s
                s += 8
                i += 1
            }
            h = (h ^ w) &* 0x94D0_49BB_1331_11EB
        }
        h ^= h >> 31
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    /// The id of `value`, or nil if adding it would push the dictionary past `limit` PLAIN bytes.
    @inline(__always)
    mutating func id(of p: UnsafeRawPointer, _ n: Int, limit: Int) -> Int32? {
        let h = Self.hash(p, n)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if hashes[Int(id)] == h {
                let start = offsets[Int(id)]
                let len = offsets[Int(id) + 1] - start
                if len == n {
                    let same = bytes.withUnsafeBytes { b in
                        n == 0 || memcmpBytes(b.baseAddress.unsafelyUnwrapped + start, p, n)
                    }
                    if same { return id }
                }
            }
            slot = (slot + 1) & mask
        }
        if plainSize + 4 + n > limit { return nil }
        let id = Int32(count)
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: p, count: n))
        offsets.append(bytes.count)
        hashes.append(h)
        plainSize += 4 + n
        slots[slot] = id
        if count * 2 > slots.count { grow() }
        return id
    }

    private mutating func grow() {
        let cap = slots.count * 2
        var newSlots = [Int32](repeating: -1, count: cap)
        let newMask = cap - 1
        for id in 0 ..< count {
            var s = Int(truncatingIfNeeded: hashes[id]) & newMask
            while newSlots[s] >= 0 { s = (s + 1) & newMask }
            newSlots[s] = Int32(id)
        }
        slots = newSlots
        mask = newMask
    }

    /// The dictionary page payload: each entry as u32 LE length + bytes.
    func plainPage(into out: inout [UInt8]) {
        out.reserveCapacity(out.count + plainSize)
        for i in 0 ..< count {
            appendLE(UInt32(offsets[i + 1] - offsets[i]), &out)
            out.append(contentsOf: bytes[offsets[i] ..< offsets[i + 1]])
        }
    }

    func entry(_ i: Int) -> ArraySlice<UInt8> {
        bytes[offsets[i] ..< offsets[i + 1]]
    }

    /// The ids of the smallest and largest entries (unsigned bytewise order), nil when empty.
    func minMaxEntries() -> (min: Int, max: Int)? {
        guard count > 0 else { return nil }
        return withNonNilBytes(bytes) { base, _ in
            var lo = 0
            var hi = 0
            for i in 1 ..< count {
                let p = base + offsets[i]
                let n = offsets[i + 1] - offsets[i]
                if compareBytes(p, n, base + offsets[lo], offsets[lo + 1] - offsets[lo]) < 0 { lo = i }
                if compareBytes(p, n, base + offsets[hi], offsets[hi + 1] - offsets[hi]) > 0 { hi = i }
            }
            return (lo, hi)
        }
    }
}

@inline(__always)
func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}

/// Unsigned lexicographic comparison of two byte strings: < 0, 0, > 0.
@inline(__always)
func compareBytes(_ a: UnsafeRawPointer, _ an: Int, _ b: UnsafeRawPointer, _ bn: Int) -> Int {
    let n = min(an, bn)
    var i = 0
    while i + 8 <= n {
        let x = UInt64(bigEndian: a.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        if x != y { return x < y ? -1 : 1 }
        i += 8
    }
    while i < n {
        let x = a.load(fromByteOffset: i, as: UInt8.self)
        let y = b.load(fromByteOffset: i, as: UInt8.self)
        if x != y { return x < y ? -1 : 1 }
        i += 1
    }
    return an == bn ? 0 : (an < bn ? -1 : 1)
}

@inline(__always)
func appendLE<T: FixedWidthInteger>(_ v: T, _ out: inout [UInt8]) {
    withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
}
