/// A min or max as the writer tracks it, before it becomes PLAIN bytes or a ``Value``.
enum WriterStatValue: Hashable {
    case bool(Bool)
    case int(Int64)
    case float(Float)
    case double(Double)
    case decimal(Int128)
    case bytes([UInt8])

    /// Orders two values of the same kind (bytes: unsigned lexicographic).
    static func compare(_ a: WriterStatValue, _ b: WriterStatValue) -> Int {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return cmp(x ? 1 : 0, y ? 1 : 0)
        case (.int(let x), .int(let y)): return cmp(x, y)
        case (.float(let x), .float(let y)): return cmp(x, y)
        case (.double(let x), .double(let y)): return cmp(x, y)
        case (.decimal(let x), .decimal(let y)): return cmp(x, y)
        case (.bytes(let x), .bytes(let y)):
            return withNonNilBytes(x) { xp, xn in withNonNilBytes(y) { yp, yn in compareBytes(xp, xn, yp, yn) } }
        default: return 0
        }
    }

    /// PLAIN bytes of this value for a column laid out as `layout` (byte arrays without length prefix).
    func plainBytes(_ layout: ParquetWriterColumnType.Layout) -> [UInt8] {
        var out: [UInt8] = []
        switch (self, layout) {
        case (.bool(let b), _): out = [b ? 1 : 0]
        case (.int(let v), .int32): appendLE(Int32(truncatingIfNeeded: v), &out)
        case (.int(let v), _): appendLE(v, &out)
        case (.float(let v), _): appendLE(v.bitPattern, &out)
        case (.double(let v), _): appendLE(v.bitPattern, &out)
        case (.decimal(let v), .decimal32): appendLE(Int32(truncatingIfNeeded: v), &out)
        case (.decimal(let v), .decimal64): appendLE(Int64(truncatingIfNeeded: v), &out)
        case (.decimal(let v), .decimalFixed(let n)): appendBigEndian(v, width: n, &out)
        case (.decimal(let v), _): appendLE(Int64(truncatingIfNeeded: v), &out)
        case (.bytes(let b), _): out = b
        }
        return out
    }

    /// The ``Value`` of this statistic in a column of type `type`.
    func value(_ type: DataType) -> Value {
        switch self {
        case .bool(let b): return .bool(b)
        case .int(let v):
            switch type {
            case .date: return .date(Int32(truncatingIfNeeded: v))
            case .timestamp(let unit, let utc): return .timestamp(v, unit, utc: utc)
            default: return .int(v)
            }
        case .float(let v): return .float(v)
        case .double(let v): return .double(v)
        case .decimal(let v):
            if case .decimal(_, let s) = type { return .decimal(unscaled: v, scale: s) }
            return .decimal(unscaled: v, scale: 0)
        case .bytes(let b):
            switch type {
            case .binary: return .binary(b)
            case .json: return .json(String(decoding: b, as: UTF8.self))
            default: return .string(String(decoding: b, as: UTF8.self))
            }
        }
    }
}

/// Big-endian two's complement of `v` in `width` bytes (the FIXED_LEN_BYTE_ARRAY decimal layout).
@inline(__always)
func appendBigEndian(_ v: Int128, width: Int, _ out: inout [UInt8]) {
    var shift = (width - 1) * 8
    while shift >= 0 {
        out.append(UInt8(truncatingIfNeeded: v >> Int128(shift)))
        shift -= 8
    }
}

/// Null count and bounds of a column chunk, or of a whole column across chunks.
struct WriterStats {
    var nullCount: Int64 = 0
    var min: WriterStatValue?
    var max: WriterStatValue?
    var minExact = true
    var maxExact = true

    mutating func merge(min m: WriterStatValue?, exact: Bool = true) {
        guard let m else { return }
        guard let cur = min else {
            min = m
            minExact = exact
            return
        }
        let c = WriterStatValue.compare(m, cur)
        if c < 0 {
            min = m
            minExact = exact
        } else if c == 0 {
            minExact = minExact || exact
        }
    }

    mutating func merge(max m: WriterStatValue?, exact: Bool = true) {
        guard let m else { return }
        guard let cur = max else {
            max = m
            maxExact = exact
            return
        }
        let c = WriterStatValue.compare(m, cur)
        if c > 0 {
            max = m
            maxExact = exact
        } else if c == 0 {
            maxExact = maxExact || exact
        }
    }

    mutating func merge(_ o: WriterStats) {
        nullCount += o.nullCount
        merge(min: o.min, exact: o.minExact)
        merge(max: o.max, exact: o.maxExact)
    }

    /// Truncates byte-array bounds longer than `limit`: the min to a prefix, the max to a prefix whose
    /// last byte is incremented (or dropped when no byte can be). `text` keeps UTF-8 valid.
    mutating func truncate(limit: Int, text: Bool) {
        if case .bytes(let b)? = min, b.count > limit {
            var cut = Swift.max(0, limit)
            if text { while cut > 0 && cut < b.count && b[cut] & 0xC0 == 0x80 { cut -= 1 } }
            min = .bytes(Array(b[0 ..< cut]))
            minExact = false
        }
        if case .bytes(let b)? = max, b.count > limit {
            var cut = Swift.max(0, limit)
            if text { while cut > 0 && cut < b.count && b[cut] & 0xC0 == 0x80 { cut -= 1 } }
            max = text ? Self.textUpperBound(b[0 ..< cut]) : Self.binaryUpperBound(b[0 ..< cut])
            maxExact = false
        }
    }

    /// The shortest prefix of `p` with its last incrementable byte (< 0xFF) bumped, or nil.
    static func binaryUpperBound(_ p: ArraySlice<UInt8>) -> WriterStatValue? {
        var j = p.endIndex - 1
        while j >= p.startIndex && p[j] == 0xFF { j -= 1 }
        guard j >= p.startIndex else { return nil }
        var out = Array(p[p.startIndex ... j])
        out[out.count - 1] += 1
        return .bytes(out)
    }

    /// A valid UTF-8 string greater than every string starting with `p`: `p` with its last
    /// incrementable code point bumped (UTF-8 order is code point order), or nil.
    static func textUpperBound(_ p: ArraySlice<UInt8>) -> WriterStatValue? {
        var scalars = Array(String(decoding: p, as: UTF8.self).unicodeScalars)
        // `p` ends on a character boundary, so decoding is lossless unless the input was not UTF-8.
        guard String(String.UnicodeScalarView(scalars)).utf8.elementsEqual(p) else { return binaryUpperBound(p) }
        while let last = scalars.popLast() {
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }
            if let s = Unicode.Scalar(next) {
                scalars.append(s)
                return .bytes(Array(String(String.UnicodeScalarView(scalars)).utf8))
            }
        }
        return nil
    }
}

// MARK: Min/max scans over one chunk's rows

/// Min and max of the non-null rows (`valid` nil = all valid).
@inline(__always)
func scanMinMax<T: Comparable>(_ v: UnsafeBufferPointer<T>, _ rows: Range<Int>, _ valid: UnsafeBufferPointer<Bool>?) -> (T, T)? {
    var i = rows.lowerBound
    if let valid {
        while i < rows.upperBound && !valid[i] { i += 1 }
    }
    guard i < rows.upperBound else { return nil }
    var mn = v[i]
    var mx = v[i]
    if let valid {
        for r in i ..< rows.upperBound where valid[r] {
            let x = v[r]
            mn = x < mn ? x : mn
            mx = x > mx ? x : mx
        }
    } else {
        for r in i ..< rows.upperBound {
            let x = v[r]
            mn = x < mn ? x : mn
            mx = x > mx ? x : mx
        }
    }
    return (mn, mx)
}

/// Min and max ignoring NaN; zeros follow the Parquet rule (min −0.0, max +0.0).
@inline(__always)
func scanMinMaxFloat<T: BinaryFloatingPoint>(_ v: UnsafeBufferPointer<T>, _ rows: Range<Int>, _ valid: UnsafeBufferPointer<Bool>?) -> (T, T)? {
    var mn = T.infinity
    var mx = -T.infinity
    // NaN compares false both ways and is skipped; any other value leaves mn <= mx.
    if let valid {
        for r in rows where valid[r] {
            let x = v[r]
            mn = x < mn ? x : mn
            mx = x > mx ? x : mx
        }
    } else {
        for r in rows {
            let x = v[r]
            mn = x < mn ? x : mn
            mx = x > mx ? x : mx
        }
    }
    let any = mn <= mx
    guard any else { return nil }
    if mn == 0 { mn = -T(0) }
    if mx == 0 { mx = T(0) }
    return (mn, mx)
}

/// Calls `body` with a non-nil pointer to `a`'s bytes (a dummy one when `a` is empty) and its count.
@inline(__always)
func withNonNilBytes<R>(_ a: [UInt8], _ body: (UnsafeRawPointer, Int) throws -> R) rethrows -> R {
    try a.withUnsafeBytes { b in
        if let base = b.baseAddress { return try body(base, b.count) }
        var z: UInt64 = 0
        return try withUnsafeBytes(of: &z) { zb in try body(zb.baseAddress.unsafelyUnwrapped, 0) }
    }
}
