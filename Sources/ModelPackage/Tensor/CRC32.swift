import GoldTables

/// An incremental CRC-32 (IEEE 802.3; the same value as zlib's `crc32` and Python's
/// `zlib.crc32`): a value-type front for ``Codec/crc32(_:continuing:)``, which computes it (one
/// implementation for Parquet pages, deletion vectors and tensor files; any buffer size).
///
/// ```swift
/// CRC32.checksum(Array("123456789".utf8)) // 0xCBF43926
/// var c = CRC32(); c.update(header); c.update(payload); c.value
/// ```
public struct CRC32: Sendable {
    private var crc: UInt32 = 0

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        crc = Codec.crc32(bytes, continuing: crc)
    }

    public var value: UInt32 { crc }

    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        Codec.crc32(bytes)
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
