import Foundation

/// Writes a Delta table from a stream of ``Table`` batches as ONE atomic commit: each
/// ``append(_:)`` writes the batch as Parquet data file(s) at once (one per call, one per partition
/// value in a partitioned table) and keeps only the file's `add` line, so memory stays bounded by
/// one batch; ``commit(commitInfo:)`` then publishes every file in a single commit (temporary file +
/// `link()`, never overwriting a version). Until then no reader sees any of the rows.
///
/// - `append` mode adds the rows; a commit race lost to another appender is retried (refused if the
///   other commit changed the table's metadata or protocol).
/// - `overwrite` mode removes every file live at the version read when the writer was created, in
///   the same commit; a lost race is an error (the table changed under the overwrite). Readers of
///   the previous version (time travel) still see the old rows.
/// - `create` fails if the table exists.
///
/// ``abort()`` (or a failed commit, or dropping an uncommitted writer) deletes the written data
/// files: the table is left as it was. The schema is the existing table's, or for a new table the
/// first batch's; every batch must match it (column names, types; NOT NULL columns without nulls).
///
/// ```swift
/// let w = try DeltaStreamWriter(path: "/lake/gold/churn_scores", mode: .overwrite)
/// while let batch = try stream.next() { try w.append(score(batch)) }
/// let version = try w.commit(commitInfo: ["mltrack.model": "models:/churn/3"])
/// ```
public final class DeltaStreamWriter {
    /// The table folder (a `file://` prefix and trailing slashes removed).
    public let path: String
    public let mode: DeltaWriteMode
    /// Rows appended so far.
    public private(set) var rowCount = 0
    /// Data files written so far.
    public var fileCount: Int { written.count }
    /// The version the writer read (nil when the table did not exist).
    public var readVersion: Int64? { snapshot?.version }
    /// The schema batches must match: the existing table's, or the first batch's (nil before it).
    public var tableSchema: Schema? { schema }

    private let options: ParquetWriteOptions
    private let requestedPartitions: [String]
    private let snapshot: DeltaSnapshot?
    private let createdRoot: Bool
    /// The table's schema: the existing table's, or the first batch's.
    private var schema: Schema?
    private var partitions: [String]
    private var adds: [String] = []
    /// Written data files (relative paths) and the partition folders created, for ``abort()``.
    private var written: [String] = []
    private var createdDirs: [String] = []
    private var fileNumber = 0
    private var state = State.open

    private enum State { case open, committed(Int64), aborted }

    /// Runs before each commit attempt with the version tried (tests use it to force a lost race).
    var beforeCommit: ((Int64) throws -> Void)?

    /// Opens the table at `path` for one commit. Reads the current version (if any) and refuses a
    /// table this writer cannot change (unknown writer features, column mapping, append-only for
    /// an overwrite), an existing table in `create` mode, or `partitionBy` differing from an
    /// existing table's partition columns.
    public init(path: String, mode: DeltaWriteMode, partitionBy: [String] = [],
                options: ParquetWriteOptions = ParquetWriteOptions()) throws {
        var root = path
        if root.hasPrefix("file://") { root = String(root.dropFirst(7)) }
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.path = root
        self.mode = mode
        self.options = options
        self.requestedPartitions = partitionBy
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let existed = fm.fileExists(atPath: root, isDirectory: &isDir)
        if existed && !isDir.boolValue {
            throw DeltaError.invalidArgument(table: root, message: "is a file, not a table folder")
        }
        if !existed {
            do {
                try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
            } catch {
                throw DeltaError.io(table: root, file: root, message: "cannot create: \(error.localizedDescription)")
            }
        }
        createdRoot = !existed
        var snap: DeltaSnapshot? = nil
        var logDir: ObjCBool = false
        if fm.fileExists(atPath: root + "/_delta_log", isDirectory: &logDir), logDir.boolValue {
            let listing = try DeltaLog(table: root).list()
            if listing.latestCommit != nil || !listing.checkpoints.isEmpty {
                if mode == .create { throw DeltaError.invalidArgument(table: root, message: "table already exists (mode create)") }
                snap = try DeltaTable(path: root).snapshot()
            }
        }
        snapshot = snap
        if let snap {
            try DeltaWriter.checkWritable(snap, mode: mode)
            if !partitionBy.isEmpty && partitionBy.map({ $0.lowercased() }) != snap.partitionColumns.map({ $0.lowercased() }) {
                throw DeltaError.invalidArgument(table: root, message: "partitionBy \(partitionBy) differs from the table's \(snap.partitionColumns)")
            }
            schema = snap.schema
            partitions = snap.partitionColumns
        } else {
            schema = nil
            partitions = []
        }
    }

    deinit {
        if case .open = state { removeWrittenFiles() }
    }

    /// Writes `table` as data file(s) now; nothing is visible until ``commit(commitInfo:)``.
    /// Throws naming the column when the batch does not match the table's schema (the written
    /// files stay pending; ``abort()`` removes them).
    public func append(_ table: Table) throws {
        guard case .open = state else {
            throw DeltaError.invalidArgument(table: path, message: "the writer has already committed or aborted")
        }
        let input = try DeltaWriter.normalize(table, root: path)
        let data: Table
        if let schema {
            data = try DeltaWriter.conform(input, to: schema, root: path)
        } else {
            var ps: [String] = []
            for p in requestedPartitions {
                guard let i = input.schema.index(of: p) else { throw DeltaError.invalidArgument(table: path, message: "no partition column '\(p)'") }
                ps.append(input.schema.fields[i].name)
            }
            guard Set(ps.map { $0.lowercased() }).count == ps.count else {
                throw DeltaError.invalidArgument(table: path, message: "duplicate partition columns \(requestedPartitions)")
            }
            if ps.count == input.schema.fields.count && !ps.isEmpty {
                throw DeltaError.invalidArgument(table: path, message: "every column is a partition column; a table needs a data column")
            }
            // Check the schema converts to Delta before any file is written.
            do {
                _ = try DeltaSchema.schemaString(input.schema)
            } catch let e as DeltaSchema.SchemaError {
                throw DeltaError.invalidArgument(table: path, message: e.message)
            }
            schema = input.schema
            partitions = ps
            data = input
        }
        try writeDataFiles(data)
        rowCount += data.rowCount
    }

    /// Publishes every appended file as one commit and returns its version. `commitInfo` entries
    /// are added to the commit's `commitInfo` action as JSON strings (reserved keys such as
    /// `operation` or `timestamp` are ignored). On failure nothing is committed and the written
    /// files are deleted.
    @discardableResult
    public func commit(commitInfo: [String: String] = [:]) throws -> Int64 {
        guard case .open = state else {
            throw DeltaError.invalidArgument(table: path, message: "the writer has already committed or aborted")
        }
        do {
            let v = try commitOnce(commitInfo: commitInfo)
            state = .committed(v)
            return v
        } catch {
            abort()
            throw error
        }
    }

    /// Deletes the data files written so far; the table is unchanged. Nothing happens after a commit.
    public func abort() {
        guard case .open = state else { return }
        state = .aborted
        removeWrittenFiles()
    }

    private func removeWrittenFiles() {
        for rel in written { unlink(path + "/" + rel) }
        // Empty folders are invisible to readers; they are removed only from a folder this writer
        // created (another writer may be about to use a partition folder of an existing table).
        if createdRoot {
            for dir in createdDirs.sorted(by: { $0.count > $1.count }) { rmdir(path + "/" + dir) }
            rmdir(path)
        }
        written.removeAll()
        createdDirs.removeAll()
    }

    private func commitOnce(commitInfo: [String: String]) throws -> Int64 {
        guard let schema else {
            throw DeltaError.invalidArgument(table: path, message: "nothing to commit: no batch was appended, so the new table has no schema")
        }
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: path + "/_delta_log", withIntermediateDirectories: true)
        } catch {
            throw DeltaError.io(table: path, file: "_delta_log", message: "cannot create: \(error.localizedDescription)")
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        // Commit lines that do not depend on the version.
        var head: [String] = []
        if snapshot == nil {
            let naive = schema.fields.contains { if case .timestamp(_, false) = $0.type { true } else { false } }
            head.append(naive
                ? #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["timestampNtz"],"writerFeatures":["timestampNtz"]}}"#
                : #"{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}"#)
            let schemaString: String
            do {
                schemaString = try DeltaSchema.schemaString(schema)
            } catch let e as DeltaSchema.SchemaError {
                throw DeltaError.invalidArgument(table: path, message: e.message)
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
            for f in snap.files { removes.append(DeltaWriter.removeLine(f, now: now)) }
        }
        let opName = snapshot == nil ? "CREATE TABLE" : "WRITE"
        let modeText = mode == .create ? "ErrorIfExists" : (mode == .append ? "Append" : "Overwrite")
        var info: [(String, String)] = [
            ("timestamp", String(now)), ("operation", DeltaCommitter.quote(opName)),
            ("operationParameters", DeltaCommitter.stringMap([
                "mode": modeText, "partitionBy": "[" + partitions.map(DeltaCommitter.quote).joined(separator: ",") + "]",
            ])),
            ("isBlindAppend", mode == .overwrite ? "false" : "true"),
            ("engineInfo", DeltaCommitter.quote(DeltaWriter.engineInfo)),
        ]
        let reserved = Set(info.map(\.0)).union(["readVersion", "operationMetrics"])
        for (k, v) in commitInfo.sorted(by: { $0.key < $1.key }) where !reserved.contains(k) { info.append((k, DeltaCommitter.quote(v))) }
        info.append(("operationMetrics", DeltaCommitter.stringMap(["numFiles": String(adds.count), "numOutputRows": String(rowCount)])))

        let log = DeltaLog(table: path)
        var version = (snapshot?.version ?? -1) + 1
        for _ in 0 ..< DeltaWriter.maxAttempts {
            var lines = ["{\"commitInfo\":" + DeltaCommitter.object(info + (version > 0 ? [("readVersion", String(version - 1))] : [])) + "}"]
            lines += head + removes + adds
            try beforeCommit?(version)
            if try DeltaCommitter.tryCommit(table: path, version: version, lines: lines) { return version }
            // Lost the race for `version`.
            guard mode == .append, snapshot != nil else {
                throw DeltaError.concurrentModification(
                    table: path, version: version,
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
                            table: path, version: v, message: "a concurrent commit changed the table's metadata or protocol")
                    default: break
                    }
                }
            }
            version = latest + 1
        }
        throw DeltaError.concurrentModification(table: path, version: version, message: "gave up after \(DeltaWriter.maxAttempts) lost commit races")
    }

    /// Writes `data` (already conformed) as one file per partition value and records the `add` lines.
    private func writeDataFiles(_ data: Table) throws {
        let schema = data.schema
        let partIdx = partitions.compactMap { schema.index(of: $0) }
        let dataIdx = (0 ..< schema.fields.count).filter { !partIdx.contains($0) }
        // Group rows by partition values.
        var groups: [[String?]: [Int]] = [:]
        var order: [[String?]] = []
        if partIdx.isEmpty {
            order = [[]]
        } else {
            for r in 0 ..< data.rowCount {
                let key = partIdx.map { DeltaPartitions.text(data.columns[$0].value(at: r), type: schema.fields[$0].type) }
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(r)
            }
        }
        for key in order {
            let sub: Table
            if partIdx.isEmpty || order.count == 1 {
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
            let fileName = String(format: "part-%05d-", fileNumber) + UUID().uuidString.lowercased() + "-c000." + DeltaWriter.fileExtension(options.codec)
            fileNumber += 1
            let rel = dir + fileName
            let abs = path + "/" + rel
            if !dir.isEmpty { try createPartitionFolders(dir) }
            let result: ParquetWriteResult
            do {
                written.append(rel)
                result = try ParquetWriter.write(sub, to: abs, options: options)
            } catch let e as ParquetError {
                throw DeltaError.io(table: path, file: rel, message: e.description)
            }
            var st = stat()
            let mtime = stat(abs, &st) == 0 ? Int64(st.st_mtim.tv_sec) * 1000 + Int64(st.st_mtim.tv_nsec) / 1_000_000 : Int64(Date().timeIntervalSince1970 * 1000)
            let add = DeltaCommitter.object([
                ("path", DeltaCommitter.quote(DeltaPartitions.uriEncode(rel))),
                ("partitionValues", DeltaWriter.partitionValuesJSON(pv)),
                ("size", String(result.bytes)),
                ("modificationTime", String(mtime)),
                ("dataChange", "true"),
                ("stats", DeltaCommitter.quote(DeltaWriter.statsJSON(result, schema: sub.schema))),
            ])
            adds.append("{\"add\":" + add + "}")
        }
    }

    /// Creates the Hive folders of `dir` (`a=1/b=x/`), remembering the ones this writer made.
    private func createPartitionFolders(_ dir: String) throws {
        var prefix = ""
        for part in dir.split(separator: "/") {
            prefix += (prefix.isEmpty ? "" : "/") + part
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + prefix, isDirectory: &isDir) {
                guard isDir.boolValue else { throw DeltaError.io(table: path, file: prefix, message: "exists and is not a folder") }
                continue
            }
            if mkdir(path + "/" + prefix, 0o755) == 0 {
                createdDirs.append(prefix)
            } else if errno != EEXIST {
                throw DeltaError.io(table: path, file: prefix, message: "cannot create (errno \(errno))")
            }
        }
    }
}
