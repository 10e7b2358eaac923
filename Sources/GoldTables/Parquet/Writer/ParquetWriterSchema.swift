/// Parquet enum values the writer emits (parquet.thrift numbering).
enum ParquetWriterConst {
    // Type
    static let boolean: Int32 = 0, int32: Int32 = 1, int64: Int32 = 2, float: Int32 = 4, double: Int32 = 5
    static let byteArray: Int32 = 6, fixedLenByteArray: Int32 = 7
    // FieldRepetitionType
    static let required: Int32 = 0, optional: Int32 = 1
    // ConvertedType
    static let utf8: Int32 = 0, decimal: Int32 = 5, date: Int32 = 6, timestampMillis: Int32 = 9
    static let timestampMicros: Int32 = 10, int8: Int32 = 15, int16: Int32 = 16, json: Int32 = 19
    // Encoding
    static let plain: Int32 = 0, rle: Int32 = 3, rleDictionary: Int32 = 8
    // PageType
    static let dataPage: Int32 = 0, dictionaryPage: Int32 = 2
}

/// How one ``DataType`` is stored in Parquet: physical type, width and annotations.
struct ParquetWriterColumnType {
    enum Logical: Equatable {
        case none, string, json, date
        case integer(bitWidth: Int8)
        case timestamp(unit: TimeUnit, utc: Bool)
        case decimal(precision: Int32, scale: Int32)
    }

    /// How values are laid out in PLAIN.
    enum Layout: Equatable {
        case bool, int32, int64, float, double, byteArray
        /// Decimal unscaled values as INT32 / INT64 / big-endian FLBA of this many bytes.
        case decimal32, decimal64, decimalFixed(Int)
    }

    var physical: Int32
    var typeLength: Int32?
    var converted: Int32?
    var logical: Logical
    var layout: Layout

    init(_ type: DataType, column: String, path: String) throws {
        typealias C = ParquetWriterConst
        typeLength = nil
        converted = nil
        logical = .none
        switch type {
        case .bool: physical = C.boolean; layout = .bool
        case .int8: physical = C.int32; layout = .int32; converted = C.int8; logical = .integer(bitWidth: 8)
        case .int16: physical = C.int32; layout = .int32; converted = C.int16; logical = .integer(bitWidth: 16)
        case .int32: physical = C.int32; layout = .int32
        case .int64: physical = C.int64; layout = .int64
        case .float32: physical = C.float; layout = .float
        case .float64: physical = C.double; layout = .double
        case .string: physical = C.byteArray; layout = .byteArray; converted = C.utf8; logical = .string
        case .binary: physical = C.byteArray; layout = .byteArray
        case .json: physical = C.byteArray; layout = .byteArray; converted = C.json; logical = .json
        case .date: physical = C.int32; layout = .int32; converted = C.date; logical = .date
        case .timestamp(let unit, let utc):
            physical = C.int64
            layout = .int64
            logical = .timestamp(unit: unit, utc: utc)
            // The converted types imply UTC and only exist for ms/µs.
            if utc {
                switch unit {
                case .milliseconds: converted = C.timestampMillis
                case .microseconds: converted = C.timestampMicros
                case .nanoseconds: break
                }
            }
        case .decimal(let p, let s):
            guard p >= 1, p <= 38, s >= 0, s <= p else {
                throw ParquetError(path: path, "column \(column): decimal(\(p),\(s)) is not writable (precision 1...38, 0 <= scale <= precision)")
            }
            converted = C.decimal
            logical = .decimal(precision: Int32(p), scale: Int32(s))
            if p <= 9 {
                physical = C.int32
                layout = .decimal32
            } else if p <= 18 {
                physical = C.int64
                layout = .decimal64
            } else {
                let n = Self.decimalBytes(precision: p)
                physical = C.fixedLenByteArray
                typeLength = Int32(n)
                layout = .decimalFixed(n)
            }
        }
    }

    /// The fewest bytes whose signed range holds every `precision`-digit unscaled value.
    static func decimalBytes(precision: Int) -> Int {
        var limit: Int128 = 1
        for _ in 0 ..< precision { limit *= 10 }
        let maxValue = limit - 1
        var n = 1
        while n < 16 && maxValue >= (Int128(1) << (8 * n - 1)) { n += 1 }
        return n
    }

    /// The bound (exclusive) of |unscaled| for a decimal column: 10^precision.
    static func decimalLimit(precision: Int) -> Int128 {
        var limit: Int128 = 1
        for _ in 0 ..< precision { limit *= 10 }
        return limit
    }

    /// Writes the `LogicalType` union field (SchemaElement field 10), if any.
    func encodeLogical(_ e: inout ThriftCompactEncoder) {
        switch logical {
        case .none: return
        case .string:
            e.fieldStructBegin(10)
            e.emptyStruct(1)
            e.structEnd()
        case .json:
            e.fieldStructBegin(10)
            e.emptyStruct(12)
            e.structEnd()
        case .date:
            e.fieldStructBegin(10)
            e.emptyStruct(6)
            e.structEnd()
        case .integer(let bits):
            e.fieldStructBegin(10)
            e.fieldStructBegin(10)
            e.i8(1, bits)
            e.bool(2, true)
            e.structEnd()
            e.structEnd()
        case .timestamp(let unit, let utc):
            e.fieldStructBegin(10)
            e.fieldStructBegin(8)
            e.bool(1, utc)
            e.fieldStructBegin(2)
            switch unit {
            case .milliseconds: e.emptyStruct(1)
            case .microseconds: e.emptyStruct(2)
            case .nanoseconds: e.emptyStruct(3)
            }
            e.structEnd()
            e.structEnd()
            e.structEnd()
        case .decimal(let p, let s):
            e.fieldStructBegin(10)
            e.fieldStructBegin(5)
            e.i32(1, s)
            e.i32(2, p)
            e.structEnd()
            e.structEnd()
        }
    }

    /// Writes one leaf SchemaElement (a list element) for `field`.
    func encodeSchemaElement(_ e: inout ThriftCompactEncoder, field: Field) {
        e.structBegin()
        e.i32(1, physical)
        if let typeLength { e.i32(2, typeLength) }
        e.i32(3, field.nullable ? ParquetWriterConst.optional : ParquetWriterConst.required)
        e.string(4, field.name)
        if let converted { e.i32(6, converted) }
        if case .decimal(let p, let s) = logical {
            e.i32(7, s)
            e.i32(8, p)
        }
        if let id = field.metadata["parquet.field_id"].flatMap({ Int32($0) }) {
            e.i32(9, id)
        }
        encodeLogical(&e)
        e.structEnd()
    }
}
