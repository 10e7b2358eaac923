import Foundation

/// The storage format of a Gold table.
public enum GoldTableFormat: String, Sendable, Hashable, CaseIterable {
    case delta, parquet, csv
}

/// An error opening a Gold table (not about a file's bytes: those are ``ParquetError``,
/// ``DeltaError`` and ``CSVError``).
public struct GoldTableError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}

/// One data file behind a table, for lineage: its path, size and content hash.
public struct GoldFileFact: Sendable, Hashable, Codable {
    public var path: String
    public var bytes: Int64
    /// Lower-case hex SHA-256 of the file's bytes; nil for Delta data files (the Delta version pins
    /// their content, and hashing a large table is slow).
    public var sha256: String?

    public init(path: String, bytes: Int64, sha256: String?) {
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// The facts that identify a dataset for lineage: format, version, rows, schema fingerprint, files.
public struct GoldLineage: Sendable, Hashable, Codable {
    public var path: String
    public var format: String
    /// The Delta snapshot version (nil for Parquet and CSV).
    public var version: Int64?
    public var rowCount: Int
    /// ``Schema/fingerprint`` of the table's schema.
    public var schemaFingerprint: String
    public var files: [GoldFileFact]
}

/// The one entry point to read a Gold table in any supported format.
///
/// `open` detects the format: a folder with `_delta_log/` is Delta; a `.parquet` file (or any file
/// starting with `PAR1`) or a folder of Parquet files is Parquet; a `.csv`/`.tsv`/`.tab`/`.txt` file is
/// CSV. Time travel (`version`/`timestamp`) is for Delta only.
///
/// ```swift
/// let t = try GoldTable.open("/lake/gold/churn", version: 3)
/// print(t.format, t.version ?? -1, t.schema.names)
/// let batch = try t.scan(columns: ["customer_id", "churned"]).next()
/// ```
public final class GoldTable: TableSource, Sendable {
    public let path: String
    public let format: GoldTableFormat
    /// The reader behind this table (a ``CSVSource``, ``ParquetDataset`` or ``DeltaSnapshot``).
    public let source: any TableSource
    /// The Delta snapshot version read (nil for Parquet and CSV).
    public let version: Int64?
    let delta: DeltaTable?

    init(path: String, format: GoldTableFormat, source: any TableSource, version: Int64?, delta: DeltaTable?) {
        self.path = path
        self.format = format
        self.source = source
        self.version = version
        self.delta = delta
    }

    public var schema: Schema { source.schema }

    public func scan(columns: [String]?) throws -> any BatchStream {
        try source.scan(columns: columns)
    }

    /// Detects the format of `path` and opens it.
    public static func open(_ path: String, version: Int64? = nil, timestamp: Date? = nil,
                            csv: CSVOptions = CSVOptions()) throws -> GoldTable {
        let format = try detect(path)
        if format != .delta, version != nil || timestamp != nil {
            throw GoldTableError(path: path, "time travel (version or timestamp) needs a Delta table; this is \(format.rawValue)")
        }
        if version != nil, timestamp != nil {
            throw GoldTableError(path: path, "give a version or a timestamp, not both")
        }
        switch format {
        case .csv:
            return GoldTable(path: path, format: .csv, source: try CSVSource(path: path, options: csv), version: nil, delta: nil)
        case .parquet:
            return try openParquet(path)
        case .delta:
            return try openDelta(path, version: version, timestamp: timestamp)
        }
    }

    /// The format of `path` without opening it.
    public static func detect(_ path: String) throws -> GoldTableFormat {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
            throw GoldTableError(path: path, "no such file or folder")
        }
        if isDir.boolValue {
            var logDir: ObjCBool = false
            if fm.fileExists(atPath: (path as NSString).appendingPathComponent("_delta_log"), isDirectory: &logDir),
               logDir.boolValue {
                return .delta
            }
            if !parquetFiles(in: path).isEmpty { return .parquet }
            throw GoldTableError(path: path, "a folder that is neither a Delta table (no _delta_log/) nor holds .parquet files")
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".parquet") || lower.hasSuffix(".parq") { return .parquet }
        for ext in [".csv", ".tsv", ".tab", ".txt"] where lower.hasSuffix(ext) { return .csv }
        if let h = FileHandle(forReadingAtPath: path) {
            defer { try? h.close() }
            if let magic = try? h.read(upToCount: 4), Array(magic) == Array("PAR1".utf8) { return .parquet }
        }
        throw GoldTableError(path: path, "unknown table format (expected a Delta folder, Parquet, or a .csv/.tsv file)")
    }

    /// The `*.parquet` files of a folder (recursively, through Hive `k=v` folders), skipping names
    /// that start with `_` or `.`; sorted.
    static func parquetFiles(in dir: String) -> [String] {
        var out: [String] = []
        func walk(_ d: String, depth: Int) {
            guard depth < 32, let names = try? FileManager.default.contentsOfDirectory(atPath: d) else { return }
            for n in names.sorted() where !n.hasPrefix("_") && !n.hasPrefix(".") {
                let p = (d as NSString).appendingPathComponent(n)
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else { continue }
                if isDir.boolValue {
                    walk(p, depth: depth + 1)
                } else if n.lowercased().hasSuffix(".parquet") || n.lowercased().hasSuffix(".parq") {
                    out.append(p)
                }
            }
        }
        walk(dir, depth: 0)
        return out
    }

    /// The Delta commit history, newest first; a clear error for Parquet and CSV.
    public func history() throws -> [DeltaCommit] {
        guard let delta else {
            throw GoldTableError(path: path, "history needs a Delta table; this is \(format.rawValue) (no versions)")
        }
        return try delta.history()
    }

    /// The number of rows (from metadata where the format records it, else by scanning one column).
    public func rowCount() throws -> Int {
        if let csv = source as? CSVSource { return try csv.countRows() }
        if let n = try metadataRowCount() { return n }
        guard let first = schema.fields.first else { return 0 }
        let s = try scan(columns: [first.name])
        var n = 0
        while let b = try s.next() { n += b.rowCount }
        return n
    }

    /// The files holding the data: the CSV file, the Parquet file(s), or the Delta snapshot's files.
    public func dataFiles() throws -> [String] {
        switch format {
        case .csv: return [path]
        case .parquet: return (source as? ParquetDataset)?.files ?? [path]
        case .delta: return try deltaDataFiles()
        }
    }

    /// Lineage facts: format, Delta version, row count, schema fingerprint, and the data files with
    /// their size and (Parquet, CSV) SHA-256.
    public func lineage() throws -> GoldLineage {
        var facts: [GoldFileFact] = []
        for f in try dataFiles() {
            let size = ((try? FileManager.default.attributesOfItem(atPath: f))?[.size] as? NSNumber)?.int64Value ?? -1
            let hash = format == .delta ? nil : try GoldSHA256.hexDigest(ofFile: f)
            facts.append(GoldFileFact(path: f, bytes: size, sha256: hash))
        }
        return GoldLineage(path: path, format: format.rawValue, version: version, rowCount: try rowCount(),
                           schemaFingerprint: schema.fingerprint, files: facts)
    }
}

extension GoldTable {
    static func openParquet(_ path: String) throws -> GoldTable {
        GoldTable(path: path, format: .parquet, source: try ParquetDataset(path: path), version: nil, delta: nil)
    }

    /// Rows of a Parquet dataset from its footers (no data decoded).
    func parquetRowCount() throws -> Int? {
        guard let ds = source as? ParquetDataset else { return nil }
        var n: Int64 = 0
        for f in ds.files {
            let rows = try ParquetFile(path: f).metadata.numRows
            let (sum, overflow) = n.addingReportingOverflow(rows)
            guard rows >= 0, !overflow else {
                throw GoldTableError(path: f, "row count \(rows) in the footer is negative or overflows the dataset's total")
            }
            n = sum
        }
        return Int(n)
    }

    static func openDelta(_ path: String, version: Int64?, timestamp: Date?) throws -> GoldTable {
        let table = try DeltaTable(path: path)
        let snapshot = try table.snapshot(version: version, timestamp: timestamp)
        return GoldTable(path: path, format: .delta, source: snapshot, version: snapshot.version, delta: table)
    }

    /// Row count from metadata: Delta `add` stats, Parquet footers; nil when not recorded.
    func metadataRowCount() throws -> Int? {
        if let snap = source as? DeltaSnapshot, let n = snap.numRecords { return Int(n) }
        return try parquetRowCount()
    }

    func deltaDataFiles() throws -> [String] {
        guard let snap = source as? DeltaSnapshot else { return [] }
        return snap.files.map { f in
            if f.path.hasPrefix("/") { return f.path }
            if f.path.hasPrefix("file://") { return String(f.path.dropFirst(7)) }
            if f.path.contains("://") { return f.path }
            return (snap.tablePath as NSString).appendingPathComponent(f.path)
        }
    }
}

/// SHA-256 (FIPS 180-4), for content hashes of data files. Foundation on Linux has no digest API.
public struct GoldSHA256: Sendable {
    private var h: [UInt32] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var i = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0 ..< take])
            i = take
            if pending.count == 64 {
                let block = pending
                block.withUnsafeBytes { compress($0, 0) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        while bytes.count - i >= 64 {
            compress(bytes, i)
            i += 64
        }
        if i < bytes.count { pending.append(contentsOf: bytes[i...]) }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The 32-byte digest (the state is consumed).
    public mutating func finalize() -> [UInt8] {
        let bits = length &* 8
        var tail: [UInt8] = [0x80]
        let rem = (Int(length % 64) + 1) % 64
        tail.append(contentsOf: [UInt8](repeating: 0, count: rem <= 56 ? 56 - rem : 120 - rem))
        for s in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(s))) }
        let saved = length
        update(tail)
        length = saved
        var out: [UInt8] = []
        for w in h { for s in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: w >> UInt32(s))) } }
        return out
    }

    private mutating func compress(_ p: UnsafeRawBufferPointer, _ off: Int) {
        @inline(__always) func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
        var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            Self.k.withUnsafeBufferPointer { k in
                for t in 0 ..< 16 {
                    let i = off + t * 4
                    w[t] = UInt32(p[i]) << 24 | UInt32(p[i + 1]) << 16 | UInt32(p[i + 2]) << 8 | UInt32(p[i + 3])
                }
                for t in 16 ..< 64 {
                    let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                    let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                    w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
                }
                for t in 0 ..< 64 {
                    let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = hh &+ s1 &+ ch &+ k[t] &+ w[t]
                    let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
                }
            }
        }
        h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Hex SHA-256 of a file's bytes (memory-mapped).
    public static func hexDigest(ofFile path: String) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw GoldTableError(path: path, "cannot read the file to hash it: \(error.localizedDescription)")
        }
        var s = GoldSHA256()
        data.withUnsafeBytes { s.update($0) }
        return hex(s.finalize())
    }
}

extension GoldTable {
    /// Parses an ISO-8601 instant for time travel: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM[:SS[.f]]` with
    /// an optional `Z` or `±HH:MM` (no zone means UTC). Nil when malformed.
    public static func parseTimestamp(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { p -> Date? in
            if let s = CSVParse.parseTimestamp(p) {
                return Date(timeIntervalSince1970: Double(s.seconds) + Double(s.nanos) / 1e9)
            }
            if let d = CSVParse.parseDate(p) { return Date(timeIntervalSince1970: Double(d) * 86_400) }
            return nil
        }
    }
}
