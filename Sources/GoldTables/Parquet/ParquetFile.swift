#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns the bytes of a Parquet file: a read-only mmap, or a heap copy for in-memory input.
final class PQStorage: @unchecked Sendable {
    let buffer: UnsafeRawBufferPointer
    private let mapped: Bool

    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ParquetError(path: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ParquetError(path: path, "cannot stat: \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw ParquetError(path: path, "not a regular file") }
        let size = Int(st.st_size)
        guard size >= 12 else {
            throw ParquetError(path: path, "file is \(size) bytes, too small to be Parquet (truncated?)")
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw ParquetError(path: path, "cannot mmap: \(String(cString: strerror(errno)))")
        }
        buffer = UnsafeRawBufferPointer(start: p, count: size)
        mapped = true
    }

    init(bytes: [UInt8]) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { src in
            if let s = src.baseAddress { p.copyMemory(from: s, byteCount: src.count) }
        }
        buffer = UnsafeRawBufferPointer(start: p, count: bytes.count)
        mapped = false
    }

    /// Populates the page tables for a byte range about to be read (one batched fault instead of
    /// one per page; a hint only, errors ignored).
    func prefetch(offset: Int64, length: Int64) {
        #if os(Linux)
        guard mapped, let base = buffer.baseAddress, offset >= 0, length > 0, offset < Int64(buffer.count) else { return }
        let page = 4096
        let start = Int(offset) / page * page
        let end = min(Int(offset + min(length, Int64(buffer.count))), buffer.count)
        guard end > start else { return }
        // MADV_POPULATE_READ (Linux 5.14+); older kernels return EINVAL.
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, 22)
        #endif
    }

    deinit {
        guard let base = buffer.baseAddress else { return }
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), buffer.count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }
}

/// A Parquet file opened for reading: the footer is decoded once; column chunks are decoded on
/// demand from a read-only memory map.
///
/// ```swift
/// let f = try ParquetFile(path: "data.parquet")
/// let t = try f.readRowGroup(0, columns: ["id", "name"])
/// let stream = try f.scan(columns: ["id"])          // one batch per row group
/// while let batch = try stream.next() { use(batch) }
/// let paths = try f.readLeaf(path: ["add", "path"], rowGroup: 0) // levels + dense values
/// ```
///
/// Flat columns: dictionary-coded string/binary chunks stay `.dictionary(indices:dictionary:)`
/// when every page of the chunk is dictionary-coded (also in ``readLeaf(path:rowGroup:)``);
/// otherwise `.bytes`. Unsigned 8/16/32-bit columns widen to int16/int32/int64, uint64 keeps its
/// bit pattern in int64, TIME columns read as their integer ticks (int32 ms / int64 µs or ns).
///
/// Top-level nested fields (struct, list, map) read as `.json(nestedType:)` columns: a struct is a
/// JSON object, a list a JSON array (an empty list is `[]`, a null list is a null cell), and a map
/// a JSON array of `{"key":…,"value":…}` objects in file order (keys of any type, duplicates kept).
/// Inside JSON, dates are `"YYYY-MM-DD"` strings, timestamps ISO-8601 strings (`Z` when UTC; 6
/// fraction digits, 9 for nanoseconds), decimals strings, binary base64 strings, non-finite floats
/// the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
public final class ParquetFile: TableSource, @unchecked Sendable {
    /// The file path (or the name given to ``init(bytes:name:)``).
    public let path: String
    public let metadata: ParquetMetadata
    /// Top-level fields; nested ones have type `.json(nestedType:)`.
    public let schema: Schema
    /// Every leaf column in schema order (= column chunk order).
    public let leaves: [ParquetLeaf]
    let tree: PQSchemaTree
    let storage: PQStorage
    let limits: PQLimits
    /// Schema-tree node of each top-level field.
    let topNodes: [Int]
    let scratchPool = PQScratchPool()

    public var rowGroupCount: Int { metadata.rowGroups.count }

    /// Opens and memory-maps `path`, decoding its footer.
    public convenience init(path: String) throws {
        try self.init(storage: PQStorage(path: path), path: path, limits: PQLimits())
    }

    /// Reads a Parquet file held in memory (`name` appears in error messages).
    public convenience init(bytes: [UInt8], name: String = "<memory>") throws {
        try self.init(storage: PQStorage(bytes: bytes), path: name, limits: PQLimits())
    }

    init(storage: PQStorage, path: String, limits: PQLimits) throws {
        self.storage = storage
        self.path = path
        self.limits = limits
        let buf = storage.buffer
        let size = buf.count
        guard size >= 12 else { throw ParquetError(path: path, "file is \(size) bytes, too small to be Parquet (truncated?)") }
        let tail = Array(buf[(size - 4) ..< size])
        if tail == Array("PARE".utf8) { throw ParquetError(path: path, "encrypted Parquet (PARE footer) is not supported") }
        guard tail == Array("PAR1".utf8) else {
            throw ParquetError(path: path, "not a Parquet file: bad trailing magic (truncated or not Parquet)")
        }
        guard Array(buf[0 ..< 4]) == Array("PAR1".utf8) else {
            throw ParquetError(path: path, "not a Parquet file: bad leading magic")
        }
        let footerLen = Int(UInt32(littleEndian: buf.loadUnaligned(fromByteOffset: size - 8, as: UInt32.self)))
        guard footerLen <= size - 12 else {
            throw ParquetError(path: path, "footer length \(footerLen) exceeds the file size \(size)")
        }
        let footerStart = size - 8 - footerLen
        var r = ThriftReader(UnsafeRawBufferPointer(rebasing: buf[footerStart ..< size - 8]))
        let meta: ParquetMetadata
        let tree: PQSchemaTree
        do {
            meta = try PQThriftDecode.fileMetaData(&r)
            tree = try PQSchemaTree(meta.schema)
        } catch let e as PQDecodeError {
            throw ParquetError(path: path, "corrupt footer (at byte \(footerStart)): \(e.message)")
        }
        guard meta.numRows >= 0 else { throw ParquetError(path: path, "negative row count \(meta.numRows)") }
        for (gi, g) in meta.rowGroups.enumerated() {
            guard g.numRows >= 0 else { throw ParquetError(path: path, "row group \(gi) has negative row count \(g.numRows)") }
            guard g.columns.count == tree.leaves.count else {
                throw ParquetError(path: path, "row group \(gi) has \(g.columns.count) column chunks, schema has \(tree.leaves.count) leaves")
            }
            for c in g.columns {
                if c.filePath != nil {
                    throw ParquetError(path: path, "row group \(gi) column \(c.path.joined(separator: ".")) lives in another file (file_path); not supported")
                }
                if c.encrypted || !c.hasMetaData {
                    throw ParquetError(path: path, "row group \(gi) column \(c.path.joined(separator: ".")) is encrypted or lacks metadata; not supported")
                }
            }
        }
        self.metadata = meta
        self.tree = tree
        self.leaves = tree.leaves
        let root = tree.nodes[0]
        self.topNodes = root.children
        var fields: [Field] = []
        for n in root.children {
            let node = tree.nodes[n]
            var md: [String: String] = [:]
            if let id = node.element.fieldId { md["parquet.field_id"] = String(id) }
            let type: DataType
            if tree.isNested(n) {
                type = .json(nestedType: tree.describe(n))
            } else if let l = node.leaf {
                type = tree.leaves[l].type
            } else {
                type = .json(nestedType: tree.describe(n))
            }
            fields.append(Field(node.name, type, nullable: node.repetition != 0, metadata: md))
        }
        self.schema = Schema(fields)
    }

    func fail(_ message: String) -> ParquetError { ParquetError(path: path, message) }

    // MARK: Reading

    /// Reads row group `index`; only `columns` (top-level names, in that order; nil = all) are decoded.
    public func readRowGroup(_ index: Int, columns: [String]? = nil) throws -> Table {
        guard index >= 0 && index < metadata.rowGroups.count else {
            throw fail("row group \(index) does not exist (file has \(metadata.rowGroups.count))")
        }
        let fieldIdx = try resolve(columns)
        let group = metadata.rowGroups[index]
        let rows = Int(group.numRows)
        var cols: [Column] = []
        cols.reserveCapacity(fieldIdx.count)
        for fi in fieldIdx {
            let field = schema.fields[fi]
            let node = topNodes[fi]
            do {
                if !tree.isNested(node), let l = tree.nodes[node].leaf {
                    cols.append(try readFlat(leaf: tree.leaves[l], group: index, rows: rows, field: field))
                } else {
                    cols.append(try readNested(node: node, group: index, rows: rows, field: field))
                }
            } catch let e as PQDecodeError {
                throw fail("row group \(index), column '\(field.name)': \(e.message)")
            }
        }
        if cols.isEmpty { return try Table([]) }
        do { return try Table(cols) } catch let e as TableError { throw fail(e.message) }
    }

    /// Streams the file one row group at a time.
    public func scan(columns: [String]?) throws -> any BatchStream {
        let idx = try resolve(columns)
        return ParquetBatchStream(file: self, columns: columns, schema: Schema(idx.map { schema.fields[$0] }))
    }

    /// The raw levels and non-null values of one leaf column (`path` as in ``ParquetLeaf/path``).
    public func readLeaf(path leafPath: [String], rowGroup: Int) throws -> LeafValues {
        guard rowGroup >= 0 && rowGroup < metadata.rowGroups.count else {
            throw fail("row group \(rowGroup) does not exist (file has \(metadata.rowGroups.count))")
        }
        guard let leaf = leaves.first(where: { $0.path == leafPath }) else {
            throw fail("no leaf column \(leafPath.joined(separator: "."))")
        }
        do {
            let d = try readChunk(leaf: leaf, group: rowGroup, keepLevels: true, keepDictionary: true)
            let values = try Self.convert(d.values, dict: d.dictionary, leaf: leaf)
            return LeafValues(defLevels: d.def, repLevels: d.rep, values: values, type: leaf.type,
                              maxDef: leaf.maxDef, maxRep: leaf.maxRep)
        } catch let e as PQDecodeError {
            throw fail("row group \(rowGroup), column \(leafPath.joined(separator: ".")): \(e.message)")
        }
    }

    /// The leaf with `path`, if any.
    public func leaf(_ path: [String]) -> ParquetLeaf? {
        leaves.first { $0.path == path }
    }

    func resolve(_ columns: [String]?) throws -> [Int] {
        guard let columns else { return Array(schema.fields.indices) }
        return try columns.map { name in
            guard let i = schema.index(of: name) else {
                throw fail("no column '\(name)' (columns: \(schema.names.joined(separator: ", ")))")
            }
            return i
        }
    }

    func readChunk(leaf: ParquetLeaf, group: Int, keepLevels: Bool, keepDictionary: Bool) throws -> PQChunkData {
        let chunk = metadata.rowGroups[group].columns[leaf.index]
        if !chunk.path.isEmpty && chunk.path != leaf.path {
            throw PQDecodeError("column chunk path \(chunk.path.joined(separator: ".")) does not match the schema leaf")
        }
        storage.prefetch(offset: chunk.dictionaryPageOffset.map { min($0, chunk.dataPageOffset) } ?? chunk.dataPageOffset,
                         length: chunk.totalCompressedSize)
        let reader = PQChunkReader(file: storage.buffer, leaf: leaf, chunk: chunk, keepLevels: keepLevels,
                                   keepDictionary: keepDictionary, limits: limits, pool: scratchPool)
        return try withExtendedLifetime(storage) { try reader.read() }
    }

    func readFlat(leaf: ParquetLeaf, group: Int, rows: Int, field: Field) throws -> Column {
        let keepDict = leaf.type == .string || leaf.type == .binary
        let d = try readChunk(leaf: leaf, group: group, keepLevels: false, keepDictionary: keepDict)
        guard d.entries == rows else {
            throw PQDecodeError("column chunk holds \(d.entries) values, row group has \(rows) rows")
        }
        let dense = try Self.convert(d.values, dict: d.dictionary, leaf: leaf)
        guard let validity = d.validity else { return Column(field, data: dense) }
        return Column(field, data: Self.scatter(dense, validity: validity), validity: validity)
    }

    func readNested(node: Int, group: Int, rows: Int, field: Field) throws -> Column {
        let n = tree.nodes[node]
        var parts: [PQAssembler.LeafPart] = []
        for l in n.firstLeaf ..< n.firstLeaf + n.leafCount {
            let leaf = leaves[l]
            let d = try readChunk(leaf: leaf, group: group, keepLevels: true, keepDictionary: false)
            let v = try Self.convert(d.values, dict: d.dictionary, leaf: leaf)
            parts.append(PQAssembler.LeafPart(def: d.def, rep: d.rep, data: v, type: leaf.type, entries: d.entries,
                                              maxDef: leaf.maxDef))
        }
        var asm = PQAssembler(tree: tree, leafBase: n.firstLeaf, parts: parts)
        let (bytes, validity) = try asm.assemble(top: node, rows: rows)
        return Column(field, data: .bytes(bytes), validity: validity)
    }

    // MARK: Conversion

    /// Converts physical values to the storage of `leaf.type` (dense, non-null values only).
    static func convert(_ v: PQValueBuffer, dict: PQValueBuffer?, leaf: ParquetLeaf) throws -> ColumnData {
        switch leaf.type {
        case .bool: return .bool(v.bools)
        case .int8: return .int32(v.i32.map { Int32(Int8(truncatingIfNeeded: $0)) })
        case .int16:
            if case .integer(8, false)? = leaf.logicalType { return .int32(v.i32.map { Int32(UInt8(truncatingIfNeeded: $0)) }) }
            return .int32(v.i32.map { Int32(Int16(truncatingIfNeeded: $0)) })
        case .int32:
            if case .integer(16, false)? = leaf.logicalType { return .int32(v.i32.map { Int32(UInt16(truncatingIfNeeded: $0)) }) }
            return .int32(v.i32)
        case .date: return .int32(v.i32)
        case .int64:
            if leaf.physicalType == .int32 { return .int64(v.i32.map { Int64(UInt32(bitPattern: $0)) }) }
            return .int64(v.i64)
        case .timestamp: return .int64(v.i64)
        case .float32:
            if leaf.physicalType == .fixedLenByteArray {
                var b = v
                b.materializeDictionary(dict)
                var out: [Float] = []
                out.reserveCapacity(b.bytes.count)
                for i in 0 ..< b.bytes.count {
                    let s = b.bytes.slice(i)
                    guard s.count == 2 else { throw PQDecodeError("FLOAT16 value of \(s.count) bytes") }
                    out.append(halfToFloat(UInt16(s[s.startIndex]) | UInt16(s[s.startIndex + 1]) << 8))
                }
                return .float(out)
            }
            return .float(v.f32)
        case .float64: return .double(v.f64)
        case .decimal:
            switch leaf.physicalType {
            case .int32: return .decimal(v.i32.map { Int128($0) })
            case .int64: return .decimal(v.i64.map { Int128($0) })
            default:
                var b = v
                b.materializeDictionary(dict)
                var out: [Int128] = []
                out.reserveCapacity(b.bytes.count)
                for i in 0 ..< b.bytes.count { out.append(try bigEndianDecimal(b.bytes.slice(i))) }
                return .decimal(out)
            }
        case .string, .binary, .json:
            if let idx = v.dictIndices {
                if let d = dict, d.bytes.count > 0 { return .dictionary(indices: idx, dictionary: d.bytes) }
                var b = v
                b.materializeDictionary(dict)
                return .bytes(b.bytes)
            }
            return .bytes(v.bytes)
        }
    }

    /// Big-endian two's complement bytes → Int128.
    static func bigEndianDecimal(_ s: ArraySlice<UInt8>) throws -> Int128 {
        guard let first = s.first else { return 0 }
        if s.count > 16 {
            let ext: UInt8 = first & 0x80 != 0 ? 0xFF : 0
            let cut = s.endIndex - 16
            guard s[s.startIndex ..< cut].allSatisfy({ $0 == ext }), (s[cut] & 0x80) == (ext & 0x80) else {
                throw PQDecodeError("decimal value of \(s.count) bytes does not fit in 128 bits")
            }
            return try bigEndianDecimal(s[cut...])
        }
        var u: UInt128 = first & 0x80 != 0 ? ~0 : 0
        for b in s { u = (u << 8) | UInt128(b) }
        return Int128(bitPattern: u)
    }

    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exp = Int((h >> 10) & 0x1F)
        let frac = UInt32(h & 0x3FF)
        if exp == 0 {
            let v = Float(frac) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -v : v
        }
        if exp == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (frac << 13)) }
        return Float(bitPattern: sign | UInt32(exp - 15 + 127) << 23 | (frac << 13))
    }

    /// Spreads dense values over row slots (`validity[i] == false` → zero/empty slot).
    static func scatter(_ data: ColumnData, validity: [Bool]) -> ColumnData {
        func spread<T>(_ dense: [T], _ zero: T) -> [T] {
            var out = [T](repeating: zero, count: validity.count)
            var j = 0
            out.withUnsafeMutableBufferPointer { o in
                dense.withUnsafeBufferPointer { d in
                    for i in 0 ..< validity.count where validity[i] && j < d.count {
                        o[i] = d[j]
                        j += 1
                    }
                }
            }
            return out
        }
        switch data {
        case .bool(let v): return .bool(spread(v, false))
        case .int32(let v): return .int32(spread(v, 0))
        case .int64(let v): return .int64(spread(v, 0))
        case .float(let v): return .float(spread(v, 0))
        case .double(let v): return .double(spread(v, 0))
        case .decimal(let v): return .decimal(spread(v, 0))
        case .dictionary(let idx, let dict): return .dictionary(indices: spread(idx, 0), dictionary: dict)
        case .bytes(let b):
            var offsets = [Int]()
            offsets.reserveCapacity(validity.count + 1)
            offsets.append(0)
            var j = 0
            for ok in validity {
                if ok && j < b.count { j += 1 }
                offsets.append(b.offsets[j])
            }
            return .bytes(ByteArrayBuffer(offsets: offsets, bytes: b.bytes))
        }
    }
}

/// One batch per row group of a ``ParquetFile``.
final class ParquetBatchStream: BatchStream {
    let file: ParquetFile
    let columns: [String]?
    let schema: Schema
    var index = 0

    init(file: ParquetFile, columns: [String]?, schema: Schema) {
        self.file = file
        self.columns = columns
        self.schema = schema
    }

    func next() throws -> Table? {
        guard index < file.rowGroupCount else { return nil }
        defer { index += 1 }
        let t = try file.readRowGroup(index, columns: columns ?? file.schema.names)
        return t.columns.isEmpty ? nil : t
    }
}
