/// Parquet physical types (the `Type` enum of parquet.thrift).
public enum ParquetPhysicalType: Int32, Sendable, Hashable, Codable {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7
}

/// A Parquet logical type: the `LogicalType` union, or the legacy `ConvertedType` mapped onto it.
public enum ParquetLogicalType: Sendable, Hashable {
    case string
    case map
    case list
    case enumeration
    case decimal(precision: Int, scale: Int)
    case date
    case time(utc: Bool, unit: TimeUnit)
    case timestamp(utc: Bool, unit: TimeUnit)
    case integer(bitWidth: Int, signed: Bool)
    /// Always null.
    case unknown
    case json
    case bson
    case uuid
    case float16
    case variant
    case interval
    /// A logical type this reader does not know (its union field id); the physical type is used.
    case other(Int)
}

/// Statistics of a column chunk as stored (min/max as PLAIN bytes of one value).
public struct ParquetStatistics: Sendable, Hashable {
    public var nullCount: Int64?
    public var distinctCount: Int64?
    /// `min_value` (or the deprecated `min` when only that is present).
    public var minValue: [UInt8]?
    public var maxValue: [UInt8]?
}

/// The metadata of one column chunk (one leaf column in one row group).
public struct ParquetColumnChunk: Sendable, Hashable {
    /// `path_in_schema`.
    public var path: [String]
    public var physicalType: ParquetPhysicalType?
    /// The raw `CompressionCodec` id; see ``codec``.
    public var codecId: Int32
    /// Level entries including nulls.
    public var numValues: Int64
    public var totalUncompressedSize: Int64
    public var totalCompressedSize: Int64
    public var dataPageOffset: Int64
    public var dictionaryPageOffset: Int64?
    /// Encodings listed in the metadata (informational).
    public var encodings: [Int32]
    public var statistics: ParquetStatistics?
    /// Set when the data lives in another file (not supported).
    public var filePath: String?
    var hasMetaData: Bool
    var encrypted: Bool

    public var codec: CompressionCodec? { CompressionCodec(rawValue: codecId) }
}

/// The metadata of one row group.
public struct ParquetRowGroup: Sendable, Hashable {
    public var numRows: Int64
    public var totalByteSize: Int64
    /// One chunk per leaf column, in schema (depth-first) order.
    public var columns: [ParquetColumnChunk]
}

/// One element of the flattened Parquet schema.
struct PQSchemaElement: Sendable, Hashable {
    var type: Int32?
    var typeLength: Int32?
    var repetition: Int32?
    var name: String = ""
    var numChildren: Int32?
    var convertedType: Int32?
    var scale: Int32?
    var precision: Int32?
    var fieldId: Int32?
    var logicalType: ParquetLogicalType?
}

/// The decoded footer (`FileMetaData`) of a Parquet file.
public struct ParquetMetadata: Sendable, Hashable {
    public var version: Int32
    public var numRows: Int64
    public var createdBy: String?
    /// Key-value metadata in file order (later duplicates win in ``keyValue(_:)``).
    public var keyValueMetadata: [(key: String, value: String?)] {
        get { kvPairs.map { ($0.key, $0.value) } }
        set { kvPairs = newValue.map { KV(key: $0.key, value: $0.value) } }
    }
    public var rowGroups: [ParquetRowGroup]
    var schema: [PQSchemaElement]
    var kvPairs: [KV]

    struct KV: Sendable, Hashable {
        var key: String
        var value: String?
    }

    /// The value of key-value metadata entry `key` (the last one if repeated).
    public func keyValue(_ key: String) -> String? {
        kvPairs.last { $0.key == key }?.value ?? nil
    }
}

// MARK: - Decoding

enum PQThriftDecode {
    typealias T = ThriftReader.T

    static func fileMetaData(_ r: inout ThriftReader) throws -> ParquetMetadata {
        var m = ParquetMetadata(version: 0, numRows: 0, createdBy: nil, rowGroups: [], schema: [], kvPairs: [])
        var seen = (schema: false, numRows: false, rowGroups: false)
        try r.enter()
        var last: Int16 = 0
        while let (id, t) = try r.field(&last) {
            switch id {
            case 1: try r.expect(t, T.i32, "version"); m.version = try r.i32()
            case 2:
                try r.expect(t, T.list, "schema")
                let (n, et) = try r.listHeader()
                try r.expect(et, T.structure, "schema element")
                m.schema.reserveCapacity(n)
                for _ in 0 ..< n { m.schema.append(try schemaElement(&r)) }
                seen.schema = true
            case 3: try r.expect(t, T.i64, "num_rows"); m.numRows = try r.i64(); seen.numRows = true
            case 4:
                try r.expect(t, T.list, "row_groups")
                let (n, et) = try r.listHeader()
                try r.expect(et, T.structure, "row group")
                m.rowGroups.reserveCapacity(n)
                for _ in 0 ..< n { m.rowGroups.append(try rowGroup(&r)) }
                seen.rowGroups = true
            case 5:
                try r.expect(t, T.list, "key_value_metadata")
                let (n, et) = try r.listHeader()
                try r.expect(et, T.structure, "key value")
                for _ in 0 ..< n { m.kvPairs.append(try keyValue(&r)) }
            case 6: try r.expect(t, T.binary, "created_by"); m.createdBy = try r.string()
            case 8, 9: throw PQDecodeError("encrypted Parquet files are not supported")
            default: try r.skip(t)
            }
        }
        r.leave()
        guard seen.schema, seen.numRows, seen.rowGroups else {
            throw PQDecodeError("footer lacks a required field (schema, num_rows or row_groups)")
        }
        return m
    }

    static func keyValue(_ r: inout ThriftReader) throws -> ParquetMetadata.KV {
        var kv = ParquetMetadata.KV(key: "", value: nil)
        try r.enter()
        var last: Int16 = 0
        while let (id, t) = try r.field(&last) {
            switch id {
            case 1: try r.expect(t, T.binary, "key"); kv.key = try r.string()
            case 2: try r.expect(t, T.binary, "value"); kv.value = try r.string()
            default: try r.skip(t)
            }
        }
        r.leave()
        return kv
    }

    static func schemaElement(_ r: inout ThriftReader) throws -> PQSchemaElement {
        var e = PQSchemaElement()
        try r.enter()
        var last: Int16 = 0
        while let (id, t) = try r.field(&last) {
            switch id {
            case 1: try r.expect(t, T.i32, "type"); e.type = try r.i32()
            case 2: try r.expect(t, T.i32, "type_length"); e.typeLength = try r.i32()
            case 3: try r.expect(t, T.i32, "repetition_type"); e.repetition = try r.i32()
            case 4: try r.expect(t, T.binary, "name"); e.name = try r.string()
            case 5: try r.expect(t, T.i32, "num_children"); e.numChildren = try r.i32()
            case 6: try r.expect(t, T.i32, "converted_type"); e.convertedType = try r.i32()
            case 7: try r.expect(t, T.i32, "scale"); e.scale = try r.i32()
            case 8: try r.expect(t, T.i32, "precision"); e.precision = try r.i32()
            case 9: try r.expect(t, T.i32, "field_id"); e.fieldId = try r.i32()
            case 10: try r.expect(t, T.structure, "logicalType"); e.logicalType = try logicalType(&r)
            default: try r.skip(t)
            }
        }
        r.leave()
        return e
    }

    static func timeUnit(_ r: inout ThriftReader) throws -> TimeUnit {
        var unit: TimeUnit?
        try r.enter()
        var last: Int16 = 0
        while let (id, t) = try r.field(&last) {
            switch id {
            case 1: unit = .milliseconds
            case 2: unit = .microseconds
            case 3: unit = .nanoseconds
            default: break
            }
            try r.skip(t)
        }
        r.leave()
        guard let unit else { throw r.fail("unknown time unit") }
        return unit
    }

    /// Decodes a struct whose fields are read by `body`; unknown fields skipped.
    static func structFields(_ r: inout ThriftReader, _ body: (inout ThriftReader, Int16, UInt8) throws -> Bool) throws {
        try r.enter()
        var last: Int16 = 0
        while let (id, t) = try r.field(&last) {
            if try !body(&r, id, t) { try r.skip(t) }
        }
        r.leave()
    }

    static func logicalType(_ r: inout ThriftReader) throws -> ParquetLogicalType? {
        var result: ParquetLogicalType?
        try r.enter()
        var last: Int16 = 0
        while let (id, t) = try r.field(&last) {
            guard t == T.structure else { try r.skip(t); continue }
            switch id {
            case 1: result = .string; try r.skip(t)
            case 2: result = .map; try r.skip(t)
            case 3: result = .list; try r.skip(t)
            case 4: result = .enumeration; try r.skip(t)
            case 5:
                var scale: Int32 = 0, precision: Int32 = 0
                try structFields(&r) { r, id, t in
                    switch id {
                    case 1: try r.expect(t, T.i32, "scale"); scale = try r.i32(); return true
                    case 2: try r.expect(t, T.i32, "precision"); precision = try r.i32(); return true
                    default: return false
                    }
                }
                result = .decimal(precision: Int(precision), scale: Int(scale))
            case 6: result = .date; try r.skip(t)
            case 7, 8:
                var utc = false
                var unit = TimeUnit.milliseconds
                try structFields(&r) { r, fid, ft in
                    switch fid {
                    case 1: utc = try r.boolField(ft); return true
                    case 2: try r.expect(ft, T.structure, "unit"); unit = try timeUnit(&r); return true
                    default: return false
                    }
                }
                result = id == 7 ? .time(utc: utc, unit: unit) : .timestamp(utc: utc, unit: unit)
            case 10:
                var width: Int8 = 0
                var signed = true
                try structFields(&r) { r, fid, ft in
                    switch fid {
                    case 1: try r.expect(ft, T.i8, "bitWidth"); width = try r.i8(); return true
                    case 2: signed = try r.boolField(ft); return true
                    default: return false
                    }
                }
                result = .integer(bitWidth: Int(width), signed: signed)
            case 11: result = .unknown; try r.skip(t)
            case 12: result = .json; try r.skip(t)
            case 13: result = .bson; try r.skip(t)
            case 14: result = .uuid; try r.skip(t)
            case 15: result = .float16; try r.skip(t)
            case 16: result = .variant; try r.skip(t)
            default: result = .other(Int(id)); try r.skip(t)
            }
        }
        r.leave()
        return result
    }

    static func rowGroup(_ r: inout ThriftReader) throws -> ParquetRowGroup {
        var g = ParquetRowGroup(numRows: 0, totalByteSize: 0, columns: [])
        try r.enter()
        var last: Int16 = 0
        while let (id, t) = try r.field(&last) {
            switch id {
            case 1:
                try r.expect(t, T.list, "columns")
                let (n, et) = try r.listHeader()
                try r.expect(et, T.structure, "column chunk")
                g.columns.reserveCapacity(n)
                for _ in 0 ..< n { g.columns.append(try columnChunk(&r)) }
            case 2: try r.expect(t, T.i64, "total_byte_size"); g.totalByteSize = try r.i64()
            case 3: try r.expect(t, T.i64, "num_rows"); g.numRows = try r.i64()
            default: try r.skip(t)
            }
        }
        r.leave()
        return g
    }

    static func columnChunk(_ r: inout ThriftReader) throws -> ParquetColumnChunk {
        var c = ParquetColumnChunk(path: [], physicalType: nil, codecId: 0, numValues: 0, totalUncompressedSize: 0,
                                   totalCompressedSize: 0, dataPageOffset: 0, dictionaryPageOffset: nil, encodings: [],
                                   statistics: nil, filePath: nil, hasMetaData: false, encrypted: false)
        try r.enter()
        var last: Int16 = 0
        while let (id, t) = try r.field(&last) {
            switch id {
            case 1: try r.expect(t, T.binary, "file_path"); c.filePath = try r.string()
            case 3: try r.expect(t, T.structure, "meta_data"); try columnMetaData(&r, into: &c); c.hasMetaData = true
            case 8, 9: c.encrypted = true; try r.skip(t)
            default: try r.skip(t)
            }
        }
        r.leave()
        return c
    }

    static func columnMetaData(_ r: inout ThriftReader, into c: inout ParquetColumnChunk) throws {
        try r.enter()
        var last: Int16 = 0
        while let (id, t) = try r.field(&last) {
            switch id {
            case 1:
                try r.expect(t, T.i32, "type")
                let v = try r.i32()
                guard let pt = ParquetPhysicalType(rawValue: v) else { throw r.fail("unknown physical type \(v)") }
                c.physicalType = pt
            case 2:
                try r.expect(t, T.list, "encodings")
                let (n, et) = try r.listHeader()
                try r.expect(et, T.i32, "encoding")
                for _ in 0 ..< n { c.encodings.append(try r.i32()) }
            case 3:
                try r.expect(t, T.list, "path_in_schema")
                let (n, et) = try r.listHeader()
                try r.expect(et, T.binary, "path element")
                for _ in 0 ..< n { c.path.append(try r.string()) }
            case 4: try r.expect(t, T.i32, "codec"); c.codecId = try r.i32()
            case 5: try r.expect(t, T.i64, "num_values"); c.numValues = try r.i64()
            case 6: try r.expect(t, T.i64, "total_uncompressed_size"); c.totalUncompressedSize = try r.i64()
            case 7: try r.expect(t, T.i64, "total_compressed_size"); c.totalCompressedSize = try r.i64()
            case 9: try r.expect(t, T.i64, "data_page_offset"); c.dataPageOffset = try r.i64()
            case 11: try r.expect(t, T.i64, "dictionary_page_offset"); c.dictionaryPageOffset = try r.i64()
            case 12: try r.expect(t, T.structure, "statistics"); c.statistics = try statistics(&r)
            default: try r.skip(t)
            }
        }
        r.leave()
    }

    static func statistics(_ r: inout ThriftReader) throws -> ParquetStatistics {
        var s = ParquetStatistics()
        var oldMin: [UInt8]?, oldMax: [UInt8]?
        try structFields(&r) { r, id, t in
            switch id {
            case 1: try r.expect(t, T.binary, "max"); oldMax = try r.bytes()
            case 2: try r.expect(t, T.binary, "min"); oldMin = try r.bytes()
            case 3: try r.expect(t, T.i64, "null_count"); s.nullCount = try r.i64()
            case 4: try r.expect(t, T.i64, "distinct_count"); s.distinctCount = try r.i64()
            case 5: try r.expect(t, T.binary, "max_value"); s.maxValue = try r.bytes()
            case 6: try r.expect(t, T.binary, "min_value"); s.minValue = try r.bytes()
            default: return false
            }
            return true
        }
        if s.minValue == nil { s.minValue = oldMin }
        if s.maxValue == nil { s.maxValue = oldMax }
        return s
    }

    static func pageHeader(_ r: inout ThriftReader) throws -> PQPageHeader {
        var h = PQPageHeader()
        var seen = (type: false, u: false, c: false)
        try r.enter()
        var last: Int16 = 0
        while let (id, t) = try r.field(&last) {
            switch id {
            case 1: try r.expect(t, T.i32, "type"); h.type = try r.i32(); seen.type = true
            case 2: try r.expect(t, T.i32, "uncompressed_page_size"); h.uncompressedSize = Int(try r.i32()); seen.u = true
            case 3: try r.expect(t, T.i32, "compressed_page_size"); h.compressedSize = Int(try r.i32()); seen.c = true
            case 5:
                try r.expect(t, T.structure, "data_page_header")
                var d = PQPageHeader.DataV1()
                try structFields(&r) { r, id, t in
                    switch id {
                    case 1: try r.expect(t, T.i32, "num_values"); d.numValues = Int(try r.i32())
                    case 2: try r.expect(t, T.i32, "encoding"); d.encoding = try r.i32()
                    case 3: try r.expect(t, T.i32, "definition_level_encoding"); d.defEncoding = try r.i32()
                    case 4: try r.expect(t, T.i32, "repetition_level_encoding"); d.repEncoding = try r.i32()
                    default: return false
                    }
                    return true
                }
                h.v1 = d
            case 7:
                try r.expect(t, T.structure, "dictionary_page_header")
                var d = PQPageHeader.Dict()
                try structFields(&r) { r, id, t in
                    switch id {
                    case 1: try r.expect(t, T.i32, "num_values"); d.numValues = Int(try r.i32())
                    case 2: try r.expect(t, T.i32, "encoding"); d.encoding = try r.i32()
                    default: return false
                    }
                    return true
                }
                h.dict = d
            case 8:
                try r.expect(t, T.structure, "data_page_header_v2")
                var d = PQPageHeader.DataV2()
                try structFields(&r) { r, id, t in
                    switch id {
                    case 1: try r.expect(t, T.i32, "num_values"); d.numValues = Int(try r.i32())
                    case 2: try r.expect(t, T.i32, "num_nulls"); d.numNulls = Int(try r.i32())
                    case 3: try r.expect(t, T.i32, "num_rows"); d.numRows = Int(try r.i32())
                    case 4: try r.expect(t, T.i32, "encoding"); d.encoding = try r.i32()
                    case 5: try r.expect(t, T.i32, "definition_levels_byte_length"); d.defLength = Int(try r.i32())
                    case 6: try r.expect(t, T.i32, "repetition_levels_byte_length"); d.repLength = Int(try r.i32())
                    case 7: d.isCompressed = try r.boolField(t)
                    default: return false
                    }
                    return true
                }
                h.v2 = d
            default: try r.skip(t)
            }
        }
        r.leave()
        guard seen.type, seen.u, seen.c else { throw r.fail("page header lacks type or sizes") }
        guard h.uncompressedSize >= 0, h.compressedSize >= 0 else {
            throw r.fail("negative page size (compressed \(h.compressedSize), uncompressed \(h.uncompressedSize))")
        }
        return h
    }
}

/// A decoded `PageHeader`.
struct PQPageHeader {
    struct DataV1 { var numValues = 0, encoding: Int32 = 0, defEncoding: Int32 = 3, repEncoding: Int32 = 3 }
    struct Dict { var numValues = 0, encoding: Int32 = 0 }
    struct DataV2 {
        var numValues = 0, numNulls = 0, numRows = 0, encoding: Int32 = 0, defLength = 0, repLength = 0
        var isCompressed = true
    }
    var type: Int32 = -1
    var uncompressedSize = 0
    var compressedSize = 0
    var v1: DataV1?
    var dict: Dict?
    var v2: DataV2?
}
