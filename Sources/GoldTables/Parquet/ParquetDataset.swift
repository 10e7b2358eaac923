#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Parquet table stored as one file or as a folder of `*.parquet` files (Spark
/// `df.write.parquet`, pyarrow datasets).
///
/// - Names starting with `_` or `.` are ignored (`_SUCCESS`, `.part-….crc`, `_delta_log`).
/// - Hive partition folders `key=value` become columns appended after the file columns, in folder
///   order. `__HIVE_DEFAULT_PARTITION__` is NULL; `%XX` escapes are decoded. Their type is inferred
///   from all values of the key: `int64` when every non-null value is an integer, else `float64`
///   when every one is a number, else `date` when every one is `YYYY-MM-DD`, else `string` (an
///   all-null key is `string`). A value in the folder name wins over a same-named file column.
/// - Files are read in path order; the schema comes from the first file. A column missing from a
///   later file reads as nulls; a column whose type differs is an error naming the file.
public struct ParquetDataset: TableSource {
    /// The file or folder given.
    public let path: String
    /// The data files, sorted.
    public let files: [String]
    /// Partition columns (from `key=value` folders).
    public let partitionFields: [Field]
    /// File columns followed by partition columns.
    public let schema: Schema
    let fileSchema: Schema
    /// Partition values per file (nil = NULL), in `partitionFields` order, as typed cells.
    let partitionValues: [[Value]]

    public init(path: String) throws {
        self.path = path
        var st = stat()
        guard stat(path, &st) == 0 else { throw ParquetError(path: path, "cannot open: \(String(cString: strerror(errno)))") }
        var found: [(file: String, parts: [(String, String?)])] = []
        if (st.st_mode & S_IFMT) == S_IFDIR {
            try Self.walk(path, parts: [], depth: 0, into: &found)
            guard !found.isEmpty else { throw ParquetError(path: path, "folder holds no *.parquet files") }
        } else {
            found = [(path, [])]
        }
        found.sort { $0.file < $1.file }
        files = found.map(\.file)
        // Partition keys: those of the first file, which every file must share.
        let keys = found[0].parts.map(\.0)
        for f in found where f.parts.map(\.0) != keys {
            throw ParquetError(path: path, "file \(f.file) has partition folders \(f.parts.map(\.0)), expected \(keys)")
        }
        var fields: [Field] = []
        var columns: [[Value]] = Array(repeating: [], count: found.count)
        for (k, key) in keys.enumerated() {
            let raw = found.map { $0.parts[k].1 }
            let type = Self.inferType(raw.compactMap { $0 })
            fields.append(Field(key, type))
            for (i, r) in raw.enumerated() { columns[i].append(Self.cell(r, type)) }
        }
        partitionFields = fields
        partitionValues = columns
        let first = try ParquetFile(path: files[0])
        let partNames = Set(keys.map { $0.lowercased() })
        fileSchema = Schema(first.schema.fields.filter { !partNames.contains($0.name.lowercased()) })
        schema = Schema(fileSchema.fields + fields)
    }

    private static func walk(_ dir: String, parts: [(String, String?)], depth: Int,
                             into out: inout [(file: String, parts: [(String, String?)])]) throws {
        guard depth < 64 else { throw ParquetError(path: dir, "folder nesting deeper than 64") }
        guard let d = opendir(dir) else { throw ParquetError(path: dir, "cannot list: \(String(cString: strerror(errno)))") }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") || name.hasPrefix("_") { continue }
            names.append(name)
        }
        for name in names.sorted() {
            let full = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            var st = stat()
            guard stat(full, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                var p = parts
                if let eq = name.firstIndex(of: "=") {
                    let key = percentDecode(String(name[..<eq]))
                    let raw = String(name[name.index(after: eq)...])
                    p.append((key, raw == "__HIVE_DEFAULT_PARTITION__" ? nil : percentDecode(raw)))
                }
                try walk(full, parts: p, depth: depth + 1, into: &out)
            } else if name.hasSuffix(".parquet") {
                out.append((full, parts))
            }
        }
    }

    /// Decodes `%XX` escapes (invalid escapes are kept verbatim).
    static func percentDecode(_ s: String) -> String {
        PercentEncoding.decode(s)
    }

    static func parseDate(_ s: String) -> Int32? {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == 45, u[7] == 45 else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard u[i] >= 48 && u[i] <= 57 else { return nil }
                v = v * 10 + Int(u[i] - 48)
            }
            return v
        }
        guard let y = num(0 ..< 4), let m = num(5 ..< 7), let d = num(8 ..< 10), (1 ... 12).contains(m), d >= 1 else { return nil }
        guard Int64(d) <= CivilTime.daysInMonth(year: Int64(y), month: Int64(m)) else { return nil }
        return Int32(CivilTime.days(year: Int64(y), month: Int64(m), day: Int64(d)))
    }

    static func isNumber(_ s: String) -> Bool {
        guard !s.isEmpty, let d = Double(s), d.isFinite else { return false }
        return s.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E" }
    }

    static func inferType(_ values: [String]) -> DataType {
        guard !values.isEmpty else { return .string }
        if values.allSatisfy({ Int64($0) != nil }) { return .int64 }
        if values.allSatisfy(isNumber) { return .float64 }
        if values.allSatisfy({ parseDate($0) != nil }) { return .date }
        return .string
    }

    static func cell(_ raw: String?, _ type: DataType) -> Value {
        guard let raw else { return .null }
        switch type {
        case .int64: return Int64(raw).map { .int($0) } ?? .null
        case .float64: return Double(raw).map { .double($0) } ?? .null
        case .date: return parseDate(raw).map { .date($0) } ?? .null
        default: return .string(raw)
        }
    }

    public func scan(columns: [String]?) throws -> any BatchStream {
        let names = columns ?? schema.names
        var fields: [Field] = []
        for n in names {
            guard let i = schema.index(of: n) else {
                throw ParquetError(path: path, "no column '\(n)' (columns: \(schema.names.joined(separator: ", ")))")
            }
            fields.append(schema.fields[i])
        }
        return ParquetDatasetStream(dataset: self, schema: Schema(fields))
    }

    /// A column of `count` copies of `value`.
    static func constant(_ field: Field, _ value: Value, count: Int) -> Column {
        switch value {
        case .null: return Column.nulls(field, count: count)
        case .int(let v): return Column(field, data: .int64(Array(repeating: v, count: count)))
        case .double(let v): return Column(field, data: .double(Array(repeating: v, count: count)))
        case .date(let v): return Column(field, data: .int32(Array(repeating: v, count: count)))
        case .string(let s):
            var b = ByteArrayBuffer()
            b.reserve(values: count, bytes: s.utf8.count * count)
            for _ in 0 ..< count { b.append(s) }
            return Column(field, data: .bytes(b))
        default: return Column.nulls(field, count: count)
        }
    }
}

final class ParquetDatasetStream: BatchStream {
    let dataset: ParquetDataset
    let schema: Schema
    var fileIndex = 0
    var group = 0
    var current: ParquetFile?

    init(dataset: ParquetDataset, schema: Schema) {
        self.dataset = dataset
        self.schema = schema
    }

    func next() throws -> Table? {
        while fileIndex < dataset.files.count {
            if current == nil {
                current = try ParquetFile(path: dataset.files[fileIndex])
                group = 0
            }
            guard let f = current else { return nil }
            if group >= f.rowGroupCount {
                current = nil
                fileIndex += 1
                continue
            }
            let g = group
            group += 1
            var rows = Int(f.metadata.rowGroups[g].numRows)
            var fileCols: [String] = []
            for field in schema.fields where dataset.fileSchema.index(of: field.name) != nil {
                if let i = f.schema.index(of: field.name) {
                    let have = f.schema.fields[i]
                    guard have.type == field.type else {
                        throw ParquetError(path: f.path, "column '\(field.name)' has type \(have.type), the dataset has \(field.type)")
                    }
                    fileCols.append(have.name)
                }
            }
            let t = try f.readRowGroup(g, columns: fileCols)
            if fileCols.isEmpty {
                // Only constant columns asked: take the row count from decoded data (a flat
                // column), not from the footer alone, before allocating anything.
                if let flat = f.schema.fields.first(where: { if case .json = $0.type { false } else { true } }) {
                    rows = try f.readRowGroup(g, columns: [flat.name]).rowCount
                } else if rows > 1 << 32 {
                    throw ParquetError(path: f.path, "row group \(g) declares \(rows) rows")
                }
            } else {
                rows = t.rowCount
            }
            var cols: [Column] = []
            for field in schema.fields {
                if let p = dataset.partitionFields.firstIndex(where: { $0.name == field.name }) {
                    cols.append(ParquetDataset.constant(field, dataset.partitionValues[fileIndex][p], count: rows))
                } else if let c = t.column(named: field.name) {
                    var c = c
                    c.field = field
                    cols.append(c)
                } else {
                    cols.append(Column.nulls(field, count: rows))
                }
            }
            if cols.isEmpty { continue }
            do { return try Table(cols) } catch let e as TableError { throw ParquetError(path: f.path, e.message) }
        }
        return nil
    }
}
