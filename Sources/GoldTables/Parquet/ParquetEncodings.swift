/// Low-level Parquet decoders: RLE/bit-packed hybrid, DELTA_BINARY_PACKED and the bit reader they
/// share. All work on raw buffers, check every length and never read past the end.
enum PQEncoding {
    static let plain: Int32 = 0
    static let plainDictionary: Int32 = 2
    static let rle: Int32 = 3
    static let bitPacked: Int32 = 4
    static let deltaBinaryPacked: Int32 = 5
    static let deltaLengthByteArray: Int32 = 6
    static let deltaByteArray: Int32 = 7
    static let rleDictionary: Int32 = 8
    static let byteStreamSplit: Int32 = 9

    static func name(_ e: Int32) -> String {
        switch e {
        case 0: "PLAIN"
        case 2: "PLAIN_DICTIONARY"
        case 3: "RLE"
        case 4: "BIT_PACKED"
        case 5: "DELTA_BINARY_PACKED"
        case 6: "DELTA_LENGTH_BYTE_ARRAY"
        case 7: "DELTA_BYTE_ARRAY"
        case 8: "RLE_DICTIONARY"
        case 9: "BYTE_STREAM_SPLIT"
        case 10: "ALP"
        default: "encoding \(e)"
        }
    }
}

/// Reads `width` bits (0...64) starting at bit `bitOffset` of `p[0..<len]`, LSB-first. Bytes past
/// `len` read as zero.
@inline(__always)
func pqBits(_ p: UnsafeRawPointer, _ len: Int, bitOffset: Int, width: Int) -> UInt64 {
    if width == 0 { return 0 }
    let byte = bitOffset >> 3
    let shift = bitOffset & 7
    var v: UInt64
    if byte + 8 <= len {
        v = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: byte, as: UInt64.self)) >> UInt64(shift)
        if shift + width > 64 {
            let extra: UInt64 = byte + 8 < len ? UInt64(p.load(fromByteOffset: byte + 8, as: UInt8.self)) : 0
            v |= extra << UInt64(64 - shift)
        }
    } else {
        v = 0
        var i = 0
        while byte + i < len && i < 9 {
            let b = UInt64(p.load(fromByteOffset: byte + i, as: UInt8.self))
            if i == 0 { v = b >> UInt64(shift) } else {
                let s = 8 * i - shift
                if s < 64 { v |= b << UInt64(s) }
            }
            i += 1
        }
    }
    return width == 64 ? v : v & ((1 << UInt64(width)) - 1)
}

enum PQHybrid {
    /// Decodes `count` values of the RLE/bit-packing hybrid (no length prefix) into `dst`; returns
    /// the bytes consumed. Values wider than `T` are truncated (callers check ranges).
    static func decode<T: FixedWidthInteger>(_ src: UnsafeRawBufferPointer, bitWidth bw: Int, count: Int,
                                             into dst: UnsafeMutablePointer<T>) throws -> Int {
        guard bw >= 0 && bw <= 32 else { throw PQDecodeError("RLE bit width \(bw) is greater than 32") }
        guard count > 0 else { return 0 }
        guard let base = src.baseAddress else { throw PQDecodeError("RLE data is empty but \(count) values are expected") }
        let len = src.count
        let byteWidth = (bw + 7) / 8
        var pos = 0
        var produced = 0
        while produced < count {
            // Header varint.
            var header: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard pos < len else {
                    throw PQDecodeError("RLE data ends after \(produced) of \(count) values")
                }
                let b = src[pos]
                pos += 1
                header |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { break }
                shift += 7
                guard shift < 64 else { throw PQDecodeError("RLE run header varint too long") }
            }
            let want = count - produced
            if header & 1 == 0 {
                let run = header >> 1
                guard byteWidth <= len - pos else { throw PQDecodeError("RLE run value past the end of the data") }
                var v: UInt64 = 0
                for i in 0 ..< byteWidth { v |= UInt64(src[pos + i]) << UInt64(8 * i) }
                pos += byteWidth
                let n = run >= UInt64(want) ? want : Int(run)
                let t = T(truncatingIfNeeded: v)
                (dst + produced).update(repeating: t, count: n)
                produced += n
            } else {
                let groups = header >> 1
                let n: Int
                let bytes: Int
                if bw == 0 {
                    n = groups >= UInt64(want) ? want : min(want, Int(groups) * 8)
                    bytes = 0
                    (dst + produced).update(repeating: 0, count: n)
                } else {
                    // Only as many bytes as present (the last run may be cut short by some writers).
                    let avail = len - pos
                    let full = groups > UInt64(avail) ? avail : min(avail, Int(groups) * bw)
                    let valuesInRun = groups > UInt64(Int.max / 8) ? Int.max : Int(groups) * 8
                    let valuesAvail = full * 8 / bw
                    n = min(want, valuesInRun, valuesAvail)
                    guard n > 0 || groups == 0 else {
                        throw PQDecodeError("bit-packed run past the end of the data")
                    }
                    bytes = full
                    let p = base + pos
                    let out = dst + produced
                    if bw == 1 {
                        for i in 0 ..< n {
                            out[i] = T(truncatingIfNeeded: (p.load(fromByteOffset: i >> 3, as: UInt8.self) >> UInt8(i & 7)) & 1)
                        }
                    } else {
                        // bw <= 32 and a bit shift <= 7: one unaligned 8-byte load holds each value.
                        let mask: UInt64 = (1 << UInt64(bw)) - 1
                        // Values whose 8-byte window lies inside the run: (i * bw) / 8 <= bytes - 8.
                        let nFast = bytes >= 8 ? min(n, ((bytes - 8) * 8 + 7) / bw + 1) : 0
                        for i in 0 ..< nFast {
                            let bit = i &* bw
                            let w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self))
                            out[i] = T(truncatingIfNeeded: (w &>> UInt64(bit & 7)) & mask)
                        }
                        var i = nFast
                        var bit = nFast * bw
                        while i < n {
                            out[i] = T(truncatingIfNeeded: pqBits(p, bytes, bitOffset: bit, width: bw))
                            bit += bw
                            i += 1
                        }
                    }
                }
                pos += bytes
                produced += n
            }
        }
        return pos
    }

    /// Decodes into a new array.
    static func decode<T: FixedWidthInteger>(_ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int, as: T.Type = T.self) throws -> [T] {
        guard count > 0 else { return [] }
        var out = [T](repeating: 0, count: count)
        _ = try out.withUnsafeMutableBufferPointer { b in
            guard let p = b.baseAddress else { return 0 }
            return try decode(src, bitWidth: bitWidth, count: count, into: p)
        }
        return out
    }
}

enum PQDelta {
    private static func varint(_ src: UnsafeRawBufferPointer, _ pos: inout Int) throws -> UInt64 {
        var r: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard pos < src.count else { throw PQDecodeError("DELTA_BINARY_PACKED header past the end of the data") }
            let b = src[pos]
            pos += 1
            r |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return r }
            shift += 7
            guard shift < 64 else { throw PQDecodeError("DELTA_BINARY_PACKED varint too long") }
        }
    }

    private static func zigzag(_ u: UInt64) -> Int64 {
        Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    /// Decodes a DELTA_BINARY_PACKED stream into `out` (appending, with wrapping Int64 arithmetic;
    /// callers truncate to Int32 for INT32 columns). At most `maxCount` values are accepted.
    /// Returns the bytes consumed (up to the end of the last miniblock holding values).
    static func decode(_ src: UnsafeRawBufferPointer, maxCount: Int, into out: inout [Int64]) throws -> Int {
        var pos = 0
        let blockSize = try varint(src, &pos)
        let miniblocks = try varint(src, &pos)
        let total = try varint(src, &pos)
        var value = zigzag(try varint(src, &pos))
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20 else {
            throw PQDecodeError("DELTA_BINARY_PACKED block size \(blockSize) is not a positive multiple of 128")
        }
        guard miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 8 == 0 else {
            throw PQDecodeError("DELTA_BINARY_PACKED has \(miniblocks) miniblocks per block of \(blockSize)")
        }
        guard total <= UInt64(maxCount) else {
            throw PQDecodeError("DELTA_BINARY_PACKED holds \(total) values, at most \(maxCount) expected")
        }
        let perMini = Int(blockSize / miniblocks)
        let nMini = Int(miniblocks)
        var remaining = Int(total)
        if remaining == 0 { return pos }
        pqReserve(&out, extra: remaining)
        out.append(value)
        remaining -= 1
        guard let base = src.baseAddress else { return pos }
        while remaining > 0 {
            let minDelta = zigzag(try varint(src, &pos))
            guard nMini <= src.count - pos else { throw PQDecodeError("DELTA_BINARY_PACKED bit widths past the end of the data") }
            let widthsAt = pos
            pos += nMini
            for m in 0 ..< nMini where remaining > 0 {
                let w = Int(src[widthsAt + m])
                guard w <= 64 else { throw PQDecodeError("DELTA_BINARY_PACKED bit width \(w) is greater than 64") }
                let bytes = perMini * w / 8
                let n = min(perMini, remaining)
                let avail = src.count - pos
                guard (n * w + 7) / 8 <= avail else {
                    throw PQDecodeError("DELTA_BINARY_PACKED miniblock past the end of the data")
                }
                let p = base + pos
                let plen = min(bytes, avail)
                var bit = 0
                for _ in 0 ..< n {
                    let d = pqBits(p, plen, bitOffset: bit, width: w)
                    bit += w
                    value = value &+ minDelta &+ Int64(bitPattern: d)
                    out.append(value)
                }
                pos += plen
                remaining -= n
            }
        }
        return pos
    }
}
