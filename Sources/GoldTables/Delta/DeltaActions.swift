import Foundation

/// The `protocol` action: which reader/writer versions and features a table needs.
public struct DeltaProtocol: Sendable, Hashable {
    public var minReaderVersion: Int
    public var minWriterVersion: Int
    /// Only for reader version 3.
    public var readerFeatures: [String]?
    /// Only for writer version 7.
    public var writerFeatures: [String]?

    public init(minReaderVersion: Int, minWriterVersion: Int, readerFeatures: [String]? = nil, writerFeatures: [String]? = nil) {
        self.minReaderVersion = minReaderVersion
        self.minWriterVersion = minWriterVersion
        self.readerFeatures = readerFeatures
        self.writerFeatures = writerFeatures
    }
}

/// The `metaData` action: table id, schema (Spark JSON), partition columns, configuration.
public struct DeltaMetadata: Sendable, Hashable {
    public var id: String
    public var name: String?
    public var description: String?
    public var formatProvider: String
    public var schemaString: String
    public var partitionColumns: [String]
    public var configuration: [String: String]
    /// Milliseconds since the epoch.
    public var createdTime: Int64?

    public init(id: String, name: String? = nil, description: String? = nil, formatProvider: String = "parquet",
                schemaString: String, partitionColumns: [String], configuration: [String: String], createdTime: Int64?) {
        self.id = id
        self.name = name
        self.description = description
        self.formatProvider = formatProvider
        self.schemaString = schemaString
        self.partitionColumns = partitionColumns
        self.configuration = configuration
        self.createdTime = createdTime
    }
}

/// Where a data file's deletion vector lives (`add.deletionVector`).
public struct DeletionVectorDescriptor: Sendable, Hashable {
    /// `u` (relative, Z85 UUID), `p` (absolute path) or `i` (inline Z85 bitmap).
    public var storageType: String
    public var pathOrInlineDv: String
    public var offset: Int?
    public var sizeInBytes: Int
    public var cardinality: Int64
    public var maxRowIndex: Int64?

    public init(storageType: String, pathOrInlineDv: String, offset: Int?, sizeInBytes: Int, cardinality: Int64, maxRowIndex: Int64? = nil) {
        self.storageType = storageType
        self.pathOrInlineDv = pathOrInlineDv
        self.offset = offset
        self.sizeInBytes = sizeInBytes
        self.cardinality = cardinality
        self.maxRowIndex = maxRowIndex
    }

    /// The id that, with the path, keys a file in the snapshot.
    public var uniqueId: String {
        storageType + pathOrInlineDv + (offset.map { "@\($0)" } ?? "")
    }
}

/// A live data file of a snapshot (an `add` action).
public struct DeltaFile: Sendable, Hashable {
    /// The path relative to the table root (percent-decoded once), or an absolute URI.
    public var path: String
    /// Partition values as written in the log (keys are physical names under column mapping);
    /// nil = NULL.
    public var partitionValues: [String: String?]
    public var size: Int64
    /// Milliseconds since the epoch.
    public var modificationTime: Int64
    public var dataChange: Bool
    /// The stats JSON text, when present.
    public var stats: String?
    public var deletionVector: DeletionVectorDescriptor?

    public init(path: String, partitionValues: [String: String?], size: Int64, modificationTime: Int64, dataChange: Bool,
                stats: String?, deletionVector: DeletionVectorDescriptor?) {
        self.path = path
        self.partitionValues = partitionValues
        self.size = size
        self.modificationTime = modificationTime
        self.dataChange = dataChange
        self.stats = stats
        self.deletionVector = deletionVector
    }

    var key: String { path + "\u{0}" + (deletionVector?.uniqueId ?? "") }

    /// `numRecords` from the stats, when present.
    public var numRecords: Int64? {
        guard let s = stats, let o = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any] else { return nil }
        return JSONValue.int64(o["numRecords"])
    }
}

/// One entry of ``DeltaTable/history()``: a commit's provenance.
public struct DeltaCommit: Sendable, Hashable {
    public var version: Int64
    /// The commit's time: `commitInfo.inCommitTimestamp`, else `commitInfo.timestamp`, else the
    /// commit file's modification time.
    public var timestamp: Date
    public var operation: String?
    /// Parameters as text (non-string JSON values are given as their JSON text).
    public var operationParameters: [String: String]
    public var engineInfo: String?
    public var isBlindAppend: Bool?

    public init(version: Int64, timestamp: Date, operation: String?, operationParameters: [String: String], engineInfo: String?, isBlindAppend: Bool? = nil) {
        self.version = version
        self.timestamp = timestamp
        self.operation = operation
        self.operationParameters = operationParameters
        self.engineInfo = engineInfo
        self.isBlindAppend = isBlindAppend
    }
}

/// The parsed `commitInfo` fields a reader uses.
struct CommitInfo: Sendable, Hashable {
    var timestamp: Int64?
    var inCommitTimestamp: Int64?
    var operation: String?
    var operationParameters: [String: String]
    var engineInfo: String?
    var isBlindAppend: Bool?
}

/// One log action.
enum DeltaAction: Sendable {
    case add(DeltaFile)
    /// A tombstone: the file key it removes.
    case remove(path: String, dvId: String)
    case metaData(DeltaMetadata)
    case protocolAction(DeltaProtocol)
    case txn(appId: String, version: Int64)
    case commitInfo(CommitInfo)
    case checkpointMetadata(version: Int64)
    case sidecar(path: String)
    case other
}

/// Helpers over `JSONSerialization` output.
enum JSONValue {
    static func int64(_ a: Any?) -> Int64? {
        switch a {
        case let v as Int: return Int64(v)
        case let v as Int64: return v
        case let v as Int32: return Int64(v)
        case let v as Double:
            guard v.isFinite, v == v.rounded(), abs(v) < 9.2e18 else { return nil }
            return Int64(v)
        case let v as NSNumber: return v.int64Value
        default: return nil
        }
    }

    /// True for a JSON `true`/`false` (on Linux a JSON number also casts to Bool, so check the
    /// NSNumber's type code).
    static func isBoolean(_ a: Any) -> Bool {
        if let n = a as? NSNumber { return String(cString: n.objCType) == "c" }
        return a is Bool
    }

    static func bool(_ a: Any?) -> Bool? {
        guard let a, isBoolean(a) else { return nil }
        if let n = a as? NSNumber { return n.boolValue }
        return a as? Bool
    }

    static func string(_ a: Any?) -> String? { a as? String }

    static func isNull(_ a: Any?) -> Bool { a == nil || a is NSNull }

    /// A JSON value's text (strings verbatim).
    static func text(_ a: Any) -> String {
        if let s = a as? String { return s }
        if a is NSNull { return "null" }
        if isBoolean(a), let b = bool(a) { return b ? "true" : "false" }
        if let n = a as? NSNumber { return n.stringValue }
        if JSONSerialization.isValidJSONObject(a), let d = try? JSONSerialization.data(withJSONObject: a, options: [.sortedKeys]) {
            return String(decoding: d, as: UTF8.self)
        }
        return "\(a)"
    }

    static func stringMap(_ a: Any?) -> [String: String] {
        guard let d = a as? [String: Any] else { return [:] }
        var out: [String: String] = [:]
        for (k, v) in d where !(v is NSNull) { out[k] = text(v) }
        return out
    }

    static func optionalStringMap(_ a: Any?) -> [String: String?] {
        guard let d = a as? [String: Any] else { return [:] }
        var out: [String: String?] = [:]
        for (k, v) in d { out[k] = (v is NSNull) ? String?.none : .some(text(v)) }
        return out
    }

    static func stringArray(_ a: Any?) -> [String]? {
        guard let arr = a as? [Any] else { return nil }
        return arr.compactMap { $0 as? String }
    }
}

/// Parses log lines into actions.
enum ActionParser {
    struct LineError: Error { var message: String }

    /// Percent-decodes a log path once (`%XX` only; `+` stays).
    static func percentDecode(_ s: String) -> String {
        PercentEncoding.decode(s)
    }

    static func deletionVector(_ a: Any?) throws -> DeletionVectorDescriptor? {
        if JSONValue.isNull(a) { return nil }
        guard let d = a as? [String: Any] else { throw LineError(message: "deletionVector is not an object") }
        guard let st = JSONValue.string(d["storageType"]), let p = JSONValue.string(d["pathOrInlineDv"]) else {
            throw LineError(message: "deletionVector lacks storageType or pathOrInlineDv")
        }
        guard let size = JSONValue.int64(d["sizeInBytes"]), let card = JSONValue.int64(d["cardinality"]) else {
            throw LineError(message: "deletionVector lacks sizeInBytes or cardinality")
        }
        return DeletionVectorDescriptor(
            storageType: st, pathOrInlineDv: p, offset: JSONValue.int64(d["offset"]).map { Int($0) },
            sizeInBytes: Int(size), cardinality: card, maxRowIndex: JSONValue.int64(d["maxRowIndex"]))
    }

    static func metadata(_ m: [String: Any]) throws -> DeltaMetadata {
        guard let schema = JSONValue.string(m["schemaString"]) else { throw LineError(message: "metaData lacks schemaString") }
        let fmt = m["format"] as? [String: Any]
        return DeltaMetadata(
            id: JSONValue.string(m["id"]) ?? "", name: JSONValue.string(m["name"]),
            description: JSONValue.string(m["description"]),
            formatProvider: JSONValue.string(fmt?["provider"]) ?? "parquet", schemaString: schema,
            partitionColumns: JSONValue.stringArray(m["partitionColumns"]) ?? [],
            configuration: JSONValue.stringMap(m["configuration"]), createdTime: JSONValue.int64(m["createdTime"]))
    }

    static func protocolAction(_ p: [String: Any]) throws -> DeltaProtocol {
        guard let r = JSONValue.int64(p["minReaderVersion"]) else { throw LineError(message: "protocol lacks minReaderVersion") }
        return DeltaProtocol(
            minReaderVersion: Int(r), minWriterVersion: Int(JSONValue.int64(p["minWriterVersion"]) ?? 0),
            readerFeatures: JSONValue.stringArray(p["readerFeatures"]), writerFeatures: JSONValue.stringArray(p["writerFeatures"]))
    }

    static func commitInfo(_ c: [String: Any]) -> CommitInfo {
        CommitInfo(
            timestamp: JSONValue.int64(c["timestamp"]), inCommitTimestamp: JSONValue.int64(c["inCommitTimestamp"]),
            operation: JSONValue.string(c["operation"]), operationParameters: JSONValue.stringMap(c["operationParameters"]),
            engineInfo: JSONValue.string(c["engineInfo"]), isBlindAppend: JSONValue.bool(c["isBlindAppend"]))
    }

    /// Parses one decoded action object (a commit line, or a checkpoint row rebuilt as a dictionary).
    static func action(_ obj: [String: Any]) throws -> DeltaAction {
        if let a = obj["add"], !JSONValue.isNull(a) {
            guard let d = a as? [String: Any], let path = JSONValue.string(d["path"]) else {
                throw LineError(message: "add action without a path")
            }
            return .add(DeltaFile(
                path: percentDecode(path), partitionValues: JSONValue.optionalStringMap(d["partitionValues"]),
                size: JSONValue.int64(d["size"]) ?? 0, modificationTime: JSONValue.int64(d["modificationTime"]) ?? 0,
                dataChange: JSONValue.bool(d["dataChange"]) ?? true, stats: JSONValue.string(d["stats"]),
                deletionVector: try deletionVector(d["deletionVector"])))
        }
        if let a = obj["remove"], !JSONValue.isNull(a) {
            guard let d = a as? [String: Any], let path = JSONValue.string(d["path"]) else {
                throw LineError(message: "remove action without a path")
            }
            return .remove(path: percentDecode(path), dvId: try deletionVector(d["deletionVector"])?.uniqueId ?? "")
        }
        if let a = obj["metaData"], !JSONValue.isNull(a) {
            guard let d = a as? [String: Any] else { throw LineError(message: "metaData is not an object") }
            return .metaData(try metadata(d))
        }
        if let a = obj["protocol"], !JSONValue.isNull(a) {
            guard let d = a as? [String: Any] else { throw LineError(message: "protocol is not an object") }
            return .protocolAction(try protocolAction(d))
        }
        if let a = obj["txn"], !JSONValue.isNull(a) {
            guard let d = a as? [String: Any], let app = JSONValue.string(d["appId"]) else { throw LineError(message: "txn without appId") }
            return .txn(appId: app, version: JSONValue.int64(d["version"]) ?? -1)
        }
        if let a = obj["commitInfo"], !JSONValue.isNull(a) {
            return .commitInfo(commitInfo(a as? [String: Any] ?? [:]))
        }
        if let a = obj["checkpointMetadata"], !JSONValue.isNull(a) {
            guard let d = a as? [String: Any], let v = JSONValue.int64(d["version"]) else {
                throw LineError(message: "checkpointMetadata without version")
            }
            return .checkpointMetadata(version: v)
        }
        if let a = obj["sidecar"], !JSONValue.isNull(a) {
            guard let d = a as? [String: Any], let p = JSONValue.string(d["path"]) else { throw LineError(message: "sidecar without path") }
            return .sidecar(path: percentDecode(p))
        }
        return .other
    }

    /// Parses newline-delimited JSON actions; errors name `file` and the 1-based line.
    static func parseLines(_ data: [UInt8], table: String, file: String) throws -> [DeltaAction] {
        var out: [DeltaAction] = []
        var lineNo = 0
        var start = 0
        let n = data.count
        while start < n {
            var end = start
            while end < n && data[end] != UInt8(ascii: "\n") { end += 1 }
            lineNo += 1
            var s = start, e = end
            while s < e, data[s] == 32 || data[s] == 9 || data[s] == 13 { s += 1 }
            while e > s, data[e - 1] == 32 || data[e - 1] == 9 || data[e - 1] == 13 { e -= 1 }
            if s < e {
                let obj: Any
                do {
                    obj = try JSONSerialization.jsonObject(with: Data(data[s ..< e]), options: [])
                } catch {
                    throw DeltaError.corruptLog(table: table, file: file, line: lineNo, message: "not valid JSON")
                }
                guard let dict = obj as? [String: Any] else {
                    throw DeltaError.corruptLog(table: table, file: file, line: lineNo, message: "a line is not a JSON object")
                }
                do {
                    out.append(try action(dict))
                } catch let e as LineError {
                    throw DeltaError.corruptLog(table: table, file: file, line: lineNo, message: e.message)
                }
            }
            start = end + 1
        }
        return out
    }
}
