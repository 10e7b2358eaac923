import Foundation
import GoldTables

/// The `.mltensor` binary format: one tensor per file, little-endian, checksummed.
///
/// ```
/// offset    size  field
/// 0         8     magic 89 4D 4C 54 0D 0A 1A 0A  ("\x89MLT\r\n\x1a\n")
/// 8         2     format version, u16 (1)
/// 10        1     dtype, u8 (1 float32, 2 float64, 3 int32, 4 int64)
/// 11        1     rank r, u8 (0 ... 8)
/// 12        4     reserved, u32, must be 0
/// 16        8·r   shape, r × u64
/// 16+8r     8     payload length in bytes, u64 (= product(shape) × dtype width)
/// 24+8r     4     CRC-32 of the payload
/// 28+8r     4     CRC-32 of bytes 0 ..< 28+8r (the header above)
/// 32+8r     n     payload: the values, row-major, little-endian IEEE 754 / two's complement
/// ```
/// The file ends exactly after the payload. Readers check everything in the header against the
/// file's actual size before allocating, so a header claiming 2^60 elements is an error.
///
/// ```swift
/// let record = try TensorFile.write(TensorData(vector: [1.0, 2.0]), to: "/tmp/w.mltensor")
/// let (tensor, _) = try TensorFile.read("/tmp/w.mltensor")
/// ```
public enum TensorFile {
    public static let magic: [UInt8] = [0x89, 0x4D, 0x4C, 0x54, 0x0D, 0x0A, 0x1A, 0x0A]
    public static let version: UInt16 = 1
    public static let fileExtension = "mltensor"

    static func headerSize(rank: Int) -> Int { 32 + 8 * rank }

    /// Writes `tensor` to a new file at `path` (fsynced); returns its size and SHA-256.
    @discardableResult
    public static func write(_ tensor: TensorData, to path: String) throws -> (bytes: Int, sha256: String) {
        func payload<T>(_ values: [T], _ body: (UnsafeRawBufferPointer) throws -> (bytes: Int, sha256: String)) throws -> (bytes: Int, sha256: String) {
            #if _endian(big)
            throw ModelPackageError(path: path, "big-endian hosts are not supported by the tensor writer")
            #else
            return try values.withUnsafeBytes { try body($0) }
            #endif
        }
        let body: (UnsafeRawBufferPointer) throws -> (bytes: Int, sha256: String) = { raw in
            let header = makeHeader(tensor, payload: raw)
            return try header.withUnsafeBytes { h in try PackageFile.write(path, chunks: [h, raw]) }
        }
        switch tensor.storage {
        case .float32(let v): return try payload(v, body)
        case .float64(let v): return try payload(v, body)
        case .int32(let v): return try payload(v, body)
        case .int64(let v): return try payload(v, body)
        }
    }

    static func makeHeader(_ tensor: TensorData, payload: UnsafeRawBufferPointer) -> [UInt8] {
        var h = magic
        appendLE(&h, UInt64(version), bytes: 2)
        h.append(tensor.dtype.rawValue)
        h.append(UInt8(tensor.shape.count))
        appendLE(&h, 0, bytes: 4)
        for d in tensor.shape { appendLE(&h, UInt64(d), bytes: 8) }
        appendLE(&h, UInt64(payload.count), bytes: 8)
        appendLE(&h, UInt64(CRC32.checksum(payload)), bytes: 4)
        appendLE(&h, UInt64(CRC32.checksum(h)), bytes: 4)
        return h
    }

    /// Reads and fully validates the tensor file at `path`; returns the tensor and the file's
    /// size and SHA-256 (for the manifest's checksum list).
    public static func read(_ path: String) throws -> (tensor: TensorData, file: (bytes: Int, sha256: String)) {
        let r = try PackageFile.Reader(path)
        func fail(_ message: String) -> ModelPackageError { ModelPackageError(path: path, message) }

        guard r.size >= magic.count else {
            throw fail("not an mltrack tensor file: \(r.size) bytes, shorter than the 8-byte magic")
        }
        let fixed = try r.readBytes(count: min(16, r.size), at: 0)
        guard Array(fixed[0 ..< 8]) == magic else {
            throw fail("not an mltrack tensor file (bad magic \(hex(fixed[0 ..< 8])))")
        }
        guard fixed.count == 16 else { throw fail("truncated: \(r.size) bytes, the fixed header needs 16") }
        let version = UInt16(fixed[8]) | UInt16(fixed[9]) << 8
        guard version >= 1 else { throw fail("tensor format version 0 is invalid") }
        guard version <= Self.version else {
            throw fail("tensor format version \(version) is newer than this mltrack reads (\(Self.version))")
        }
        guard let dtype = TensorData.DType(rawValue: fixed[10]) else {
            throw fail("unknown dtype code \(fixed[10])")
        }
        let rank = Int(fixed[11])
        guard rank <= TensorData.maxRank else {
            throw fail("rank \(rank) exceeds the maximum \(TensorData.maxRank)")
        }
        guard readLE(fixed, 12, 4) == 0 else { throw fail("reserved header bytes 12..15 are not zero") }
        let hsize = headerSize(rank: rank)
        guard r.size >= hsize else {
            throw fail("truncated: \(r.size) bytes, the header of a rank-\(rank) tensor needs \(hsize)")
        }
        let header = try r.readBytes(count: hsize, at: 0)
        let storedHeaderCRC = UInt32(readLE(header, hsize - 4, 4))
        let headerCRC = header.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0 ..< hsize - 4])) }
        guard storedHeaderCRC == headerCRC else {
            throw fail("header checksum mismatch (stored \(hex32(storedHeaderCRC)), computed \(hex32(headerCRC)))")
        }
        var shape: [Int] = []
        for i in 0 ..< rank {
            let d = readLE(header, 16 + 8 * i, 8)
            guard d <= UInt64(Int.max) else { throw fail("dimension \(i) is \(d), too large") }
            shape.append(Int(d))
        }
        guard let count = TensorData.elementCount(shape) else {
            throw fail("shape \(shape) has more elements than can be addressed")
        }
        let (expected, overflow) = count.multipliedReportingOverflow(by: dtype.byteWidth)
        guard !overflow else {
            throw fail("shape \(shape) of \(dtype.name) needs more bytes than can be addressed")
        }
        let declared = readLE(header, 16 + 8 * rank, 8)
        guard declared == UInt64(expected) else {
            throw fail("shape \(shape) of \(dtype.name) needs \(expected) payload bytes but the header declares \(declared)")
        }
        let actual = r.size - hsize
        guard actual >= expected else {
            throw fail("truncated: payload has \(actual) of \(expected) bytes")
        }
        guard actual == expected else {
            throw fail("\(actual - expected) unexpected bytes after the \(expected)-byte payload")
        }
        let storedCRC = UInt32(readLE(header, 24 + 8 * rank, 4))
        var sha = GoldSHA256()
        header.withUnsafeBytes { sha.update($0) }

        // Sizes are now checked against the real file: allocate and read the payload in place.
        func load<T: TensorScalar>(_ type: T.Type) throws -> TensorData.Storage {
            // Trivial element types: the bytes read are the values; on a failed read none count.
            let values = try [T](unsafeUninitializedCapacity: count) { buf, initialized in
                initialized = 0
                try r.read(into: UnsafeMutableRawBufferPointer(buf), at: hsize)
                initialized = count
            }
            let crc = values.withUnsafeBytes { raw -> UInt32 in
                sha.update(raw)
                return CRC32.checksum(raw)
            }
            guard crc == storedCRC else {
                throw fail("payload checksum mismatch (stored \(hex32(storedCRC)), computed \(hex32(crc))): the data is damaged")
            }
            #if _endian(big)
            throw fail("big-endian hosts are not supported by the tensor reader")
            #else
            return T.storage(values)
            #endif
        }
        let storage: TensorData.Storage
        switch dtype {
        case .float32: storage = try load(Float.self)
        case .float64: storage = try load(Double.self)
        case .int32: storage = try load(Int32.self)
        case .int64: storage = try load(Int64.self)
        }
        let tensor = try TensorData(shape: shape, storage: storage)
        return (tensor, (r.size, GoldSHA256.hex(sha.finalize())))
    }

    static func appendLE(_ out: inout [UInt8], _ v: UInt64, bytes: Int) {
        for i in 0 ..< bytes { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    static func readLE(_ b: [UInt8], _ at: Int, _ n: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0 ..< n { v |= UInt64(b[at + i]) << (8 * UInt64(i)) }
        return v
    }

    static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
    }

    static func hex32(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
    }
}
