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
/// atomic commit (temporary file + `link()`, never overwriting an existing version).
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
        var root = path
        if root.hasPrefix("file://") { root = String(root.dropFirst(7)) }
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: root + "/_delta_log", withIntermediateDirectories: true)
        } catch {
            throw DeltaError.io(table: root, file: "_delta_log", message: "cannot create: \(error.localizedDescription)")
        }
        let input = try normalize(table, root: root)

        // Existing state.
        let log = DeltaLog(table: root)
        let listing = try log.list()
        var snapshot: DeltaSnapshot? = nil
        if listing.latestCommit != nil || !listing.checkpoints.isEmpty {
            if mode == .create { throw DeltaError.invalidArgument(table: root, message: "table already exists (mode create)") }
            snapshot = try DeltaTable(path: root).snapshot()
        }
        let data: Table
        let partitions: [String]
        if let snap = snapshot {
            try checkWritable(snap, mode: mode)
            data = try conform(input, to: snap.schema, root: root)
            if !partitionBy.isEmpty && partitionBy.map({ $0.lowercased() }) != snap.partitionColumns.map({ $0.lowercased() }) {
                throw DeltaError.invalidArgument(table: root, message: "partitionBy \(partitionBy) differs from the table's \(snap.partitionColumns)")
            }
            partitions = snap.partitionColumns
        } else {
            data = input
            var ps: [String] = []
            for p in partitionBy {
                guard let i = data.schema.index(of: p) else { throw DeltaError.invalidArgument(table: root, message: "no partition column '\(p)'") }
                ps.append(data.schema.fields[i].name)
            }
            guard Set(ps.map { $0.lowercased() }).count == ps.count else {
                throw DeltaError.invalidArgument(table: root, message: "duplicate partition columns \(partitionBy)")
            }
            if ps.count == data.schema.fields.count && !ps.isEmpty {
                throw DeltaError.invalidArgument(table: root, message: "every column is a partition column; a table needs a data column")
            }
            partitions = ps
        }

        let adds = try writeDataFiles(data, root: root, partitions: partitions, options: options)
        let now = Int64(Date().timeIntervalSince1970 * 1000)

        // Commit lines that do not depend on the version.
        var head: [String] = []
        if snapshot == nil {
            let naive = data.schema.fields.contains { if case .timestamp(_, false) = $0.type { true } else { false } }
            head.append(naive
                ? #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["timestampNtz"],"writerFeatures":["timestampNtz"]}}"#
                : #"{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}"#)
            let schemaString: String
            do {
                schemaString = try DeltaSchema.schemaString(data.schema)
            } catch let e as DeltaSchema.SchemaError {
                throw DeltaError.invalidArgument(table: root, message: e.message)
            }
            head.append("{\"metaData\":" + DeltaCommitter.object([
                ("id", DeltaCommitter.quote(UUID().uuidString.lowercased())),
                ("format", #"{"provider":"parquet","options":{}}"#),
                ("schemaString", DeltaCommitter.quote(schemaString)),
                ("partitionColumns", "[" + partitions.map(DeltaCommitter.quote).joined(separator: ",") + "]"),
                ("configuration", "{}"),
                ("createdTime", String(now)),
            ]) + "}")
        }
        var removes: [String] = []
        if mode == .overwrite, let snap = snapshot {
            for f in snap.files { removes.append(removeLine(f, now: now)) }
        }
        let opName = snapshot == nil ? "CREATE TABLE" : "WRITE"
        let modeText = mode == .create ? "ErrorIfExists" : (mode == .append ? "Append" : "Overwrite")
        var info: [(String, String)] = [
            ("timestamp", String(now)), ("operation", DeltaCommitter.quote(opName)),
            ("operationParameters", DeltaCommitter.stringMap([
                "mode": modeText, "partitionBy": "[" + partitions.map(DeltaCommitter.quote).joined(separator: ",") + "]",
            ])),
            ("isBlindAppend", mode == .overwrite ? "false" : "true"),
            ("engineInfo", DeltaCommitter.quote(engineInfo)),
        ]
        let reserved = Set(info.map(\.0)).union(["readVersion", "operationMetrics"])
        for (k, v) in commitInfo.sorted(by: { $0.key < $1.key }) where !reserved.contains(k) { info.append((k, DeltaCommitter.quote(v))) }
        let rows = data.rowCount
        info.append(("operationMetrics", DeltaCommitter.stringMap(["numFiles": String(adds.count), "numOutputRows": String(rows)])))

        var version = (snapshot?.version ?? -1) + 1
        for _ in 0 ..< maxAttempts {
            var lines = [ "{\"commitInfo\":" + DeltaCommitter.object(info + (version > 0 ? [("readVersion", String(version - 1))] : [])) + "}" ]
            lines += head + removes + adds
            try beforeCommit?(version)
            if try DeltaCommitter.tryCommit(table: root, version: version, lines: lines) { return version }
            // Lost the race for `version`.
            guard mode == .append, snapshot != nil else {
                throw DeltaError.concurrentModification(
                    table: root, version: version,
                    message: mode == .overwrite ? "another writer committed first; an overwrite is not retried"
                        : "another writer created the table first")
            }
            let now = try log.list()
            guard let latest = now.latestCommit, latest >= version else { continue }
            for v in version ... latest {
                for a in try log.commitActions(v, listing: now) {
                    switch a {
                    case .metaData, .protocolAction:
                        throw DeltaError.concurrentModification(
                            table: root, version: v, message: "a concurrent commit changed the table's metadata or protocol")
                    default: break
                    }
                }
            }
            version = latest + 1
        }
        throw DeltaError.concurrentModification(table: root, version: version, message: "gave up after \(maxAttempts) lost commit races")
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

    /// Writes the data files and returns their `add` lines.
    static func writeDataFiles(_ data: Table, root: String, partitions: [String], options: ParquetWriteOptions) throws -> [String] {
        let schema = data.schema
        let partIdx = partitions.compactMap { schema.index(of: $0) }
        let dataIdx = (0 ..< schema.fields.count).filter { !partIdx.contains($0) }
        // Group rows by partition values.
        var groups: [[String?]: [Int]] = [:]
        var order: [[String?]] = []
        if partIdx.isEmpty {
            groups[[]] = []
            order = [[]]
        } else {
            for r in 0 ..< data.rowCount {
                let key = partIdx.map { DeltaPartitions.text(data.columns[$0].value(at: r), type: schema.fields[$0].type) }
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(r)
            }
        }
        var adds: [String] = []
        var fileNo = 0
        for key in order {
            var sub: Table
            if partIdx.isEmpty {
                sub = try Table(dataIdx.map { data.columns[$0] })
            } else if order.count == 1 {
                sub = try Table(dataIdx.map { data.columns[$0] })
            } else {
                let rows = groups[key] ?? []
                sub = try Table(dataIdx.map { data.columns[$0].gather(rows) })
            }
            if sub.columns.isEmpty { continue }
            var dir = ""
            var pv: [String: String?] = [:]
            for (j, ci) in partIdx.enumerated() {
                let name = schema.fields[ci].name
                dir += "\(DeltaPartitions.hiveEscape(name))=\(key[j].map(DeltaPartitions.hiveEscape) ?? "__HIVE_DEFAULT_PARTITION__")/"
                pv[name] = key[j]
            }
            let fileName = String(format: "part-%05d-", fileNo) + UUID().uuidString.lowercased() + "-c000." + fileExtension(options.codec)
            fileNo += 1
            let rel = dir + fileName
            let abs = root + "/" + rel
            if !dir.isEmpty {
                do {
                    try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
                } catch {
                    throw DeltaError.io(table: root, file: dir, message: "cannot create: \(error.localizedDescription)")
                }
            }
            let result: ParquetWriteResult
            do {
                result = try ParquetWriter.write(sub, to: abs, options: options)
            } catch let e as ParquetError {
                throw DeltaError.io(table: root, file: rel, message: e.description)
            }
            var st = stat()
            let mtime = stat(abs, &st) == 0 ? Int64(st.st_mtim.tv_sec) * 1000 + Int64(st.st_mtim.tv_nsec) / 1_000_000 : Int64(Date().timeIntervalSince1970 * 1000)
            let add = DeltaCommitter.object([
                ("path", DeltaCommitter.quote(DeltaPartitions.uriEncode(rel))),
                ("partitionValues", partitionValuesJSON(pv)),
                ("size", String(result.bytes)),
                ("modificationTime", String(mtime)),
                ("dataChange", "true"),
                ("stats", DeltaCommitter.quote(statsJSON(result, schema: sub.schema))),
            ])
            adds.append("{\"add\":" + add + "}")
        }
        return adds
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
