import CCompression

/// Parquet's compression codecs (the `CompressionCodec` enum of parquet.thrift).
public enum CompressionCodec: Int32, Sendable, Hashable, Codable, CaseIterable {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    /// Hadoop-framed LZ4 (deprecated; Spark's `lz4`).
    case lz4 = 5
    case zstd = 6
    /// Raw LZ4 block (pyarrow's `lz4`).
    case lz4Raw = 7

    public var name: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    /// Parses `snappy`, `zstd`, `gzip`, `lz4_raw`, `brotli`, `none`/`uncompressed` (any case).
    public init?(name: String) {
        switch name.lowercased() {
        case "none", "uncompressed": self = .uncompressed
        case "snappy": self = .snappy
        case "gzip": self = .gzip
        case "brotli": self = .brotli
        case "lz4": self = .lz4
        case "zstd": self = .zstd
        case "lz4_raw", "lz4raw": self = .lz4Raw
        default: return nil
        }
    }
}

/// A codec failed: corrupt input, a size that does not match, or an unsupported codec.
public struct CodecError: Error, Sendable, Hashable, CustomStringConvertible {
    public var codec: CompressionCodec
    public var message: String
    public init(_ codec: CompressionCodec, _ message: String) {
        self.codec = codec
        self.message = message
    }
    public var description: String { "\(codec.name): \(message)" }
}

/// Compression and decompression through Debian's C libraries (snappy, zstd, zlib, lz4, brotli).
///
/// ```swift
/// let packed = try Codec.compress(bytes, codec: .zstd)
/// let back = try Codec.decompress(packed, codec: .zstd, uncompressedSize: bytes.count)
/// ```
public enum Codec {
    /// A valid address for zero-length buffers (whose `baseAddress` may be nil); never read or written.
    nonisolated(unsafe) private static let emptyBuffer = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16)
    /// Decompresses `input` into exactly `uncompressedSize` bytes; any other size is an error.
    public static func decompress(_ input: UnsafeRawBufferPointer, codec: CompressionCodec, uncompressedSize: Int) throws -> [UInt8] {
        guard uncompressedSize >= 0 else { throw CodecError(codec, "negative uncompressed size \(uncompressedSize)") }
        if codec == .uncompressed {
            guard input.count == uncompressedSize else {
                throw CodecError(codec, "page holds \(input.count) bytes, header says \(uncompressedSize)")
            }
            return Array(input)
        }
        var out = [UInt8](repeating: 0, count: uncompressedSize)
        let produced: Int = try out.withUnsafeMutableBytes { dst in
            try decompress(input, codec: codec, into: dst)
        }
        guard produced == uncompressedSize else {
            throw CodecError(codec, "decompressed to \(produced) bytes, header says \(uncompressedSize)")
        }
        return out
    }

    public static func decompress(_ input: [UInt8], codec: CompressionCodec, uncompressedSize: Int) throws -> [UInt8] {
        try input.withUnsafeBytes { try decompress($0, codec: codec, uncompressedSize: uncompressedSize) }
    }

    /// Decompresses into `dst` (its size is the expected output size); returns the bytes produced.
    public static func decompress(_ src: UnsafeRawBufferPointer, codec: CompressionCodec, into dst: UnsafeMutableRawBufferPointer) throws -> Int {
        let srcBase = src.baseAddress ?? UnsafeRawPointer(emptyBuffer)
        let dstBase = dst.baseAddress ?? emptyBuffer
        switch codec {
        case .uncompressed:
            guard src.count <= dst.count else { throw CodecError(codec, "output larger than expected") }
            dst.copyMemory(from: src)
            return src.count
        case .snappy:
            var n = 0
            guard snappy_uncompressed_length(srcBase.assumingMemoryBound(to: CChar.self), src.count, &n) == SNAPPY_OK else {
                throw CodecError(codec, "corrupt snappy preamble")
            }
            guard n <= dst.count else { throw CodecError(codec, "decompresses to \(n) bytes, expected \(dst.count)") }
            var len = dst.count
            guard snappy_uncompress(srcBase.assumingMemoryBound(to: CChar.self), src.count,
                                    dstBase.assumingMemoryBound(to: CChar.self), &len) == SNAPPY_OK else {
                throw CodecError(codec, "corrupt snappy data")
            }
            return len
        case .zstd:
            let r = ZSTD_decompress(dstBase, dst.count, srcBase, src.count)
            guard ZSTD_isError(r) == 0 else {
                throw CodecError(codec, String(cString: ZSTD_getErrorName(r)))
            }
            return r
        case .gzip:
            return try inflateGzip(src, into: dst)
        case .lz4Raw:
            guard src.count <= Int(Int32.max), dst.count <= Int(Int32.max) else { throw CodecError(codec, "page too large") }
            let r = LZ4_decompress_safe(srcBase.assumingMemoryBound(to: CChar.self), dstBase.assumingMemoryBound(to: CChar.self),
                                        Int32(src.count), Int32(dst.count))
            guard r >= 0 else { throw CodecError(codec, "corrupt LZ4 block") }
            return Int(r)
        case .lz4:
            if let n = try? lz4Hadoop(src, into: dst) { return n }
            return try decompress(src, codec: .lz4Raw, into: dst)
        case .brotli:
            var len = dst.count
            let r = BrotliDecoderDecompress(src.count, srcBase.assumingMemoryBound(to: UInt8.self), &len,
                                            dstBase.assumingMemoryBound(to: UInt8.self))
            guard r == BROTLI_DECODER_RESULT_SUCCESS else { throw CodecError(codec, "corrupt brotli data") }
            return len
        case .lzo:
            throw CodecError(codec, "LZO is not supported (no supported writer emits it)")
        }
    }

    /// Hadoop framing: repeated {u32 BE raw length, u32 BE compressed length, LZ4 block}.
    private static func lz4Hadoop(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer) throws -> Int {
        var inPos = 0
        var outPos = 0
        func be32(_ at: Int) -> Int {
            Int(src[at]) << 24 | Int(src[at + 1]) << 16 | Int(src[at + 2]) << 8 | Int(src[at + 3])
        }
        while inPos < src.count {
            guard inPos + 8 <= src.count else { throw CodecError(.lz4, "truncated Hadoop LZ4 frame") }
            let rawLen = be32(inPos)
            let compLen = be32(inPos + 4)
            inPos += 8
            guard compLen <= src.count - inPos, rawLen <= dst.count - outPos else {
                throw CodecError(.lz4, "Hadoop LZ4 frame lengths past the end")
            }
            let block = UnsafeRawBufferPointer(rebasing: src[inPos ..< inPos + compLen])
            let out = UnsafeMutableRawBufferPointer(rebasing: dst[outPos ..< outPos + rawLen])
            let n = try decompress(block, codec: .lz4Raw, into: out)
            guard n == rawLen else { throw CodecError(.lz4, "Hadoop LZ4 frame size mismatch") }
            inPos += compLen
            outPos += n
        }
        return outPos
    }

    private static func inflateGzip(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer) throws -> Int {
        var strm = z_stream()
        // 15 + 32: zlib or gzip header, detected automatically.
        guard inflateInit2_(&strm, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CodecError(.gzip, "inflateInit failed")
        }
        defer { inflateEnd(&strm) }
        var inPos = 0
        var outPos = 0
        while true {
            let availIn = src.count - inPos
            let availOut = dst.count - outPos
            strm.next_in = UnsafeMutablePointer(mutating: src.baseAddress.map { $0.assumingMemoryBound(to: Bytef.self) + inPos })
            strm.avail_in = uInt(min(availIn, Int(UInt32.max)))
            strm.next_out = dst.baseAddress.map { $0.assumingMemoryBound(to: Bytef.self) + outPos }
            strm.avail_out = uInt(min(availOut, Int(UInt32.max)))
            let before = (strm.avail_in, strm.avail_out)
            let r = inflate(&strm, Z_NO_FLUSH)
            inPos += Int(before.0 - strm.avail_in)
            outPos += Int(before.1 - strm.avail_out)
            if r == Z_STREAM_END {
                // Multi-member gzip: continue with the next member if input remains.
                if inPos < src.count, outPos < dst.count {
                    guard inflateReset(&strm) == Z_OK else { throw CodecError(.gzip, "inflateReset failed") }
                    continue
                }
                return outPos
            }
            guard r == Z_OK || (r == Z_BUF_ERROR && before != (strm.avail_in, strm.avail_out)) else {
                throw CodecError(.gzip, "corrupt deflate data (zlib error \(r))")
            }
            if strm.avail_in == 0 && inPos >= src.count { throw CodecError(.gzip, "truncated gzip data") }
            if outPos >= dst.count && strm.avail_in > 0 { throw CodecError(.gzip, "output larger than expected") }
        }
    }

    /// Compresses `input` with `codec` (`level` where the codec has one: zstd 1–22, gzip 1–9,
    /// brotli 0–11; nil is the library default).
    public static func compress(_ input: UnsafeRawBufferPointer, codec: CompressionCodec, level: Int? = nil) throws -> [UInt8] {
        let srcBase = input.baseAddress ?? UnsafeRawPointer(emptyBuffer)
        switch codec {
        case .uncompressed:
            return Array(input)
        case .snappy:
            var cap = snappy_max_compressed_length(input.count)
            var out = [UInt8](repeating: 0, count: cap)
            let ok = out.withUnsafeMutableBytes { dst in
                snappy_compress(srcBase.assumingMemoryBound(to: CChar.self), input.count,
                                (dst.baseAddress ?? emptyBuffer).assumingMemoryBound(to: CChar.self), &cap) == SNAPPY_OK
            }
            guard ok else { throw CodecError(codec, "compression failed") }
            out.removeSubrange(cap...)
            return out
        case .zstd:
            let cap = ZSTD_compressBound(input.count)
            var out = [UInt8](repeating: 0, count: cap)
            let r = out.withUnsafeMutableBytes { dst in
                ZSTD_compress((dst.baseAddress ?? emptyBuffer), cap, srcBase, input.count, Int32(level ?? 3))
            }
            guard ZSTD_isError(r) == 0 else { throw CodecError(codec, String(cString: ZSTD_getErrorName(r))) }
            out.removeSubrange(r...)
            return out
        case .lz4Raw:
            guard input.count <= Int(LZ4_MAX_INPUT_SIZE) else { throw CodecError(codec, "input too large") }
            let cap = Int(LZ4_compressBound(Int32(input.count)))
            var out = [UInt8](repeating: 0, count: cap)
            let r = out.withUnsafeMutableBytes { dst in
                LZ4_compress_default(srcBase.assumingMemoryBound(to: CChar.self), (dst.baseAddress ?? emptyBuffer).assumingMemoryBound(to: CChar.self),
                                     Int32(input.count), Int32(cap))
            }
            guard r > 0 || input.isEmpty else { throw CodecError(codec, "compression failed") }
            out.removeSubrange(Int(r)...)
            return out
        case .gzip:
            return try deflateGzip(input, level: Int32(level ?? 6))
        case .brotli:
            var len = BrotliEncoderMaxCompressedSize(input.count)
            if len == 0 { len = input.count + 1024 }
            var out = [UInt8](repeating: 0, count: len)
            let ok = out.withUnsafeMutableBytes { dst in
                BrotliEncoderCompress(Int32(level ?? 5), BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.count,
                                      srcBase.assumingMemoryBound(to: UInt8.self), &len, (dst.baseAddress ?? emptyBuffer).assumingMemoryBound(to: UInt8.self))
            }
            guard ok != 0 else { throw CodecError(codec, "compression failed") }
            out.removeSubrange(len...)
            return out
        case .lz4, .lzo:
            throw CodecError(codec, "writing \(codec.name) is not supported; use LZ4_RAW, SNAPPY or ZSTD")
        }
    }

    public static func compress(_ input: [UInt8], codec: CompressionCodec, level: Int? = nil) throws -> [UInt8] {
        try input.withUnsafeBytes { try compress($0, codec: codec, level: level) }
    }

    private static func deflateGzip(_ src: UnsafeRawBufferPointer, level: Int32) throws -> [UInt8] {
        var strm = z_stream()
        // windowBits 15 + 16: gzip wrapper.
        guard deflateInit2_(&strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CodecError(.gzip, "deflateInit failed")
        }
        defer { deflateEnd(&strm) }
        let cap = Int(deflateBound(&strm, uLong(src.count))) + 32
        var out = [UInt8](repeating: 0, count: cap)
        let r: Int32 = out.withUnsafeMutableBytes { dst in
            strm.next_in = UnsafeMutablePointer(mutating: src.baseAddress?.assumingMemoryBound(to: Bytef.self))
            strm.avail_in = uInt(src.count)
            strm.next_out = dst.baseAddress?.assumingMemoryBound(to: Bytef.self)
            strm.avail_out = uInt(cap)
            return deflate(&strm, Z_FINISH)
        }
        guard r == Z_STREAM_END else { throw CodecError(.gzip, "compression failed (zlib error \(r))") }
        out.removeSubrange(Int(strm.total_out)...)
        return out
    }

    /// zlib's CRC-32 of `bytes` (Parquet page CRCs, Delta deletion-vector checksums, model
    /// package tensors), continuing from `crc`, the CRC-32 of the bytes before (0 to start), so a
    /// stream can be checked in pieces. Any size: zlib's length is 32-bit, so it goes in chunks.
    ///
    /// ```swift
    /// Array("123456789".utf8).withUnsafeBytes { Codec.crc32($0) }   // 0xCBF43926
    /// ```
    public static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        crc32(bytes, continuing: crc, chunk: 1 << 30)
    }

    /// ``crc32(_:continuing:)`` in chunks of at most `chunk` bytes (small chunks in tests).
    static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32, chunk: Int) -> UInt32 {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: Bytef.self) else { return crc }
        var c = uLong(crc)
        var offset = 0
        while offset < bytes.count {
            let n = min(max(chunk, 1), bytes.count - offset)
            c = CCompression.crc32(c, base + offset, uInt(n))
            offset += n
        }
        return UInt32(truncatingIfNeeded: c)
    }
}
