import Testing
@testable import GoldTables

/// The spare-capacity appends behind the Parquet scan fast paths (PQRawValues, PQGather).
@Suite struct ParquetFastAppendTests {
    /// Deterministic bytes (xorshift64*).
    static func bytes(_ n: Int, seed: UInt64) -> [UInt8] {
        var x = seed | 1
        return (0 ..< n).map { _ in
            x ^= x >> 12; x ^= x << 25; x ^= x >> 27
            return UInt8(truncatingIfNeeded: (x &* 0x2545_F491_4F6C_DD1D) >> 56)
        }
    }

    /// Appends `count` values read from byte `offset` (unaligned) to an array that already holds
    /// values and has no spare capacity, and checks them against element-wise loads.
    func checkRaw<T: BitwiseCopyable & Equatable>(_: T.Type, offset: Int, count: Int, prefix: [T]) {
        let raw = Self.bytes(offset + count * MemoryLayout<T>.stride + 3, seed: UInt64(offset * 1000 + count))
        raw.withUnsafeBytes { buf in
            guard let base = buf.baseAddress else { return }
            var arr = prefix
            arr.append(contentsOf: PQRawValues<T>(base: base + offset, count: count))
            var want = prefix
            for i in 0 ..< count {
                want.append(buf.loadUnaligned(fromByteOffset: offset + i * MemoryLayout<T>.stride, as: T.self))
            }
            #expect(arr.count == prefix.count + count)
            // Bitwise comparison (NaN bit patterns compare equal to themselves).
            let same = arr.elementsEqual(want) { x, y in
                withUnsafeBytes(of: x) { a in withUnsafeBytes(of: y) { b in a.elementsEqual(b) } }
            }
            #expect(same)
            // The plain iterator yields the same values.
            #expect(Array(PQRawValues<T>(base: base + offset, count: count)).count == count)
        }
    }

    @Test func rawValuesAppendMatchesUnalignedLoads() {
        for offset in [0, 1, 3, 7] {
            for count in [0, 1, 5, 1000] {
                checkRaw(Int64.self, offset: offset, count: count, prefix: [1, 2, 3])
                checkRaw(Double.self, offset: offset, count: count, prefix: [])
                checkRaw(Int32.self, offset: offset, count: count, prefix: [9])
                checkRaw(Float.self, offset: offset, count: count, prefix: [0.5])
            }
        }
    }

    @Test func gatherAppendMatchesDictionaryLookups() {
        let dict: [Int64] = (0 ..< 300).map { Int64($0) * 7_919 - 1_000_000 }
        let raw = Self.bytes(4000, seed: 42)
        let idx: [Int32] = stride(from: 0, to: raw.count, by: 2).map { Int32((Int(raw[$0]) << 8 | Int(raw[$0 + 1])) % dict.count) }
        var out: [Int64] = [5]
        dict.withUnsafeBufferPointer { d in
            idx.withUnsafeBufferPointer { ix in out.append(contentsOf: PQGather(dict: d, indices: ix)) }
        }
        #expect(out == [5] + idx.map { dict[Int($0)] })
        let doubles = dict.map { Double($0) / 3 }
        let viaIterator: [Double] = doubles.withUnsafeBufferPointer { d in
            idx.withUnsafeBufferPointer { ix in Array(PQGather(dict: d, indices: ix).makeIterator().map { $0 }) }
        }
        #expect(viaIterator == idx.map { doubles[Int($0)] })
    }

    /// One bit-packed run of `values` (padded to groups of 8), LSB-first, as an independent packer.
    static func bitPacked(_ values: [UInt32], width: Int) -> [UInt8] {
        let groups = (values.count + 7) / 8
        var out: [UInt8] = []
        var h = UInt64(groups) << 1 | 1
        while h >= 0x80 { out.append(UInt8(h & 0x7F) | 0x80); h >>= 7 }
        out.append(UInt8(h))
        var bits = [Bool]()
        for i in 0 ..< groups * 8 {
            let v = i < values.count ? values[i] : 0
            for b in 0 ..< width { bits.append((v >> UInt32(b)) & 1 == 1) }
        }
        for i in stride(from: 0, to: bits.count, by: 8) {
            var byte: UInt8 = 0
            for b in 0 ..< 8 where bits[i + b] { byte |= 1 << UInt8(b) }
            out.append(byte)
        }
        return out
    }

    @Test func bitPackedRunsDecodeAtEveryWidth() throws {
        for width in 1 ... 32 {
            for count in [1, 7, 8, 9, 63, 64, 65, 1000] {
                let raw = Self.bytes(count * 4, seed: UInt64(width * 10_000 + count))
                let values: [UInt32] = (0 ..< count).map { i in
                    let v = UInt32(raw[4 * i]) | UInt32(raw[4 * i + 1]) << 8 | UInt32(raw[4 * i + 2]) << 16 | UInt32(raw[4 * i + 3]) << 24
                    return width == 32 ? v : v & ((1 << UInt32(width)) - 1)
                }
                let enc = Self.bitPacked(values, width: width)
                let got: [Int32] = try enc.withUnsafeBytes { try PQHybrid.decode($0, bitWidth: width, count: count) }
                #expect(got.map { UInt32(bitPattern: $0) } == values, "width \(width), count \(count)")
            }
        }
    }

    @Test func retainFreedMemoryIsAcceptedByGlibc() {
        #if os(Linux)
        #expect(GoldMemory.retainFreedMemory())
        #endif
    }
}

extension PQGather.Iterator {
    /// Drains the iterator (exercises `next()`).
    func map<U>(_ f: (T) -> U) -> [U] {
        var it = self
        var out: [U] = []
        while let v = it.next() { out.append(f(v)) }
        return out
    }
}
