import Foundation

/// How ``DeltaWriter/write(_:to:mode:partitionBy:options:commitInfo:)`` treats an existing table.
public enum DeltaWriteMode: String, Sendable, Hashable {
    /// Create a new table; fails if one exists.
    case create
    /// Add rows (creates the table if absent). A lost commit race is retried.
    case append
    /// Replace every live file with the new rows (creates the table if absent).
    case overwrite
}

/// Writes ``Table``s as Delta Lake commits: Parquet data files (Hive partition folders), then one
/// atomic commit (temporary file + `link()`, never overwriting an existing version). A one-batch
/// ``DeltaStreamWriter``; use that to write a table larger than memory as one commit.
///
/// Checkpoints are not written: they need nested Parquet output, which ``ParquetWriter`` (flat
/// tables only) cannot produce. Readers replay the JSON commits.
public enum DeltaWriter {
    static let engineInfo = "mltrack-goldtables/0.1"
    static let maxAttempts = 50

    /// Writer features whose tables this writer may append to / overwrite safely.
    static let safeWriterFeatures: Set<String> = [
        "appendOnly", "invariants", "timestampNtz", "deletionVectors", "vacuumProtocolCheck", "v2Checkpoint",
        "domainMetadata", "changeDataFeed",
    ]

    /// Writes `table` to the Delta table at `path` and returns the committed version.
    @discardableResult
    public static func write(_ table: Table, to path: String, mode: DeltaWriteMode, partitionBy: [String] = [],
                             options: ParquetWriteOptions = ParquetWriteOptions(), commitInfo: [String: String] = [:]) throws -> Int64 {
        try write(table, to: path, mode: mode, partitionBy: partitionBy, options: options, commitInfo: commitInfo, beforeCommit: nil)
    }

    /// `beforeCommit(version)` runs before each commit attempt (tests use it to force a lost race).
    static func write(_ table: Table, to path: String, mode: DeltaWriteMode, partitionBy: [String],
                      options: ParquetWriteOptions, commitInfo: [String: String],
                      beforeCommit: ((Int64) throws -> Void)?) throws -> Int64 {
        let writer = try DeltaStreamWriter(path: path, mode: mode, partitionBy: partitionBy, options: options)
        writer.beforeCommit = beforeCommit
        do {
            try writer.append(table)
        } catch {
            writer.abort()
            throw error
        }
        return try writer.commit(commitInfo: commitInfo)
    }

    static func removeLine(_ f: DeltaFile, now: Int64) -> String {
        var pairs: [(String, String)] = [
            ("path", DeltaCommitter.quote(DeltaPartitions.uriEncode(f.path))),
            ("deletionTimestamp", String(now)), ("dataChange", "true"), ("extendedFileMetadata", "true"),
            ("partitionValues", partitionValuesJSON(f.partitionValues)), ("size", String(f.size)),
        ]
        if let dv = f.deletionVector {
            var d: [(String, String)] = [("storageType", DeltaCommitter.quote(dv.storageType)), ("pathOrInlineDv", DeltaCommitter.quote(dv.pathOrInlineDv))]
            if let o = dv.offset { d.append(("offset", String(o))) }
            d.append(("sizeInBytes", String(dv.sizeInBytes)))
            d.append(("cardinality", String(dv.cardinality)))
            pairs.append(("deletionVector", DeltaCommitter.object(d)))
        }
        return "{\"remove\":" + DeltaCommitter.object(pairs) + "}"
    }

    static func partitionValuesJSON(_ pv: [String: String?]) -> String {
        DeltaCommitter.object(pv.sorted { $0.key < $1.key }.map { ($0.key, $0.value.map(DeltaCommitter.quote) ?? "null") })
    }

    /// Refuses tables this writer cannot safely change.
    static func checkWritable(_ snap: DeltaSnapshot, mode: DeltaWriteMode) throws {
        let p = snap.protocol
        if p.minWriterVersion > 7 {
            throw DeltaError.unsupportedFeature(table: snap.tablePath, version: snap.version, message: "minWriterVersion \(p.minWriterVersion)")
        }
        if p.minWriterVersion == 7 {
            for f in p.writerFeatures ?? [] where !safeWriterFeatures.contains(f) {
                throw DeltaError.unsupportedFeature(table: snap.tablePath, version: snap.version, message: "writer feature '\(f)'")
            }
        } else if p.minWriterVersion >= 3 {
            // Writer v3–v6 imply checkConstraints, generated/identity columns, column mapping.
            if snap.columnMappingMode != "none" || p.minWriterVersion >= 4 {
                let risky = snap.schema.fields.contains { f in f.metadata.keys.contains { $0.hasPrefix("delta.generationExpression") || $0.hasPrefix("delta.identity") } }
                if risky || snap.columnMappingMode != "none" {
                    throw DeltaError.unsupportedFeature(table: snap.tablePath, version: snap.version,
                                                        message: "writing to tables with column mapping, generated or identity columns")
                }
            }
            if snap.metadata.configuration.keys.contains(where: { $0.hasPrefix("delta.constraints.") }) {
                throw DeltaError.unsupportedFeature(table: snap.tablePath, version: snap.version, message: "writing to tables with CHECK constraints")
            }
        }
        if snap.columnMappingMode != "none" {
            throw DeltaError.unsupportedFeature(table: snap.tablePath, version: snap.version, message: "writing to a column-mapped table")
        }
        if mode == .overwrite, snap.metadata.configuration["delta.appendOnly"]?.lowercased() == "true" {
            throw DeltaError.invalidArgument(table: snap.tablePath, message: "the table is append-only (delta.appendOnly); overwrite refused")
        }
    }

    /// Timestamps to microseconds (the only Delta unit); nested columns refused.
    static func normalize(_ t: Table, root: String) throws -> Table {
        var cols: [Column] = []
        for c in t.columns {
            switch c.type {
            case .timestamp(let unit, let utc) where unit != .microseconds:
                guard case .int64(let v) = c.data else { throw DeltaError.invalidArgument(table: root, message: "column '\(c.name)' storage does not match its type") }
                var f = c.field
                f.type = .timestamp(unit: .microseconds, utc: utc)
                cols.append(Column(f, data: .int64(TimeUnitConversion.convert(v, from: unit, to: .microseconds)), validity: c.validity))
            case .json:
                throw DeltaError.invalidArgument(table: root, message: "column '\(c.name)' is nested (\(c.type.description)); the Delta writer writes flat columns only")
            default:
                cols.append(c)
            }
        }
        return cols.isEmpty ? t : try Table(cols)
    }

    /// Reorders and checks `t` against an existing table schema.
    static func conform(_ t: Table, to schema: Schema, root: String) throws -> Table {
        guard t.columns.count == schema.fields.count else {
            throw DeltaError.invalidArgument(table: root, message: "the data has columns \(t.schema.names), the table has \(schema.names) (schema changes are not supported)")
        }
        var cols: [Column] = []
        for f in schema.fields {
            guard let c = t.column(named: f.name) else {
                throw DeltaError.invalidArgument(table: root, message: "the data lacks column '\(f.name)' (table columns: \(schema.names))")
            }
            guard c.type == f.type else {
                throw DeltaError.invalidArgument(table: root, message: "column '\(f.name)' is \(c.type.description) in the data but \(f.type.description) in the table")
            }
            if !f.nullable && c.nullCount > 0 {
                throw DeltaError.invalidArgument(table: root, message: "column '\(f.name)' is NOT NULL in the table but the data has \(c.nullCount) nulls")
            }
            cols.append(Column(f, data: c.data, validity: c.validity))
        }
        return try Table(cols)
    }

    static func fileExtension(_ codec: CompressionCodec) -> String {
        switch codec {
        case .uncompressed: "parquet"
        case .snappy: "snappy.parquet"
        case .gzip: "gz.parquet"
        case .zstd: "zstd.parquet"
        case .lz4Raw, .lz4: "lz4.parquet"
        case .brotli: "br.parquet"
        default: "parquet"
        }
    }

    /// The `stats` JSON of a written file.
    static func statsJSON(_ r: ParquetWriteResult, schema: Schema) -> String {
        var mins: [(String, String)] = []
        var maxs: [(String, String)] = []
        var nulls: [(String, String)] = []
        for f in schema.fields {
            guard let s = r.stats(for: f.name) else { continue }
            nulls.append((f.name, String(s.nullCount)))
            if let v = s.min, let j = statValue(v, type: f.type) { mins.append((f.name, j)) }
            if let v = s.max, let j = statValue(v, type: f.type) { maxs.append((f.name, j)) }
        }
        return DeltaCommitter.object([
            ("numRecords", String(r.rows)), ("minValues", DeltaCommitter.object(mins)),
            ("maxValues", DeltaCommitter.object(maxs)), ("nullCount", DeltaCommitter.object(nulls)),
        ])
    }

    static func statValue(_ v: Value, type: DataType) -> String? {
        switch v {
        case .int(let i): return String(i)
        case .float(let f): return f.isFinite ? "\(f)" : nil
        case .double(let d): return d.isFinite ? "\(d)" : nil
        case .string(let s): return DeltaCommitter.quote(s)
        case .date: return DeltaPartitions.text(v, type: type).map(DeltaCommitter.quote)
        case .timestamp(_, _, let utc):
            guard var t = DeltaPartitions.text(v, type: type) else { return nil }
            t = t.replacingOccurrences(of: " ", with: "T")
            return DeltaCommitter.quote(utc ? t + "Z" : t)
        case .decimal(let u, let s): return DeltaPartitions.decimalText(u, scale: s)
        case .null, .bool, .binary, .json: return nil
        }
    }
}

/// Timestamp unit conversion (floor division when coarsening).
enum TimeUnitConversion {
    static func convert(_ v: [Int64], from: TimeUnit, to: TimeUnit) -> [Int64] {
        if from == to { return v }
        let f = from.perSecond, t = to.perSecond
        if f > t {
            let d = f / t
            return v.map { x in x >= 0 ? x / d : -((-(x + 1)) / d) - 1 }
        }
        let m = t / f
        return v.map { $0 &* m }
    }
}
