#if canImport(Glibc)
import Glibc
#endif

/// Makes room for `extra` more elements, growing geometrically (a plain `reserveCapacity` of
/// `count + extra` per page would reallocate exactly each time: quadratic copying).
@inline(__always)
func pqReserve<T>(_ a: inout [T], extra: Int) {
    let need = a.count + extra
    if need > a.capacity { a.reserveCapacity(max(need, a.capacity * 2)) }
}

/// Decoded physical values of one leaf column chunk, accumulated page by page.
struct PQValueBuffer {
    let physical: ParquetPhysicalType
    let typeLength: Int
    var bools: [Bool] = []
    var i32: [Int32] = []
    var i64: [Int64] = []
    var f32: [Float] = []
    var f64: [Double] = []
    var bytes = ByteArrayBuffer()
    /// Indices into the chunk dictionary while a byte-array chunk is still entirely dictionary-coded.
    var dictIndices: [Int32]?

    init(physical: ParquetPhysicalType, typeLength: Int) {
        self.physical = physical
        self.typeLength = typeLength
    }

    var count: Int {
        switch physical {
        case .boolean: bools.count
        case .int32: i32.count
        case .int64, .int96: i64.count
        case .float: f32.count
        case .double: f64.count
        case .byteArray, .fixedLenByteArray: dictIndices?.count ?? bytes.count
        }
    }

    mutating func reserve(_ n: Int) {
        switch physical {
        case .boolean: bools.reserveCapacity(n)
        case .int32: i32.reserveCapacity(n); Self.hugePages(&i32)
        case .int64, .int96: i64.reserveCapacity(n); Self.hugePages(&i64)
        case .float: f32.reserveCapacity(n); Self.hugePages(&f32)
        case .double: f64.reserveCapacity(n); Self.hugePages(&f64)
        case .byteArray, .fixedLenByteArray: bytes.offsets.reserveCapacity(n + 1); Self.hugePages(&bytes.offsets)
        }
    }

    /// Asks for transparent huge pages on a large, still empty array's storage (far fewer page
    /// faults while it fills). Advisory only; the storage stays the array's.
    static func hugePages<T>(_ a: inout [T]) {
        #if os(Linux)
        let bytes = a.capacity * MemoryLayout<T>.stride
        guard a.isEmpty, bytes >= 4 << 20 else { return }
        a.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress else { return }
            let huge = 2 << 20
            let start = (Int(bitPattern: base) + huge - 1) / huge * huge
            let end = (Int(bitPattern: base) + bytes) / huge * huge
            guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
            _ = madvise(p, end - start, 14) // MADV_HUGEPAGE
        }
        #endif
    }

    /// Appends `n` raw little-endian fixed-width values: one memcpy into the array's spare
    /// capacity (no zero fill first).
    @inline(__always)
    private static func appendRaw<T: BitwiseCopyable>(_ arr: inout [T], _ src: UnsafeRawPointer, _ n: Int) {
        guard n > 0 else { return }
        pqReserve(&arr, extra: n)
        arr.append(contentsOf: PQRawValues<T>(base: src, count: n))
    }

    /// Materialises pending dictionary indices into plain bytes.
    mutating func materializeDictionary(_ dict: PQValueBuffer?) {
        guard let idx = dictIndices else { return }
        dictIndices = nil
        guard let d = dict else { return }
        var out = ByteArrayBuffer()
        out.reserve(values: idx.count, bytes: idx.count * 8)
        for i in idx { out.append(bytes: d.bytes.slice(Int(i))) }
        bytes = out
    }

    // MARK: PLAIN

    /// Decodes `n` PLAIN values; returns the bytes consumed.
    @discardableResult
    mutating func appendPlain(_ src: UnsafeRawBufferPointer, count n: Int) throws -> Int {
        guard n > 0 else { return 0 }
        guard let base = src.baseAddress else { throw PQDecodeError("PLAIN data is empty but \(n) values are expected") }
        func need(_ bytes: Int) throws {
            guard bytes <= src.count else {
                throw PQDecodeError("PLAIN data holds \(src.count) bytes, \(n) values need \(bytes)")
            }
        }
        switch physical {
        case .boolean:
            try need((n + 7) / 8)
            pqReserve(&bools, extra: n)
            for i in 0 ..< n { bools.append((src[i >> 3] >> UInt8(i & 7)) & 1 == 1) }
            return (n + 7) / 8
        case .int32:
            let (b, o) = n.multipliedReportingOverflow(by: 4)
            guard !o else { throw PQDecodeError("value count overflow") }
            try need(b); Self.appendRaw(&i32, base, n); return b
        case .int64:
            let (b, o) = n.multipliedReportingOverflow(by: 8)
            guard !o else { throw PQDecodeError("value count overflow") }
            try need(b); Self.appendRaw(&i64, base, n); return b
        case .float:
            let (b, o) = n.multipliedReportingOverflow(by: 4)
            guard !o else { throw PQDecodeError("value count overflow") }
            try need(b); Self.appendRaw(&f32, base, n); return b
        case .double:
            let (b, o) = n.multipliedReportingOverflow(by: 8)
            guard !o else { throw PQDecodeError("value count overflow") }
            try need(b); Self.appendRaw(&f64, base, n); return b
        case .int96:
            let (b, o) = n.multipliedReportingOverflow(by: 12)
            guard !o else { throw PQDecodeError("value count overflow") }
            try need(b)
            pqReserve(&i64, extra: n)
            for i in 0 ..< n {
                let nanos = Int64(littleEndian: base.loadUnaligned(fromByteOffset: i * 12, as: Int64.self))
                let day = Int32(littleEndian: base.loadUnaligned(fromByteOffset: i * 12 + 8, as: Int32.self))
                i64.append((Int64(day) &- 2_440_588) &* 86_400_000_000_000 &+ nanos)
            }
            return b
        case .byteArray:
            // Pass 1: validate lengths and record offsets; pass 2: copy the bytes in one go.
            pqReserve(&bytes.offsets, extra: n)
            let base0 = bytes.bytes.count
            var pos = 0
            var total = 0
            for i in 0 ..< n {
                guard src.count - pos >= 4 else {
                    throw PQDecodeError("PLAIN byte array \(i) of \(n): length past the end of the data")
                }
                let len = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: UInt32.self)))
                pos += 4
                guard len <= src.count - pos else {
                    throw PQDecodeError("PLAIN byte array \(i) of \(n): length \(len) past the end of the data")
                }
                pos += len
                total += len
                bytes.offsets.append(base0 + total)
            }
            pqReserve(&bytes.bytes, extra: total)
            bytes.bytes.append(contentsOf: repeatElement(0, count: total))
            bytes.bytes.withUnsafeMutableBytes { dst in
                guard let d = dst.baseAddress else { return }
                var p = 0
                var out = base0
                for _ in 0 ..< n {
                    let len = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
                    (d + out).copyMemory(from: base + p + 4, byteCount: len)
                    p += 4 + len
                    out += len
                }
            }
            return pos
        case .fixedLenByteArray:
            let w = typeLength
            let (b, o) = n.multipliedReportingOverflow(by: w)
            guard !o else { throw PQDecodeError("value count overflow") }
            try need(b)
            pqReserve(&bytes.offsets, extra: n)
            bytes.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: src[0 ..< b]))
            var end = bytes.offsets.last ?? 0
            for _ in 0 ..< n {
                end += w
                bytes.offsets.append(end)
            }
            return b
        }
    }

    // MARK: Dictionary

    /// Appends dictionary entries `idx` (already range-checked against `dict`).
    mutating func appendFromDictionary(_ idx: UnsafeBufferPointer<Int32>, _ dict: PQValueBuffer, keepIndices: Bool) {
        let n = idx.count
        switch physical {
        case .boolean:
            pqReserve(&bools, extra: n)
            for i in idx { bools.append(dict.bools[Int(i)]) }
        case .int32: Self.gather(&i32, dict.i32, idx)
        case .int64, .int96: Self.gather(&i64, dict.i64, idx)
        case .float: Self.gather(&f32, dict.f32, idx)
        case .double: Self.gather(&f64, dict.f64, idx)
        case .byteArray, .fixedLenByteArray:
            if keepIndices, dictIndices != nil {
                dictIndices?.append(contentsOf: idx)
            } else {
                materializeDictionary(dict)
                pqReserve(&bytes.offsets, extra: n)
                for i in idx { bytes.append(bytes: dict.bytes.slice(Int(i))) }
            }
        }
    }

    @inline(__always)
    private static func gather<T: BitwiseCopyable>(_ out: inout [T], _ dict: [T], _ idx: UnsafeBufferPointer<Int32>) {
        pqReserve(&out, extra: idx.count)
        dict.withUnsafeBufferPointer { d in
            out.append(contentsOf: PQGather(dict: d, indices: idx))
        }
    }

    // MARK: Other encodings

    /// BYTE_STREAM_SPLIT: K byte streams of `n` bytes each.
    mutating func appendByteStreamSplit(_ src: UnsafeRawBufferPointer, count n: Int) throws {
        let k: Int
        switch physical {
        case .int32, .float: k = 4
        case .int64, .double: k = 8
        case .fixedLenByteArray: k = typeLength
        default: throw PQDecodeError("BYTE_STREAM_SPLIT is not valid for \(physical)")
        }
        guard n > 0 else { return }
        guard k > 0 else { throw PQDecodeError("BYTE_STREAM_SPLIT with zero-width values") }
        let (need, o) = n.multipliedReportingOverflow(by: k)
        guard !o, need <= src.count, let base = src.baseAddress else {
            throw PQDecodeError("BYTE_STREAM_SPLIT data holds \(src.count) bytes, \(n) values need \(n &* k)")
        }
        // Streams are src.count / k bytes long each (the section may hold exactly n values).
        let stride = src.count / k
        var tmp = [UInt8](repeating: 0, count: need)
        tmp.withUnsafeMutableBufferPointer { t in
            for j in 0 ..< k {
                let s = base + j * stride
                for i in 0 ..< n { t[i * k + j] = s.load(fromByteOffset: i, as: UInt8.self) }
            }
        }
        try tmp.withUnsafeBytes { _ = try appendPlain($0, count: n) }
    }

    /// DELTA_BINARY_PACKED integers; returns bytes consumed.
    mutating func appendDeltaBinaryPacked(_ src: UnsafeRawBufferPointer, count n: Int, scratch: inout [Int64]) throws {
        scratch.removeAll(keepingCapacity: true)
        _ = try PQDelta.decode(src, maxCount: n, into: &scratch)
        guard scratch.count == n else {
            throw PQDecodeError("DELTA_BINARY_PACKED holds \(scratch.count) values, page needs \(n)")
        }
        switch physical {
        case .int32:
            pqReserve(&i32, extra: n)
            for v in scratch { i32.append(Int32(truncatingIfNeeded: v)) }
        case .int64:
            i64.append(contentsOf: scratch)
        default: throw PQDecodeError("DELTA_BINARY_PACKED is not valid for \(physical)")
        }
    }

    /// DELTA_LENGTH_BYTE_ARRAY.
    mutating func appendDeltaLength(_ src: UnsafeRawBufferPointer, count n: Int, scratch: inout [Int64]) throws {
        guard physical == .byteArray else { throw PQDecodeError("DELTA_LENGTH_BYTE_ARRAY is not valid for \(physical)") }
        scratch.removeAll(keepingCapacity: true)
        let used = try PQDelta.decode(src, maxCount: n, into: &scratch)
        guard scratch.count == n else {
            throw PQDecodeError("DELTA_LENGTH_BYTE_ARRAY holds \(scratch.count) lengths, page needs \(n)")
        }
        var pos = used
        pqReserve(&bytes.offsets, extra: n)
        for l in scratch {
            guard l >= 0, l <= Int64(src.count - pos) else {
                throw PQDecodeError("DELTA_LENGTH_BYTE_ARRAY length \(l) past the end of the data")
            }
            let len = Int(l)
            bytes.append(bytes: UnsafeRawBufferPointer(rebasing: src[pos ..< pos + len]))
            pos += len
        }
    }

    /// DELTA_BYTE_ARRAY (incremental / front coding).
    mutating func appendDeltaByteArray(_ src: UnsafeRawBufferPointer, count n: Int, scratch: inout [Int64]) throws {
        guard physical == .byteArray || physical == .fixedLenByteArray else {
            throw PQDecodeError("DELTA_BYTE_ARRAY is not valid for \(physical)")
        }
        var prefixes: [Int64] = []
        let used1 = try PQDelta.decode(src, maxCount: n, into: &prefixes)
        guard prefixes.count == n else { throw PQDecodeError("DELTA_BYTE_ARRAY holds \(prefixes.count) prefix lengths, page needs \(n)") }
        scratch.removeAll(keepingCapacity: true)
        let rest = UnsafeRawBufferPointer(rebasing: src[used1...])
        let used2 = try PQDelta.decode(rest, maxCount: n, into: &scratch)
        guard scratch.count == n else { throw PQDecodeError("DELTA_BYTE_ARRAY holds \(scratch.count) suffix lengths, page needs \(n)") }
        var pos = used1 + used2
        var prev: [UInt8] = []
        var cur: [UInt8] = []
        pqReserve(&bytes.offsets, extra: n)
        for i in 0 ..< n {
            let p = prefixes[i], s = scratch[i]
            guard p >= 0, p <= Int64(prev.count) else {
                throw PQDecodeError("DELTA_BYTE_ARRAY prefix length \(p) longer than the previous value (\(prev.count))")
            }
            guard s >= 0, s <= Int64(src.count - pos) else {
                throw PQDecodeError("DELTA_BYTE_ARRAY suffix length \(s) past the end of the data")
            }
            cur.removeAll(keepingCapacity: true)
            cur.append(contentsOf: prev[0 ..< Int(p)])
            cur.append(contentsOf: UnsafeRawBufferPointer(rebasing: src[pos ..< pos + Int(s)]))
            pos += Int(s)
            if physical == .fixedLenByteArray, cur.count != typeLength {
                throw PQDecodeError("DELTA_BYTE_ARRAY value of \(cur.count) bytes in a FIXED_LEN_BYTE_ARRAY(\(typeLength)) column")
            }
            bytes.append(bytes: cur)
            swap(&prev, &cur)
        }
    }

    /// RLE-encoded booleans: u32 length prefix, then the hybrid with bit width 1.
    mutating func appendRLEBooleans(_ src: UnsafeRawBufferPointer, count n: Int) throws {
        guard physical == .boolean else { throw PQDecodeError("RLE value encoding is only valid for BOOLEAN, not \(physical)") }
        guard src.count >= 4, let base = src.baseAddress else { throw PQDecodeError("RLE booleans lack their length prefix") }
        let len = Int(UInt32(littleEndian: base.loadUnaligned(as: UInt32.self)))
        guard len <= src.count - 4 else { throw PQDecodeError("RLE boolean length \(len) past the end of the data") }
        let body = UnsafeRawBufferPointer(rebasing: src[4 ..< 4 + len])
        let v: [UInt8] = try PQHybrid.decode(body, bitWidth: 1, count: n)
        pqReserve(&bools, extra: n)
        for b in v { bools.append(b != 0) }
    }
}

/// `count` fixed-width values read from raw little-endian bytes. `Array.append(contentsOf:)` of it
/// is a single memcpy into the array's spare capacity.
struct PQRawValues<T: BitwiseCopyable>: Sequence {
    let base: UnsafeRawPointer
    let count: Int

    struct Iterator: IteratorProtocol {
        let base: UnsafeRawPointer
        let count: Int
        var i: Int
        mutating func next() -> T? {
            guard i < count else { return nil }
            defer { i += 1 }
            return base.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.stride, as: T.self)
        }
    }

    var underestimatedCount: Int { count }
    func makeIterator() -> Iterator { Iterator(base: base, count: count, i: 0) }

    func _copyContents(initializing buf: UnsafeMutableBufferPointer<T>) -> (Iterator, UnsafeMutableBufferPointer<T>.Index) {
        let n = Swift.min(count, buf.count)
        if n > 0, let d = buf.baseAddress {
            UnsafeMutableRawPointer(d).copyMemory(from: base, byteCount: n * MemoryLayout<T>.stride)
        }
        return (Iterator(base: base, count: count, i: n), n)
    }
}

/// Dictionary entries picked by indices already checked to be in range. Appending it to an array
/// gathers straight into the array's spare capacity.
struct PQGather<T: BitwiseCopyable>: Sequence {
    let dict: UnsafeBufferPointer<T>
    let indices: UnsafeBufferPointer<Int32>

    struct Iterator: IteratorProtocol {
        let dict: UnsafeBufferPointer<T>
        let indices: UnsafeBufferPointer<Int32>
        var i: Int
        mutating func next() -> T? {
            guard i < indices.count else { return nil }
            defer { i += 1 }
            return dict[Int(indices[i])]
        }
    }

    var underestimatedCount: Int { indices.count }
    func makeIterator() -> Iterator { Iterator(dict: dict, indices: indices, i: 0) }

    func _copyContents(initializing buf: UnsafeMutableBufferPointer<T>) -> (Iterator, UnsafeMutableBufferPointer<T>.Index) {
        let n = Swift.min(indices.count, buf.count)
        guard n > 0, let d = buf.baseAddress, let src = dict.baseAddress, let ix = indices.baseAddress else {
            return (Iterator(dict: dict, indices: indices, i: 0), 0)
        }
        // Tight loop: indices were range-checked by the caller.
        for i in 0 ..< n { (d + i).initialize(to: src[Int(ix[i])]) }
        return (Iterator(dict: dict, indices: indices, i: n), n)
    }
}
