/// How ``ParquetWriter`` lays out a file.
///
/// ```swift
/// var o = ParquetWriteOptions()
/// o.codec = .zstd
/// o.rowGroupRows = 100_000
/// try ParquetWriter.write(table, to: "/tmp/t.parquet", options: o)
/// ```
public struct ParquetWriteOptions: Sendable, Hashable {
    /// Page compression (SNAPPY, ZSTD, GZIP, LZ4_RAW, BROTLI or UNCOMPRESSED; Hadoop LZ4 and LZO are refused).
    public var codec: CompressionCodec
    /// Codec level where the codec has one (zstd 1–22, gzip 1–9, brotli 0–11); nil = library default.
    public var compressionLevel: Int?
    /// Rows per row group (the last one may be smaller).
    public var rowGroupRows: Int
    /// Dictionary-encode string, JSON and binary columns (PLAIN dictionary page + RLE_DICTIONARY data
    /// pages), falling back to PLAIN for the rest of a chunk once the dictionary exceeds
    /// ``dictionaryPageBytes``.
    public var dictionaryForStrings: Bool
    /// The dictionary size (PLAIN bytes) past which a chunk falls back to PLAIN.
    public var dictionaryPageBytes: Int
    /// Target uncompressed size of a data page's values.
    public var dataPageBytes: Int
    /// Write column-chunk statistics (null count, min, max) and return them in ``ParquetWriteResult``.
    public var statistics: Bool
    /// Min/max byte-array statistics longer than this are truncated (and marked inexact).
    public var statisticsMaxBytes: Int
    /// Write each page's CRC-32 (of the stored, compressed bytes) in its header, as parquet-mr does.
    public var pageChecksums: Bool
    /// Footer key-value metadata (written sorted by key).
    public var keyValueMetadata: [String: String]
    /// fsync the file (and its folder) on close. Internal: only benchmarks turn it off, to compare
    /// with writers that do not sync.
    var syncOnClose = true

    public init(codec: CompressionCodec = .snappy, compressionLevel: Int? = nil, rowGroupRows: Int = 1_048_576,
                dictionaryForStrings: Bool = true, dictionaryPageBytes: Int = 1 << 20, dataPageBytes: Int = 1 << 20,
                statistics: Bool = true, statisticsMaxBytes: Int = 1024, pageChecksums: Bool = false,
                keyValueMetadata: [String: String] = [:]) {
        self.codec = codec
        self.compressionLevel = compressionLevel
        self.rowGroupRows = rowGroupRows
        self.dictionaryForStrings = dictionaryForStrings
        self.dictionaryPageBytes = dictionaryPageBytes
        self.dataPageBytes = dataPageBytes
        self.statistics = statistics
        self.statisticsMaxBytes = statisticsMaxBytes
        self.pageChecksums = pageChecksums
        self.keyValueMetadata = keyValueMetadata
    }
}

/// Statistics of one column over a whole written file (the Delta writer's `stats` come from these).
public struct ColumnStats: Sendable, Hashable {
    /// The column name.
    public var name: String
    /// Rows that are null.
    public var nullCount: Int64
    /// Smallest non-null value (NaN ignored; strings bytewise unsigned), nil when there is none or
    /// statistics were off.
    public var min: Value?
    /// Largest non-null value, nil when there is none or statistics were off.
    public var max: Value?
    /// False when ``min`` is a truncated lower bound rather than an actual value.
    public var minIsExact: Bool
    /// False when ``max`` is a truncated upper bound rather than an actual value.
    public var maxIsExact: Bool

    public init(name: String, nullCount: Int64, min: Value?, max: Value?, minIsExact: Bool = true, maxIsExact: Bool = true) {
        self.name = name
        self.nullCount = nullCount
        self.min = min
        self.max = max
        self.minIsExact = minIsExact
        self.maxIsExact = maxIsExact
    }
}

/// What ``ParquetWriter/close()`` wrote.
public struct ParquetWriteResult: Sendable, Hashable {
    /// The final file path.
    public var path: String
    /// Rows written.
    public var rows: Int64
    /// File size in bytes.
    public var bytes: Int64
    /// Row groups written.
    public var rowGroups: Int
    /// One entry per schema field, in schema order.
    public var columnStats: [ColumnStats]

    public init(path: String, rows: Int64, bytes: Int64, rowGroups: Int, columnStats: [ColumnStats]) {
        self.path = path
        self.rows = rows
        self.bytes = bytes
        self.rowGroups = rowGroups
        self.columnStats = columnStats
    }

    /// The statistics of the column named `name` (exact match, then case-insensitive).
    public func stats(for name: String) -> ColumnStats? {
        if let s = columnStats.first(where: { $0.name == name }) { return s }
        let lower = name.lowercased()
        return columnStats.first { $0.name.lowercased() == lower }
    }
}

/// The writer's errors are ``ParquetError``s (file path + message); this name is kept for code
/// written against the writer's first API.
public typealias ParquetWriteError = ParquetError
