#if canImport(Glibc)
import Glibc
private func sysClose(_ fd: Int32) -> Int32 { Glibc.close(fd) }
private func sysWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { Glibc.write(fd, p, n) }
#elseif canImport(Darwin)
import Darwin
private func sysClose(_ fd: Int32) -> Int32 { Darwin.close(fd) }
private func sysWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { Darwin.write(fd, p, n) }
#endif

/// Writes a flat ``Table`` (one or many batches) to a Parquet file.
///
/// Columns are OPTIONAL when their field is nullable and REQUIRED otherwise. Pages are v1 data pages:
/// PLAIN values, or a PLAIN dictionary page plus RLE_DICTIONARY pages for string/JSON/binary columns,
/// with RLE definition levels. The file is written under a temporary name in the same folder
/// (`.<name>.tmp-<random>`), synced and renamed on ``close()``; on any error the temporary file is removed.
///
/// ```swift
/// let w = try ParquetWriter(path: "/data/out.parquet", schema: table.schema)
/// try w.write(table)
/// let result = try w.close()   // rows, bytes, per-column statistics
/// ```
public final class ParquetWriter {
    /// The final path (the file appears there on ``close()``).
    public let path: String
    public let schema: Schema
    public let options: ParquetWriteOptions

    private let tempPath: String
    private var fd: Int32
    private enum State { case open, closed, failed }
    private var state = State.open

    private let types: [ParquetWriterColumnType]
    private var offset: Int64 = 0
    private var out: [UInt8] = []
    private var pending: [(table: Table, rows: Range<Int>)] = []
    private var pendingRows = 0
    private var rowGroups: [RowGroupMeta] = []
    private var rowsWritten: Int64 = 0
    private var columnStats: [WriterStats]

    /// Scratch buffers reused across pages.
    private var page: [UInt8] = []
    private var header = ThriftCompactEncoder()

    /// Pages never hold more rows than this (bounds level buffers when pages are cheap, e.g. booleans).
    static let maxRowsPerPage = 1 << 20
    static let createdBy = "mltrack version 0.1.0"

    struct ChunkMeta {
        var physical: Int32
        var name: String
        var nullable: Bool
        var encodings: [Int32] = []
        var numValues: Int64 = 0
        var uncompressed: Int64 = 0
        var compressed: Int64 = 0
        var start: Int64 = 0
        var dataPageOffset: Int64 = -1
        var dictionaryPageOffset: Int64?
        var stats: WriterStats?
        var layout: ParquetWriterColumnType.Layout
        var encodingStats: [(pageType: Int32, encoding: Int32, count: Int32)] = []

        mutating func notePage(_ pageType: Int32, _ encoding: Int32) {
            if !encodings.contains(encoding) { encodings.append(encoding) }
            if let i = encodingStats.firstIndex(where: { $0.pageType == pageType && $0.encoding == encoding }) {
                encodingStats[i].count += 1
            } else {
                encodingStats.append((pageType, encoding, 1))
            }
        }
    }

    struct RowGroupMeta {
        var chunks: [ChunkMeta]
        var numRows: Int64
        var fileOffset: Int64
    }

    /// Opens `.<name>.tmp-<random>` beside `path` for writing.
    public init(path: String, schema: Schema, options: ParquetWriteOptions = ParquetWriteOptions()) throws {
        self.path = path
        self.schema = schema
        self.options = options
        switch options.codec {
        case .lz4, .lzo:
            throw ParquetError(path: path, "codec \(options.codec.name) cannot be written; use LZ4_RAW, SNAPPY, ZSTD, GZIP, BROTLI or UNCOMPRESSED")
        default: break
        }
        guard options.rowGroupRows > 0 else { throw ParquetError(path: path, "rowGroupRows must be positive") }
        guard options.dataPageBytes > 0, options.dataPageBytes <= 1 << 30 else {
            throw ParquetError(path: path, "dataPageBytes must be in 1...1 GiB")
        }
        guard options.dictionaryPageBytes >= 0, options.dictionaryPageBytes <= 1 << 30 else {
            throw ParquetError(path: path, "dictionaryPageBytes must be in 0...1 GiB")
        }
        guard options.statisticsMaxBytes >= 0 else { throw ParquetError(path: path, "statisticsMaxBytes must not be negative") }
        guard !schema.fields.isEmpty else { throw ParquetError(path: path, "a Parquet file needs at least one column") }
        var seen = Set<String>()
        for f in schema.fields {
            guard !f.name.isEmpty else { throw ParquetError(path: path, "a column has an empty name") }
            guard seen.insert(f.name).inserted else { throw ParquetError(path: path, "duplicate column name \(f.name)") }
        }
        types = try schema.fields.map { try ParquetWriterColumnType($0.type, column: $0.name, path: path) }
        columnStats = Array(repeating: WriterStats(), count: schema.fields.count)

        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw ParquetError(path: path, "the path names a folder, not a file") }
        let suffix = String(UInt64.random(in: 0 ... UInt64.max), radix: 16)
        tempPath = (dir.isEmpty ? "" : dir + "/") + "." + name + ".tmp-" + suffix
        fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ParquetError(path: path, "cannot create \(tempPath): \(String(cString: strerror(errno)))")
        }
        out.reserveCapacity(1 << 22)
        out.append(contentsOf: [0x50, 0x41, 0x52, 0x31]) // PAR1
        offset = 4
    }

    deinit {
        if state == .open {
            _ = sysClose(fd)
            _ = unlink(tempPath)
        }
    }

    /// Writes `table` and returns what was written.
    @discardableResult
    public static func write(_ table: Table, to path: String, options: ParquetWriteOptions = ParquetWriteOptions()) throws -> ParquetWriteResult {
        let w = try ParquetWriter(path: path, schema: table.schema, options: options)
        try w.write(table)
        return try w.close()
    }

    /// Appends `table`'s rows. Its columns must match the schema (names, types, order); a null in a
    /// non-nullable field is a ``TableError`` naming the column and row. Row groups are cut every
    /// ``ParquetWriteOptions/rowGroupRows`` rows across calls.
    public func write(_ table: Table) throws {
        try ensureOpen()
        do {
            try validate(table)
            guard table.rowCount > 0 else { return }
            pending.append((table, 0 ..< table.rowCount))
            pendingRows += table.rowCount
            while pendingRows >= options.rowGroupRows {
                try flushRowGroup(rows: options.rowGroupRows)
            }
        } catch {
            fail()
            throw error
        }
    }

    /// Writes the remaining rows and the footer, syncs, and renames the file into place.
    public func close() throws -> ParquetWriteResult {
        try ensureOpen()
        do {
            if pendingRows > 0 { try flushRowGroup(rows: pendingRows) }
            let footer = encodeFooter()
            out.append(contentsOf: footer)
            appendLE(UInt32(truncatingIfNeeded: footer.count), &out)
            out.append(contentsOf: [0x50, 0x41, 0x52, 0x31])
            offset += Int64(footer.count) + 8
            try flushOut()
            if options.syncOnClose {
                guard fsync(fd) == 0 else { throw ioError("fsync") }
            }
            let fdToClose = fd
            fd = -1
            guard sysClose(fdToClose) == 0 else { throw ioError("close") }
            guard rename(tempPath, path) == 0 else { throw ioError("rename to \(path)") }
            state = .closed
            if options.syncOnClose { syncDirectory() }
        } catch {
            fail()
            throw error
        }
        let stats = schema.fields.enumerated().map { i, f in
            let s = columnStats[i]
            return ColumnStats(name: f.name, nullCount: s.nullCount, min: s.min?.value(f.type), max: s.max?.value(f.type),
                               minIsExact: s.minExact, maxIsExact: s.maxExact)
        }
        return ParquetWriteResult(path: path, rows: rowsWritten, bytes: offset, rowGroups: rowGroups.count, columnStats: stats)
    }

    /// Abandons the file: removes the temporary file. Later calls throw.
    public func abort() {
        if state == .open { fail() }
    }

    // MARK: State and I/O

    private func ensureOpen() throws {
        switch state {
        case .open: return
        case .closed: throw ParquetError(path: path, "the writer is already closed")
        case .failed: throw ParquetError(path: path, "the writer failed earlier; nothing was written")
        }
    }

    private func fail() {
        state = .failed
        if fd >= 0 { _ = sysClose(fd) }
        fd = -1
        _ = unlink(tempPath)
        out = []
        pending = []
    }

    private func ioError(_ what: String) -> ParquetError {
        ParquetError(path: path, "\(what) failed: \(String(cString: strerror(errno)))")
    }

    private func flushOut() throws {
        try writeAll(out)
        out.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var done = 0
        let total = bytes.count
        while done < total {
            let n = bytes.withUnsafeBytes { b in sysWrite(fd, b.baseAddress.unsafelyUnwrapped + done, total - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("write to \(tempPath)")
            }
            done += n
        }
    }

    private func syncDirectory() {
        let dir = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let dfd = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            _ = sysClose(dfd)
        }
    }

    // MARK: Validation

    private func validate(_ table: Table) throws {
        let fields = schema.fields
        guard table.columns.count == fields.count else {
            throw TableError("writing \(path): the table has \(table.columns.count) columns, the file's schema \(fields.count)")
        }
        for (i, col) in table.columns.enumerated() {
            let f = fields[i]
            guard col.field.name == f.name else {
                throw TableError("writing \(path): column \(i) is \(col.field.name), the schema expects \(f.name)")
            }
            guard col.field.type == f.type else {
                throw TableError("writing \(path): column \(f.name) has type \(col.field.type.description), the schema says \(f.type.description)")
            }
            guard col.data.kind == f.type.storage else {
                throw TableError("writing \(path): column \(f.name) of type \(f.type.description) holds \(col.data.kind) storage")
            }
            guard col.data.count == table.rowCount else {
                throw TableError("writing \(path): column \(f.name) has \(col.data.count) values for \(table.rowCount) rows")
            }
            if let v = col.validity {
                guard v.count == table.rowCount else {
                    throw TableError("writing \(path): column \(f.name) has \(v.count) validity entries for \(table.rowCount) rows")
                }
                if !f.nullable, let row = v.firstIndex(of: false) {
                    throw TableError("writing \(path): column \(f.name) is not nullable but row \(row) is null")
                }
            }
            switch col.data {
            case .bytes(let b):
                try checkOffsets(b, column: f.name, what: "values")
            case .dictionary(let idx, let dict):
                try checkOffsets(dict, column: f.name, what: "dictionary")
                let n = Int32(clamping: dict.count)
                for (row, k) in idx.enumerated() where (k < 0 || k >= n) && col.validity?[row] != false {
                    throw TableError("writing \(path): column \(f.name) row \(row): dictionary index \(k) outside 0..<\(n)")
                }
            case .int32(let values) where f.type == .int8 || f.type == .int16:
                let bound: Int32 = f.type == .int8 ? 128 : 32768
                for (row, v) in values.enumerated() where (v >= bound || v < -bound) && col.validity?[row] != false {
                    throw TableError("writing \(path): column \(f.name) row \(row): \(v) does not fit \(f.type.description)")
                }
            case .decimal(let values):
                if case .decimal(let p, _) = f.type {
                    let limit = ParquetWriterColumnType.decimalLimit(precision: p)
                    for (row, v) in values.enumerated() where (v >= limit || v <= -limit) && col.validity?[row] != false {
                        throw TableError("writing \(path): column \(f.name) row \(row): unscaled value \(v) does not fit decimal(\(p),_)")
                    }
                }
            default: break
            }
        }
    }

    private func checkOffsets(_ b: ByteArrayBuffer, column: String, what: String) throws {
        let o = b.offsets
        guard let first = o.first, first >= 0, let last = o.last, last <= b.bytes.count else {
            throw TableError("writing \(path): column \(column): \(what) offsets out of the byte buffer")
        }
        var prev = first
        for x in o.dropFirst() {
            guard x >= prev else { throw TableError("writing \(path): column \(column): \(what) offsets decrease") }
            prev = x
        }
    }

    // MARK: Row groups

    private func flushRowGroup(rows n: Int) throws {
        // Gather the first `n` pending rows: one piece used in place, or several concatenated.
        var pieces: [(table: Table, rows: Range<Int>)] = []
        var need = n
        while need > 0, let first = pending.first {
            let take = min(need, first.rows.count)
            pieces.append((first.table, first.rows.lowerBound ..< first.rows.lowerBound + take))
            if take == first.rows.count {
                pending.removeFirst()
            } else {
                pending[0].rows = first.rows.lowerBound + take ..< first.rows.upperBound
            }
            need -= take
        }
        pendingRows -= n
        let table: Table
        let rows: Range<Int>
        if pieces.count == 1 {
            table = pieces[0].table
            rows = pieces[0].rows
        } else {
            table = try Table.concatenate(pieces.map { $0.table.slice($0.rows) }, schema: schema)
            rows = 0 ..< n
        }
        let rgStart = offset
        var chunks: [ChunkMeta] = []
        chunks.reserveCapacity(schema.fields.count)
        for i in 0 ..< schema.fields.count {
            chunks.append(try writeChunk(i, table.columns[i], rows))
        }
        rowGroups.append(RowGroupMeta(chunks: chunks, numRows: Int64(n), fileOffset: rgStart))
        rowsWritten += Int64(n)
        if out.count >= 1 << 22 { try flushOut() }
    }

    // MARK: Column chunks

    private func writeChunk(_ index: Int, _ column: Column, _ rows: Range<Int>) throws -> ChunkMeta {
        let type = types[index]
        let field = schema.fields[index]
        var meta = ChunkMeta(physical: type.physical, name: field.name, nullable: field.nullable, layout: type.layout)
        meta.numValues = Int64(rows.count)
        meta.start = offset
        let validity = column.validity
        var stats = WriterStats()
        if let v = validity {
            var nulls = 0
            for r in rows where !v[r] { nulls += 1 }
            stats.nullCount = Int64(nulls)
        }
        try withOptionalBuffer(validity) { valid in
            switch column.data {
            case .bool(let a):
                try a.withUnsafeBufferPointer { p in
                    if options.statistics { boolStats(p, rows, valid, &stats) }
                    try writePlainChunk(&meta, rows, valid, rowsPerPage: options.dataPageBytes * 8) { r, out in
                        appendPlainBools(p, r, valid, &out)
                    }
                }
            case .int32(let a):
                try a.withUnsafeBufferPointer { p in
                    if options.statistics, let (mn, mx) = scanMinMax(p, rows, valid) {
                        stats.min = .int(Int64(mn))
                        stats.max = .int(Int64(mx))
                    }
                    try writePlainChunk(&meta, rows, valid, rowsPerPage: options.dataPageBytes / 4) { r, out in
                        appendPlainFixed(p, r, valid, &out)
                    }
                }
            case .int64(let a):
                try a.withUnsafeBufferPointer { p in
                    if options.statistics, let (mn, mx) = scanMinMax(p, rows, valid) {
                        stats.min = .int(mn)
                        stats.max = .int(mx)
                    }
                    try writePlainChunk(&meta, rows, valid, rowsPerPage: options.dataPageBytes / 8) { r, out in
                        appendPlainFixed(p, r, valid, &out)
                    }
                }
            case .float(let a):
                try a.withUnsafeBufferPointer { p in
                    if options.statistics, let (mn, mx) = scanMinMaxFloat(p, rows, valid) {
                        stats.min = .float(mn)
                        stats.max = .float(mx)
                    }
                    try writePlainChunk(&meta, rows, valid, rowsPerPage: options.dataPageBytes / 4) { r, out in
                        appendPlainFixed(p, r, valid, &out)
                    }
                }
            case .double(let a):
                try a.withUnsafeBufferPointer { p in
                    if options.statistics, let (mn, mx) = scanMinMaxFloat(p, rows, valid) {
                        stats.min = .double(mn)
                        stats.max = .double(mx)
                    }
                    try writePlainChunk(&meta, rows, valid, rowsPerPage: options.dataPageBytes / 8) { r, out in
                        appendPlainFixed(p, r, valid, &out)
                    }
                }
            case .decimal(let a):
                try a.withUnsafeBufferPointer { p in
                    if options.statistics, let (mn, mx) = scanMinMax(p, rows, valid) {
                        stats.min = .decimal(mn)
                        stats.max = .decimal(mx)
                    }
                    let width: Int
                    switch type.layout {
                    case .decimal32: width = 4
                    case .decimal64: width = 8
                    case .decimalFixed(let n): width = n
                    default: width = 16
                    }
                    try writePlainChunk(&meta, rows, valid, rowsPerPage: options.dataPageBytes / width) { r, out in
                        appendPlainDecimals(p, r, valid, type.layout, &out)
                    }
                }
            case .bytes(let b):
                try withByteSource(b, indices: nil) { src in
                    try writeByteArrayChunk(&meta, &stats, src, rows, valid, text: field.type != .binary)
                }
            case .dictionary(let idx, let dict):
                try idx.withUnsafeBufferPointer { ip in
                    try withByteSource(dict, indices: ip) { src in
                        try writeByteArrayChunk(&meta, &stats, src, rows, valid, text: field.type != .binary)
                    }
                }
            }
        }
        if options.statistics {
            if case .byteArray = type.layout {
                stats.truncate(limit: options.statisticsMaxBytes, text: field.type != .binary)
            }
            meta.stats = stats
            columnStats[index].merge(stats)
        } else {
            columnStats[index].nullCount += stats.nullCount
        }
        return meta
    }

    /// PLAIN data pages of `rowsPerPage` rows each.
    private func writePlainChunk(_ meta: inout ChunkMeta, _ rows: Range<Int>, _ valid: UnsafeBufferPointer<Bool>?,
                                 rowsPerPage: Int, _ values: (Range<Int>, inout [UInt8]) -> Void) throws {
        let step = Swift.max(1, Swift.min(rowsPerPage, Self.maxRowsPerPage))
        var r0 = rows.lowerBound
        while r0 < rows.upperBound {
            let r1 = Swift.min(rows.upperBound, r0 + step)
            try writeDataPage(&meta, r0 ..< r1, valid, encoding: ParquetWriterConst.plain) { out in values(r0 ..< r1, &out) }
            r0 = r1
        }
    }

    /// A string/JSON/binary chunk: dictionary-encoded while the dictionary stays under its limit, PLAIN after.
    private func writeByteArrayChunk(_ meta: inout ChunkMeta, _ stats: inout WriterStats, _ src: ByteSource,
                                     _ rows: Range<Int>, _ valid: UnsafeBufferPointer<Bool>?, text: Bool) throws {
        var plainFrom = rows.lowerBound
        if options.dictionaryForStrings {
            let expected = Swift.min(rows.count, 1 << 16, src.indices == nil ? Int.max : src.entryCount)
            var dict = ByteDictionaryBuilder(expected: expected)
            var ids: [UInt32] = []
            ids.reserveCapacity(rows.count - Int(stats.nullCount))
            let limit = options.dictionaryPageBytes
            var fallback = rows.upperBound
            if let indices = src.indices {
                // Input already dictionary-encoded: map each distinct input entry once.
                var remap = [Int32](repeating: -1, count: src.entryCount)
                for r in rows where valid?[r] ?? true {
                    let k = Int(indices[r])
                    var id = remap[k]
                    if id < 0 {
                        let (p, n) = src.entry(k)
                        guard let newId = dict.id(of: p, n, limit: limit) else { fallback = r; break }
                        id = newId
                        remap[k] = id
                    }
                    ids.append(UInt32(id))
                }
            } else {
                for r in rows where valid?[r] ?? true {
                    let (p, n) = src.value(r)
                    guard let id = dict.id(of: p, n, limit: limit) else { fallback = r; break }
                    ids.append(UInt32(id))
                }
            }
            if dict.count > 0 {
                // Dictionary page.
                page.removeAll(keepingCapacity: true)
                dict.plainPage(into: &page)
                meta.dictionaryPageOffset = offset
                try emitPage(&meta, type: ParquetWriterConst.dictionaryPage, numValues: dict.count, encoding: ParquetWriterConst.plain)
                if options.statistics, let (lo, hi) = dict.minMaxEntries() {
                    stats.merge(min: .bytes(Array(dict.entry(lo))))
                    stats.merge(max: .bytes(Array(dict.entry(hi))))
                }
                // Index pages.
                let bw = parquetBitWidth(forMax: dict.count - 1)
                let step = Swift.max(1, Swift.min(options.dataPageBytes * 8 / Swift.max(bw, 1), Self.maxRowsPerPage))
                var cursor = 0
                try ids.withUnsafeBufferPointer { idp in
                    var r0 = rows.lowerBound
                    while r0 < fallback {
                        let r1 = Swift.min(fallback, r0 + step)
                        var k = r1 - r0
                        if let valid { k = 0; for r in r0 ..< r1 where valid[r] { k += 1 } }
                        let slice = UnsafeBufferPointer(rebasing: idp[cursor ..< cursor + k])
                        cursor += k
                        try writeDataPage(&meta, r0 ..< r1, valid, encoding: ParquetWriterConst.rleDictionary) { out in
                            out.append(UInt8(bw))
                            var enc = RLEHybridEncoder(bitWidth: bw)
                            var i = 0
                            while i < slice.count {
                                let v = slice[i]
                                var j = i + 1
                                while j < slice.count && slice[j] == v { j += 1 }
                                enc.putRun(v, count: j - i, &out)
                                i = j
                            }
                            enc.finish(&out)
                        }
                        r0 = r1
                    }
                }
                plainFrom = fallback
            }
        }
        guard plainFrom < rows.upperBound || meta.dataPageOffset < 0 else { return }
        let plainRows = plainFrom ..< rows.upperBound
        if options.statistics {
            var minAt: (UnsafeRawPointer, Int)?
            var maxAt: (UnsafeRawPointer, Int)?
            for r in plainRows where valid?[r] ?? true {
                let v = src.value(r)
                if let m = minAt {
                    if compareBytes(v.0, v.1, m.0, m.1) < 0 { minAt = v }
                } else {
                    minAt = v
                }
                if let m = maxAt {
                    if compareBytes(v.0, v.1, m.0, m.1) > 0 { maxAt = v }
                } else {
                    maxAt = v
                }
            }
            if let m = minAt { stats.merge(min: .bytes(Array(UnsafeRawBufferPointer(start: m.0, count: m.1)))) }
            if let m = maxAt { stats.merge(max: .bytes(Array(UnsafeRawBufferPointer(start: m.0, count: m.1)))) }
        }
        // PLAIN pages cut by value bytes.
        var r0 = plainRows.lowerBound
        if plainRows.isEmpty {
            // An empty chunk still needs one (empty) data page.
            try writeDataPage(&meta, r0 ..< r0, valid, encoding: ParquetWriterConst.plain) { _ in }
            return
        }
        while r0 < plainRows.upperBound {
            var r1 = r0
            var size = 0
            while r1 < plainRows.upperBound && size < options.dataPageBytes && r1 - r0 < Self.maxRowsPerPage {
                if valid?[r1] ?? true { size += 4 + src.value(r1).1 }
                r1 += 1
            }
            try writeDataPage(&meta, r0 ..< r1, valid, encoding: ParquetWriterConst.plain) { out in
                appendPlainByteArrays(src, r0 ..< r1, valid, size, &out)
            }
            r0 = r1
        }
    }

    /// One v1 data page: [u32 length + RLE definition levels] (nullable columns) then `values`.
    private func writeDataPage(_ meta: inout ChunkMeta, _ rows: Range<Int>, _ valid: UnsafeBufferPointer<Bool>?,
                               encoding: Int32, _ values: (inout [UInt8]) -> Void) throws {
        page.removeAll(keepingCapacity: true)
        if meta.nullable {
            let lenAt = page.count
            page.append(contentsOf: [0, 0, 0, 0])
            appendDefinitionLevels(rows, valid, &page)
            let n = UInt32(page.count - lenAt - 4)
            page.withUnsafeMutableBytes { $0.storeBytes(of: n.littleEndian, toByteOffset: lenAt, as: UInt32.self) }
            if !meta.encodings.contains(ParquetWriterConst.rle) { meta.encodings.append(ParquetWriterConst.rle) }
        }
        values(&page)
        if meta.dataPageOffset < 0 { meta.dataPageOffset = offset }
        try emitPage(&meta, type: ParquetWriterConst.dataPage, numValues: rows.count, encoding: encoding)
    }

    /// Compresses `page` and appends header + payload to the output.
    private func emitPage(_ meta: inout ChunkMeta, type pageType: Int32, numValues: Int, encoding: Int32) throws {
        let uncompressedSize = page.count
        let compressed: [UInt8]?
        if options.codec == .uncompressed {
            compressed = nil
        } else {
            do {
                compressed = try Codec.compress(page, codec: options.codec, level: options.compressionLevel)
            } catch {
                throw ParquetError(path: path, "column \(meta.name): \(error)")
            }
        }
        let compressedSize = compressed?.count ?? uncompressedSize
        guard uncompressedSize <= Int(Int32.max), compressedSize <= Int(Int32.max), numValues <= Int(Int32.max) else {
            throw ParquetError(path: path, "column \(meta.name): a page exceeds 2 GiB")
        }
        header.reset()
        header.structBegin()
        header.i32(1, pageType)
        header.i32(2, Int32(uncompressedSize))
        header.i32(3, Int32(compressedSize))
        if options.pageChecksums {
            let crc = (compressed ?? page).withUnsafeBytes { Codec.crc32($0) }
            header.i32(4, Int32(bitPattern: crc))
        }
        if pageType == ParquetWriterConst.dictionaryPage {
            header.fieldStructBegin(7)
            header.i32(1, Int32(numValues))
            header.i32(2, encoding)
            header.structEnd()
        } else {
            header.fieldStructBegin(5)
            header.i32(1, Int32(numValues))
            header.i32(2, encoding)
            header.i32(3, ParquetWriterConst.rle)
            header.i32(4, ParquetWriterConst.rle)
            header.structEnd()
        }
        header.structEnd()
        out.append(contentsOf: header.bytes)
        let payload = compressed ?? page
        if payload.count >= 1 << 16 {
            // Large pages go straight to the file instead of through the buffer.
            try flushOut()
            try writeAll(payload)
        } else {
            out.append(contentsOf: payload)
        }
        let h = Int64(header.bytes.count)
        offset += h + Int64(compressedSize)
        meta.uncompressed += h + Int64(uncompressedSize)
        meta.compressed += h + Int64(compressedSize)
        meta.notePage(pageType, encoding)
        if out.count >= 1 << 23 { try flushOut() }
    }

    // MARK: Footer

    private func encodeFooter() -> [UInt8] {
        var e = ThriftCompactEncoder(capacity: 1024 + 256 * schema.fields.count * Swift.max(1, rowGroups.count))
        e.structBegin()
        e.i32(1, 2)
        e.listBegin(2, elementType: .structure, count: schema.fields.count + 1)
        e.structBegin()
        e.string(4, "schema")
        e.i32(5, Int32(schema.fields.count))
        e.structEnd()
        for (i, f) in schema.fields.enumerated() {
            types[i].encodeSchemaElement(&e, field: f)
        }
        e.i64(3, rowsWritten)
        e.listBegin(4, elementType: .structure, count: rowGroups.count)
        for (ordinal, rg) in rowGroups.enumerated() {
            e.structBegin()
            e.listBegin(1, elementType: .structure, count: rg.chunks.count)
            var totalUncompressed: Int64 = 0
            var totalCompressed: Int64 = 0
            for c in rg.chunks {
                totalUncompressed += c.uncompressed
                totalCompressed += c.compressed
                e.structBegin()
                e.i64(2, c.start)
                e.fieldStructBegin(3)
                encodeColumnMetaData(&e, c)
                e.structEnd()
                e.structEnd()
            }
            e.i64(2, totalUncompressed)
            e.i64(3, rg.numRows)
            e.i64(5, rg.fileOffset)
            e.i64(6, totalCompressed)
            e.i16(7, Int16(truncatingIfNeeded: ordinal))
            e.structEnd()
        }
        if !options.keyValueMetadata.isEmpty {
            let kv = options.keyValueMetadata.sorted { $0.key < $1.key }
            e.listBegin(5, elementType: .structure, count: kv.count)
            for (k, v) in kv {
                e.structBegin()
                e.string(1, k)
                e.string(2, v)
                e.structEnd()
            }
        }
        e.string(6, Self.createdBy)
        e.listBegin(7, elementType: .structure, count: schema.fields.count)
        for _ in schema.fields {
            e.structBegin()
            e.emptyStruct(1) // TYPE_ORDER
            e.structEnd()
        }
        e.structEnd()
        return e.bytes
    }

    private func encodeColumnMetaData(_ e: inout ThriftCompactEncoder, _ c: ChunkMeta) {
        e.i32(1, c.physical)
        let encodings = c.encodings.sorted()
        e.listBegin(2, elementType: .i32, count: encodings.count)
        for x in encodings { e.listI32Element(x) }
        e.listBegin(3, elementType: .binary, count: 1)
        e.listStringElement(c.name)
        e.i32(4, options.codec.rawValue)
        e.i64(5, c.numValues)
        e.i64(6, c.uncompressed)
        e.i64(7, c.compressed)
        e.i64(9, c.dataPageOffset)
        if let d = c.dictionaryPageOffset { e.i64(11, d) }
        if let s = c.stats {
            e.fieldStructBegin(12)
            let minBytes = s.min?.plainBytes(c.layout)
            let maxBytes = s.max?.plainBytes(c.layout)
            // Deprecated fields 1/2 (signed order) only where that order is the type's order.
            let legacyOK: Bool
            switch c.layout {
            case .byteArray, .decimalFixed: legacyOK = false
            default: legacyOK = true
            }
            if legacyOK, let maxBytes, let minBytes {
                e.binary(1, maxBytes)
                e.binary(2, minBytes)
            }
            e.i64(3, s.nullCount)
            if let maxBytes { e.binary(5, maxBytes) }
            if let minBytes { e.binary(6, minBytes) }
            if maxBytes != nil { e.bool(7, s.maxExact) }
            if minBytes != nil { e.bool(8, s.minExact) }
            e.structEnd()
        }
        e.listBegin(13, elementType: .structure, count: c.encodingStats.count)
        for s in c.encodingStats {
            e.structBegin()
            e.i32(1, s.pageType)
            e.i32(2, s.encoding)
            e.i32(3, s.count)
            e.structEnd()
        }
    }
}

// MARK: - Value encoders

/// Byte strings of a `.bytes` or `.dictionary` column, by row.
struct ByteSource {
    let offsets: UnsafeBufferPointer<Int>
    let bytes: UnsafeRawPointer
    let indices: UnsafeBufferPointer<Int32>?

    var entryCount: Int { offsets.count - 1 }

    @inline(__always)
    func entry(_ i: Int) -> (UnsafeRawPointer, Int) {
        let s = offsets[i]
        return (bytes + s, offsets[i + 1] - s)
    }

    @inline(__always)
    func value(_ row: Int) -> (UnsafeRawPointer, Int) {
        if let indices {
            // Null rows may hold any index; validated ones are in range, others read entry 0 or nothing.
            let k = Int(indices[row])
            guard k >= 0 && k < entryCount else { return (bytes, 0) }
            return entry(k)
        }
        return entry(row)
    }
}

func withByteSource<R>(_ b: ByteArrayBuffer, indices: UnsafeBufferPointer<Int32>?, _ body: (ByteSource) throws -> R) rethrows -> R {
    try b.offsets.withUnsafeBufferPointer { op in
        try withNonNilBytes(b.bytes) { bp, _ in try body(ByteSource(offsets: op, bytes: bp, indices: indices)) }
    }
}

func withOptionalBuffer<R>(_ a: [Bool]?, _ body: (UnsafeBufferPointer<Bool>?) throws -> R) rethrows -> R {
    guard let a else { return try body(nil) }
    return try a.withUnsafeBufferPointer { try body($0) }
}

/// Definition levels (bit width 1) of `rows` as RLE-hybrid runs.
func appendDefinitionLevels(_ rows: Range<Int>, _ valid: UnsafeBufferPointer<Bool>?, _ out: inout [UInt8]) {
    var enc = RLEHybridEncoder(bitWidth: 1)
    guard let valid else {
        enc.putRun(1, count: rows.count, &out)
        enc.finish(&out)
        return
    }
    var i = rows.lowerBound
    while i < rows.upperBound {
        let v = valid[i]
        var j = i + 1
        while j < rows.upperBound && valid[j] == v { j += 1 }
        enc.putRun(v ? 1 : 0, count: j - i, &out)
        i = j
    }
    enc.finish(&out)
}

/// PLAIN values of fixed width (non-null rows only).
@inline(__always)
func appendPlainFixed<T: BitwiseCopyable>(_ src: UnsafeBufferPointer<T>, _ rows: Range<Int>, _ valid: UnsafeBufferPointer<Bool>?, _ out: inout [UInt8]) {
    let size = MemoryLayout<T>.stride
    guard let valid else {
        let raw = UnsafeRawBufferPointer(src)
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[rows.lowerBound * size ..< rows.upperBound * size]))
        return
    }
    var k = 0
    for r in rows where valid[r] { k += 1 }
    let start = out.count
    out.append(contentsOf: repeatElement(0, count: k * size))
    out.withUnsafeMutableBytes { o in
        var at = start
        for r in rows where valid[r] {
            o.storeBytes(of: src[r], toByteOffset: at, as: T.self)
            at += size
        }
    }
}

/// PLAIN booleans: one bit per non-null value, LSB first.
func appendPlainBools(_ src: UnsafeBufferPointer<Bool>, _ rows: Range<Int>, _ valid: UnsafeBufferPointer<Bool>?, _ out: inout [UInt8]) {
    var acc: UInt8 = 0
    var bit: UInt8 = 0
    for r in rows where valid?[r] ?? true {
        if src[r] { acc |= 1 << bit }
        bit += 1
        if bit == 8 {
            out.append(acc)
            acc = 0
            bit = 0
        }
    }
    if bit > 0 { out.append(acc) }
}

func boolStats(_ src: UnsafeBufferPointer<Bool>, _ rows: Range<Int>, _ valid: UnsafeBufferPointer<Bool>?, _ stats: inout WriterStats) {
    var anyTrue = false
    var anyFalse = false
    for r in rows where valid?[r] ?? true {
        if src[r] { anyTrue = true } else { anyFalse = true }
        if anyTrue && anyFalse { break }
    }
    guard anyTrue || anyFalse else { return }
    stats.min = .bool(!anyFalse)
    stats.max = .bool(anyTrue)
}

/// PLAIN decimals as INT32, INT64 or big-endian FIXED_LEN_BYTE_ARRAY.
func appendPlainDecimals(_ src: UnsafeBufferPointer<Int128>, _ rows: Range<Int>, _ valid: UnsafeBufferPointer<Bool>?,
                         _ layout: ParquetWriterColumnType.Layout, _ out: inout [UInt8]) {
    switch layout {
    case .decimal32:
        for r in rows where valid?[r] ?? true { appendLE(Int32(truncatingIfNeeded: src[r]), &out) }
    case .decimal64:
        for r in rows where valid?[r] ?? true { appendLE(Int64(truncatingIfNeeded: src[r]), &out) }
    case .decimalFixed(let n):
        for r in rows where valid?[r] ?? true { appendBigEndian(src[r], width: n, &out) }
    default:
        break
    }
}

/// PLAIN byte arrays (u32 LE length + bytes) of the non-null rows; `size` is their encoded size.
func appendPlainByteArrays(_ src: ByteSource, _ rows: Range<Int>, _ valid: UnsafeBufferPointer<Bool>?, _ size: Int, _ out: inout [UInt8]) {
    let start = out.count
    out.append(contentsOf: repeatElement(0, count: size))
    out.withUnsafeMutableBytes { o in
        guard let base = o.baseAddress else { return }
        var at = start
        for r in rows where valid?[r] ?? true {
            let (p, n) = src.value(r)
            o.storeBytes(of: UInt32(truncatingIfNeeded: n).littleEndian, toByteOffset: at, as: UInt32.self)
            (base + at + 4).copyMemory(from: p, byteCount: n)
            at += 4 + n
        }
    }
}
