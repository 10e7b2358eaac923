import Foundation
import Linalg
import ModelPackage
import Testing

@Suite struct TensorFileTests {
    func path(_ name: String = "t.mltensor") throws -> String {
        try TestPaths.tempDir("tensor").appendingPathComponent(name).path
    }

    @Test func everyDtypeAndRankRoundTrips() throws {
        let cases: [TensorData] = [
            TensorData(vector: [Float(1.5), -2, 3.25]),
            try TensorData(shape: [2, 3], values: [1.0, 2, 3, 4, 5, 6]),
            try TensorData(shape: [2, 1, 2], values: [Int32.min, -1, 0, Int32.max]),
            try TensorData(shape: [], values: [Int64.max]),
            try TensorData(shape: [0, 5], values: [Double]()),
        ]
        for t in cases {
            let p = try path()
            let written = try TensorFile.write(t, to: p)
            let (back, file) = try TensorFile.read(p)
            #expect(back == t)
            #expect(file.bytes == written.bytes && file.sha256 == written.sha256)
            #expect(file.bytes == 32 + 8 * t.shape.count + t.count * t.dtype.byteWidth)
        }
    }

    /// The byte layout, checked byte by byte against the documented format.
    @Test func headerLayoutIsAsDocumented() throws {
        let p = try path()
        try TensorFile.write(try TensorData(shape: [2, 1], values: [Float(1), -2]), to: p)
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: p)))
        #expect(b.count == 32 + 16 + 8)
        #expect(Array(b[0 ..< 8]) == [0x89, 0x4D, 0x4C, 0x54, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(b[8 ..< 16]) == [1, 0, 1, 2, 0, 0, 0, 0])            // version 1, float32, rank 2
        #expect(Array(b[16 ..< 32]) == [2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(b[32 ..< 40]) == [8, 0, 0, 0, 0, 0, 0, 0])           // payload bytes
        let payload = Array(b[48...])
        #expect(payload == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0]) // 1.0f, -2.0f little-endian
        let le32 = { (i: Int) in UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24 }
        #expect(le32(40) == CRC32.checksum(payload))
        #expect(le32(44) == CRC32.checksum(Array(b[0 ..< 44])))
    }

    /// A header rewritten with `edit`, its header CRC recomputed so only the edit is wrong.
    func forged(_ edit: (inout [UInt8]) -> Void, rank: Int = 2) throws -> String {
        let p = try path()
        try TensorFile.write(try TensorData(shape: [2, 2], values: [1.0, 2, 3, 4]), to: p)
        var b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: p)))
        edit(&b)
        let h = 28 + 8 * rank
        let crc = CRC32.checksum(Array(b[0 ..< h]))
        for i in 0 ..< 4 { b[h + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        try Data(b).write(to: URL(fileURLWithPath: p))
        return p
    }

    func message(_ p: String) -> String {
        Damage.error { _ = try TensorFile.read(p) }?.description ?? "no error"
    }

    @Test func hugeShapeIsAnErrorNotAnAllocation() throws {
        // 2^30 × 2^30 = 2^60 elements, payload length claiming the matching 2^63 bytes.
        let p = try forged { b in
            for i in 16 ..< 32 { b[i] = 0 }
            b[16 + 3] = 0x40; b[24 + 3] = 0x40
            for i in 32 ..< 40 { b[i] = 0 }
            b[39] = 0x80
        }
        let m = message(p)
        #expect(m.hasPrefix(p + ": "))
        #expect(m.contains("more bytes than can be addressed"))

        // 2^60 float64 elements ... and one claimed by a single dimension with a consistent length.
        let q = try forged({ b in
            for i in 16 ..< 24 { b[i] = 0 }
            b[16 + 7] = 0x10                     // dim0 = 2^60
            for i in 24 ..< 32 { b[i] = 0 }
            b[24] = 1                            // dim1 = 1
            for i in 32 ..< 40 { b[i] = 0 }
            b[32 + 7] = 0x80                     // 2^63 bytes: still overflows Int
        })
        #expect(message(q).contains("can be addressed"))

        // 2^28 elements (2 GiB claimed) with a consistent length: truncated, no allocation.
        let r = try forged { b in
            for i in 16 ..< 40 { b[i] = 0 }
            b[16 + 3] = 0x10                     // 2^28
            b[24] = 1
            b[32 + 3] = 0x80                     // 2^31 bytes
        }
        #expect(message(r).contains("truncated: payload has 32 of 2147483648 bytes"))
    }

    @Test func damagedFilesGiveClearErrors() throws {
        let good = try path()
        try TensorFile.write(try TensorData(shape: [2, 2], values: [1.0, 2, 3, 4]), to: good)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        func variant(_ b: [UInt8]) throws -> String {
            let p = try path()
            try Data(b).write(to: URL(fileURLWithPath: p))
            return p
        }
        var bad = bytes; bad[1] = 0x58
        #expect(message(try variant(bad)).contains("bad magic"))
        #expect(message(try variant(Array("{\"not\": \"a tensor\"}".utf8))).contains("bad magic"))
        #expect(message(try variant([0x89, 0x4D])).contains("shorter than the 8-byte magic"))
        #expect(message(try variant(Array(bytes[0 ..< 20]))).contains("truncated"))
        #expect(message(try variant(Array(bytes[0 ..< 60]))).contains("truncated: payload has 12 of 32 bytes"))
        #expect(message(try variant(bytes + [0])).contains("1 unexpected bytes after"))
        bad = bytes; bad[bytes.count - 1] ^= 0x01
        #expect(message(try variant(bad)).contains("payload checksum mismatch"))
        bad = bytes; bad[16] = 3   // shape [3, 2]: header CRC catches it
        #expect(message(try variant(bad)).contains("header checksum mismatch"))
        #expect(message(try forged { $0[8] = 2 }).contains("tensor format version 2 is newer"))
        #expect(message(try forged { $0[10] = 9 }).contains("unknown dtype code 9"))
        #expect(message(try forged { $0[16] = 3 }).contains("needs 48 payload bytes but the header declares 32"))
        #expect(message(try path("missing.mltensor")).contains("file is missing"))
    }
}
