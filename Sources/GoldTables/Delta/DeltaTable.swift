import Foundation

/// A Delta Lake table on the local file system: its log, versions and snapshots.
///
/// ```swift
/// let t = try DeltaTable(path: "/data/churn")
/// let snap = try t.snapshot()                  // latest
/// let old = try t.snapshot(version: 3)         // time travel
/// let rows = try snap.read(columns: ["id", "label"])
/// ```
public final class DeltaTable: Sendable {
    /// The table root (no trailing slash).
    public let path: String
    let log: DeltaLog

    /// Opens the table at `path` (a folder with `_delta_log/`).
    public init(path: String) throws {
        var p = path
        if p.hasPrefix("file://") { p = String(p.dropFirst(7)) }
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        self.path = p
        self.log = DeltaLog(table: p)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: p + "/_delta_log", isDirectory: &isDir), isDir.boolValue else {
            throw DeltaError.notATable(table: p, message: "no _delta_log folder")
        }
    }

    /// The newest committed version.
    public func latestVersion() throws -> Int64 {
        let l = try log.list()
        if let v = l.latestCommit { return v }
        if let c = l.checkpoints.first { return c.version }
        throw DeltaError.notATable(table: path, message: "no commit files in _delta_log")
    }

    /// The table as of `version`, or as of `timestamp` (the latest version committed at or before
    /// it), or the latest version. Checks the protocol before returning.
    public func snapshot(version: Int64? = nil, timestamp: Date? = nil) throws -> DeltaSnapshot {
        let listing = try log.list()
        var v = version
        if v == nil, let ts = timestamp { v = try versionAt(timestamp: ts, listing: listing) }
        let st = try log.replay(version: v, listing: listing)
        return try DeltaSnapshot(table: path, state: st)
    }

    /// The commit timestamp (ms) used for time travel: `inCommitTimestamp` when in-commit
    /// timestamps are enabled for that version, else the commit file's modification time.
    func commitTimestamps(listing: LogListing) throws -> [(Int64, Int64)] {
        let versions = listing.sortedCommitVersions
        guard let latest = versions.last else { return [] }
        var ictFrom: Int64? = nil
        if let meta = try? log.replay(version: latest, listing: listing).metadata,
           meta.configuration["delta.enableInCommitTimestamps"]?.lowercased() == "true" {
            ictFrom = Int64(meta.configuration["delta.inCommitTimestampEnablementVersion"] ?? "0") ?? 0
        }
        var out: [(Int64, Int64)] = []
        out.reserveCapacity(versions.count)
        for v in versions {
            if let from = ictFrom, v >= from {
                let actions = try log.commitActions(v, listing: listing)
                var ts: Int64? = nil
                for a in actions { if case .commitInfo(let ci) = a { ts = ci.inCommitTimestamp } }
                guard let t = ts else {
                    throw DeltaError.corruptLog(table: path, file: "_delta_log/" + DeltaLog.commitName(v), line: nil,
                                                message: "in-commit timestamps are enabled but commitInfo.inCommitTimestamp is absent")
                }
                out.append((v, t))
            } else {
                out.append((v, listing.commitMTimes[v] ?? 0))
            }
        }
        return out
    }

    func versionAt(timestamp: Date, listing: LogListing) throws -> Int64 {
        let t = Int64((timestamp.timeIntervalSince1970 * 1000).rounded(.down))
        let ts = try commitTimestamps(listing: listing)
        guard let first = ts.first else { throw DeltaError.notATable(table: path, message: "no commit files in _delta_log") }
        var best: Int64? = nil
        for (v, c) in ts where c <= t { best = v }
        guard let b = best else {
            throw DeltaError.versionUnavailable(
                table: path, version: nil,
                message: "timestamp \(ISO8601DateFormatter().string(from: timestamp)) is before the earliest available commit (version \(first.0))")
        }
        return b
    }

    /// Every available commit's provenance, newest first.
    public func history() throws -> [DeltaCommit] {
        let listing = try log.list()
        var out: [DeltaCommit] = []
        for v in listing.sortedCommitVersions.reversed() {
            let actions = try log.commitActions(v, listing: listing)
            var info: CommitInfo? = nil
            for a in actions { if case .commitInfo(let ci) = a { info = ci } }
            let ms = info?.inCommitTimestamp ?? info?.timestamp ?? listing.commitMTimes[v] ?? 0
            out.append(DeltaCommit(
                version: v, timestamp: Date(timeIntervalSince1970: Double(ms) / 1000), operation: info?.operation,
                operationParameters: info?.operationParameters ?? [:], engineInfo: info?.engineInfo, isBlindAppend: info?.isBlindAppend))
        }
        return out
    }
}

/// The state of a Delta table at one version: schema, live files, protocol and metadata.
/// Reading it (``scan(columns:)``) streams one batch per data file row group.
public struct DeltaSnapshot: TableSource {
    public let tablePath: String
    public let version: Int64
    /// The logical schema (partition columns included, in schema order).
    public let schema: Schema
    public let partitionColumns: [String]
    /// The live data files.
    public let files: [DeltaFile]
    public let `protocol`: DeltaProtocol
    public let metadata: DeltaMetadata
    /// `commitInfo.inCommitTimestamp` of this version, when written.
    public let inCommitTimestamp: Int64?
    /// `delta.columnMapping.mode`: `none`, `name` or `id`.
    public let columnMappingMode: String

    /// Reader features this reader handles.
    static let supportedReaderFeatures: Set<String> = [
        "timestampNtz", "columnMapping", "deletionVectors", "v2Checkpoint", "vacuumProtocolCheck",
        "variantType", "variantType-preview", "variantShredding", "variantShredding-preview",
        // Older files are up-cast to the table type on read (int→long/double, float→double,
        // date→timestamp_ntz, integer→decimal, decimal widening).
        "typeWidening", "typeWidening-preview",
    ]

    init(table: String, state: DeltaLog.State) throws {
        tablePath = table
        version = state.version
        guard let p = state.protocolAction else {
            throw DeltaError.versionUnavailable(table: table, version: state.version, message: "no protocol action in the log")
        }
        guard let m = state.metadata else {
            throw DeltaError.versionUnavailable(table: table, version: state.version, message: "no metaData action in the log")
        }
        self.protocol = p
        self.metadata = m
        inCommitTimestamp = state.inCommitTimestamp
        // Protocol gate.
        if p.minReaderVersion > 3 {
            throw DeltaError.unsupportedFeature(table: table, version: state.version,
                                                message: "minReaderVersion \(p.minReaderVersion) (this reader supports up to 3)")
        }
        if p.minReaderVersion == 3 {
            for f in p.readerFeatures ?? [] where !Self.supportedReaderFeatures.contains(f) {
                throw DeltaError.unsupportedFeature(table: table, version: state.version, message: "reader feature '\(f)'")
            }
        }
        let mode = (m.configuration["delta.columnMapping.mode"] ?? "none").lowercased()
        guard ["none", "name", "id"].contains(mode) else {
            throw DeltaError.unsupportedFeature(table: table, version: state.version, message: "column mapping mode '\(mode)'")
        }
        columnMappingMode = mode
        do {
            schema = try DeltaSchema.parse(m.schemaString)
        } catch let e as DeltaSchema.SchemaError {
            throw DeltaError.corruptLog(table: table, file: "_delta_log (metaData at version \(state.version))", line: nil, message: e.message)
        }
        for c in m.partitionColumns where schema.index(of: c) == nil {
            throw DeltaError.corruptLog(table: table, file: "_delta_log (metaData at version \(state.version))", line: nil,
                                        message: "partition column '\(c)' is not in the schema")
        }
        partitionColumns = m.partitionColumns
        files = state.liveFiles
    }

    /// Rows in the live files after deletion vectors, from stats. Nil when a file lacks stats or
    /// they are nonsense (negative, fewer rows than the file's deletion vector deletes, or a sum
    /// past Int64): the caller then counts by scanning.
    public var numRecords: Int64? {
        var n: Int64 = 0
        for f in files {
            guard let r = f.numRecords, r >= 0 else { return nil }
            let deleted = f.deletionVector?.cardinality ?? 0
            guard deleted >= 0, deleted <= r else { return nil }
            let (sum, overflow) = n.addingReportingOverflow(r - deleted)
            if overflow { return nil }
            n = sum
        }
        return n
    }
}
