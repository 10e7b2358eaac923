import Testing
@testable import GoldTables

@Suite struct CodecTests {
    /// Seeded, compressible bytes: a repeated vocabulary with random picks.
    static func sample(_ n: Int, seed: UInt64) -> [UInt8] {
        var s = seed
        let words: [[UInt8]] = ["alpha", "beta", "gamma", "delta", "0123456789"].map { Array($0.utf8) }
        var out: [UInt8] = []
        while out.count < n {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            out.append(contentsOf: words[Int(s >> 33) % words.count])
            out.append(UInt8(truncatingIfNeeded: s >> 13))
        }
        return Array(out.prefix(n))
    }

    @Test(arguments: [CompressionCodec.uncompressed, .snappy, .gzip, .zstd, .lz4Raw, .brotli])
    func roundTrips(codec: CompressionCodec) throws {
        for n in [0, 1, 100, 70_000] {
            let input = Self.sample(n, seed: UInt64(n) + 1)
            let packed = try Codec.compress(input, codec: codec)
            if n == 70_000 && codec != .uncompressed { #expect(packed.count < n / 2) }
            let back = try Codec.decompress(packed, codec: codec, uncompressedSize: n)
            #expect(back == input)
        }
    }

    @Test(arguments: [CompressionCodec.snappy, .gzip, .zstd, .lz4Raw, .brotli])
    func corruptOrMisSizedInputThrows(codec: CompressionCodec) throws {
        let input = Self.sample(5000, seed: 9)
        var packed = try Codec.compress(input, codec: codec)
        // A wrong declared size is an error, never silently accepted.
        #expect(throws: CodecError.self) { try Codec.decompress(packed, codec: codec, uncompressedSize: 4000) }
        // Truncated input is an error.
        packed.removeLast(packed.count / 2)
        #expect(throws: CodecError.self) { try Codec.decompress(packed, codec: codec, uncompressedSize: 5000) }
    }

    @Test func hadoopFramedLZ4() throws {
        let input = Self.sample(3000, seed: 4)
        let block = try Codec.compress(input, codec: .lz4Raw)
        func be(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        let framed = be(input.count) + be(block.count) + block
        #expect(try Codec.decompress(framed, codec: .lz4, uncompressedSize: 3000) == input)
        // Raw fallback (old parquet-cpp wrote codec 5 as a bare block).
        #expect(try Codec.decompress(block, codec: .lz4, uncompressedSize: 3000) == input)
    }

    @Test func crc32MatchesKnownValue() {
        // CRC-32 of "123456789" is 0xCBF43926 (the standard check value).
        let v = Array("123456789".utf8).withUnsafeBytes { Codec.crc32($0) }
        #expect(v == 0xCBF4_3926)
        // In pieces (continuing) and in small chunks (the path a buffer over 4 GiB takes): same value.
        let bytes = Self.sample(10_000, seed: 4)
        let whole = bytes.withUnsafeBytes { Codec.crc32($0) }
        bytes.withUnsafeBytes { raw in
            let first = Codec.crc32(UnsafeRawBufferPointer(rebasing: raw[..<3333]))
            #expect(Codec.crc32(UnsafeRawBufferPointer(rebasing: raw[3333...]), continuing: first) == whole)
            #expect(Codec.crc32(raw, continuing: 0, chunk: 7) == whole)
        }
    }
}
