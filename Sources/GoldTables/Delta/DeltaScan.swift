import Foundation

extension DeltaSnapshot {
    /// Streams the snapshot: one batch per row group of each live file (empty batches after deletion
    /// vectors are skipped). `columns` projects and orders the output; only those columns are decoded.
    public func scan(columns: [String]?) throws -> any BatchStream {
        var fields: [Field] = []
        for name in columns ?? schema.names {
            guard let i = schema.index(of: name) else {
                throw DeltaError.invalidArgument(table: tablePath, message: "no column '\(name)' (columns: \(schema.names.joined(separator: ", ")))")
            }
            let f = schema.fields[i]
            if f.metadata["delta.type"] == "variant" {
                throw DeltaError.unsupportedFeature(table: tablePath, version: version, message: "column '\(f.name)' has type variant, which this reader cannot read")
            }
            fields.append(f)
        }
        return DeltaScanStream(snapshot: self, fields: fields)
    }

    /// The absolute local path of a data file.
    func absolutePath(_ p: String) -> String {
        if p.hasPrefix("file://") { return String(p.dropFirst(7)) }
        if p.hasPrefix("file:") { return String(p.dropFirst(5)) }
        if p.hasPrefix("/") { return p }
        return tablePath + "/" + p
    }
}

/// Reads a snapshot's files one row group at a time.
final class DeltaScanStream: BatchStream {
    let snapshot: DeltaSnapshot
    let fields: [Field]
    let schema: Schema
    let partitionSet: Set<String>
    private var fileIndex = 0
    private var current: OpenFile?

    struct OpenFile {
        var file: ParquetFile
        var add: DeltaFile
        var rowGroup: Int
        var rowBase: Int64
        /// Sorted deleted row indexes.
        var deleted: [Int64]
        var deletedPos: Int
        /// For each output field: the Parquet column name to read, or nil (partition/missing/void).
        var physical: [String?]
    }

    init(snapshot: DeltaSnapshot, fields: [Field]) {
        self.snapshot = snapshot
        self.fields = fields
        self.schema = Schema(fields)
        self.partitionSet = Set(snapshot.partitionColumns.map { $0.lowercased() })
    }

    private func fail(_ file: String, _ message: String) -> DeltaError {
        .dataFile(table: snapshot.tablePath, version: snapshot.version, file: file, message: message)
    }

    private func open(_ add: DeltaFile) throws -> OpenFile {
        if let r = add.path.range(of: "://"), !add.path.hasPrefix("file:") {
            throw fail(add.path, "remote storage (\(add.path[..<r.lowerBound])://) is not supported; only local files are")
        }
        let path = snapshot.absolutePath(add.path)
        guard FileManager.default.fileExists(atPath: path) else { throw fail(add.path, "the file is missing") }
        let pf: ParquetFile
        do {
            pf = try ParquetFile(path: path)
        } catch let e as ParquetError {
            throw fail(add.path, e.description)
        }
        var deleted: [Int64] = []
        if let dv = add.deletionVector {
            do {
                deleted = try DeletionVectors.rowIndexes(dv, tableRoot: snapshot.tablePath)
            } catch let e as DeletionVectors.DVError {
                throw fail(add.path, "deletion vector: \(e.message)")
            }
            let total = pf.metadata.numRows
            if let last = deleted.last, last >= total {
                throw fail(add.path, "deletion vector deletes row \(last) but the file has \(total) rows")
            }
        }
        let fileSchema = pf.schema
        let mode = snapshot.columnMappingMode
        var physical: [String?] = []
        for f in fields {
            if partitionSet.contains(f.name.lowercased()) || f.metadata["delta.type"] == "void" {
                physical.append(nil)
                continue
            }
            var found: String? = nil
            if mode == "id", let id = f.metadata["delta.columnMapping.id"] {
                found = fileSchema.fields.first { $0.metadata["parquet.field_id"] == id }?.name
            }
            if found == nil {
                let want = DeltaSchema.physicalName(f, mode: mode)
                if let i = fileSchema.index(of: want) { found = fileSchema.fields[i].name }
            }
            physical.append(found)
        }
        return OpenFile(file: pf, add: add, rowGroup: 0, rowBase: 0, deleted: deleted, deletedPos: 0, physical: physical)
    }

    func next() throws -> Table? {
        while true {
            if current == nil {
                guard fileIndex < snapshot.files.count else { return nil }
                current = try open(snapshot.files[fileIndex])
                fileIndex += 1
            }
            guard var cur = current else { return nil }
            if cur.rowGroup >= cur.file.rowGroupCount {
                current = nil
                continue
            }
            let batch = try readRowGroup(&cur)
            current = cur
            if batch.rowCount > 0 { return batch }
        }
    }

    private func readRowGroup(_ cur: inout OpenFile) throws -> Table {
        let rg = cur.rowGroup
        let n = Int(cur.file.metadata.rowGroups[rg].numRows)
        let wanted = Array(Set(cur.physical.compactMap { $0 }))
        var read: Table? = nil
        if !wanted.isEmpty {
            do {
                read = try cur.file.readRowGroup(rg, columns: wanted)
            } catch let e as ParquetError {
                throw fail(cur.add.path, e.description)
            }
        }
        var cols: [Column] = []
        cols.reserveCapacity(fields.count)
        for (i, f) in fields.enumerated() {
            if partitionSet.contains(f.name.lowercased()) {
                let key = DeltaSchema.physicalName(f, mode: snapshot.columnMappingMode)
                let text = cur.add.partitionValues[key] ?? cur.add.partitionValues[f.name] ?? nil
                do {
                    cols.append(try DeltaPartitions.constantColumn(f, text: text, count: n))
                } catch let e as DeltaPartitions.ValueError {
                    throw fail(cur.add.path, e.message)
                }
            } else if let p = cur.physical[i], let c = read?.column(named: p) {
                guard c.count == n else { throw fail(cur.add.path, "column '\(p)' has \(c.count) rows in row group \(rg), expected \(n)") }
                cols.append(try coerce(c, to: f, file: cur.add.path))
            } else {
                cols.append(Column.nulls(f, count: n))
            }
        }
        var table = fields.isEmpty ? try Table([]) : try Table(cols)
        // Deletion vector rows in this row group.
        let end = cur.rowBase + Int64(n)
        if cur.deletedPos < cur.deleted.count, cur.deleted[cur.deletedPos] < end {
            var keep = [Bool](repeating: true, count: n)
            while cur.deletedPos < cur.deleted.count, cur.deleted[cur.deletedPos] < end {
                keep[Int(cur.deleted[cur.deletedPos] - cur.rowBase)] = false
                cur.deletedPos += 1
            }
            table = table.filter(keep)
        }
        cur.rowBase = end
        cur.rowGroup += 1
        return table
    }

    /// Converts a file column to the Delta schema's type (timestamp units, integer/float widening,
    /// decimal scale widening); other mismatches are errors naming the column.
    private func coerce(_ c: Column, to f: Field, file: String) throws -> Column {
        if c.type == f.type { return Column(f, data: c.data, validity: c.validity) }
        let mismatch = fail(file, "column '\(f.name)' is \(c.type.description) in the file but \(f.type.description) in the table schema")
        func keep() -> Column { Column(f, data: c.data, validity: c.validity) }
        switch (c.type, f.type) {
        case (.timestamp(let from, _), .timestamp(let to, _)):
            guard case .int64(let v) = c.data else { throw mismatch }
            return Column(f, data: .int64(TimeUnitConversion.convert(v, from: from, to: to)), validity: c.validity)
        case (.int8, .int16), (.int8, .int32), (.int16, .int32), (.int32, .int8), (.int32, .int16), (.int16, .int8):
            return keep()
        case (.int8, .int64), (.int16, .int64), (.int32, .int64):
            guard case .int32(let v) = c.data else { throw mismatch }
            return Column(f, data: .int64(v.map { Int64($0) }), validity: c.validity)
        case (.int8, .float64), (.int16, .float64), (.int32, .float64):
            guard case .int32(let v) = c.data else { throw mismatch }
            return Column(f, data: .double(v.map { Double($0) }), validity: c.validity)
        case (.float32, .float64):
            guard case .float(let v) = c.data else { throw mismatch }
            return Column(f, data: .double(v.map { Double($0) }), validity: c.validity)
        case (.decimal(_, let s1), .decimal(_, let s2)):
            guard s2 >= s1, case .decimal(let v) = c.data else { throw mismatch }
            if s1 == s2 { return keep() }
            var m: Int128 = 1
            for _ in 0 ..< (s2 - s1) { m *= 10 }
            return Column(f, data: .decimal(v.map { $0 &* m }), validity: c.validity)
        case (.int8, .decimal(_, let s)), (.int16, .decimal(_, let s)), (.int32, .decimal(_, let s)), (.int64, .decimal(_, let s)):
            var m: Int128 = 1
            for _ in 0 ..< s { m *= 10 }
            switch c.data {
            case .int32(let v): return Column(f, data: .decimal(v.map { Int128($0) &* m }), validity: c.validity)
            case .int64(let v): return Column(f, data: .decimal(v.map { Int128($0) &* m }), validity: c.validity)
            default: throw mismatch
            }
        case (.json, .json), (.string, .json), (.binary, .string), (.string, .binary), (.binary, .json):
            return keep()
        case (.date, .timestamp(let unit, false)):
            guard case .int32(let v) = c.data else { throw mismatch }
            let per = unit.perSecond * 86_400
            return Column(f, data: .int64(v.map { Int64($0) &* per }), validity: c.validity)
        default:
            throw mismatch
        }
    }
}
