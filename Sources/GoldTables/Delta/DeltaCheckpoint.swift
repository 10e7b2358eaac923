import Foundation

/// Reads the actions of a Parquet checkpoint (classic, multi-part part, V2 or sidecar) from the
/// few leaves a reader needs, as (rep, def, value) triples. Levels come from the file's own schema
/// (Spark writes every field OPTIONAL, delta-rs many REQUIRED), never hard-coded.
enum DeltaCheckpointReader {
    struct CPError: Error { var message: String }

    static func read(path: String, table: String, file: String) throws -> [DeltaAction] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DeltaError.io(table: table, file: file, message: "checkpoint file is missing")
        }
        do {
            let pf = try ParquetFile(path: path)
            var out: [DeltaAction] = []
            for rg in 0 ..< pf.rowGroupCount {
                let r = RowGroupReader(file: pf, rowGroup: rg, rows: try verifiedRows(pf, rowGroup: rg))
                try r.actions(into: &out)
            }
            return out
        } catch let e as CPError {
            throw DeltaError.corruptLog(table: table, file: file, line: nil, message: e.message)
        } catch let e as ParquetError {
            throw DeltaError.corruptLog(table: table, file: file, line: nil, message: e.description)
        }
    }

    /// The row count of row group `rg`, checked against the decoded levels of its smallest
    /// non-repeated leaf before any per-row array is sized by it (the footer's count is file input).
    static func verifiedRows(_ pf: ParquetFile, rowGroup rg: Int) throws -> Int {
        let declared = Int(pf.metadata.rowGroups[rg].numRows)
        let chunks = pf.metadata.rowGroups[rg].columns
        let flat = pf.leaves.filter { $0.maxRep == 0 && $0.index < chunks.count }
        guard let probe = flat.min(by: { chunks[$0.index].totalCompressedSize < chunks[$1.index].totalCompressedSize }) else {
            if declared == 0 { return 0 }
            throw CPError(message: "row group \(rg) has no non-repeated column to count its \(declared) rows")
        }
        let entries = try pf.readLeaf(path: probe.path, rowGroup: rg).entryCount
        guard entries == declared else {
            throw CPError(message: "row group \(rg) declares \(declared) rows but column \(probe.path.joined(separator: ".")) holds \(entries)")
        }
        return declared
    }

    /// Leaf access for one row group.
    struct RowGroupReader {
        let file: ParquetFile
        let rowGroup: Int
        let rows: Int

        func leaf(_ path: [String]) -> ParquetLeaf? {
            file.leaves.first { $0.path == path }
        }

        func leaves(under prefix: [String]) -> [ParquetLeaf] {
            file.leaves.filter { $0.path.count > prefix.count && Array($0.path.prefix(prefix.count)) == prefix }
        }

        /// Per-row presence and value index of a non-repeated leaf.
        func scalar(_ path: [String]) throws -> (LeafValues, [Int])? {
            guard let l = leaf(path) else { return nil }
            guard l.maxRep == 0 else { throw CPError(message: "leaf \(path.joined(separator: ".")) is unexpectedly repeated") }
            let v = try file.readLeaf(path: path, rowGroup: rowGroup)
            var idx = [Int](repeating: -1, count: rows)
            if let d = v.defLevels {
                guard d.count == rows else {
                    throw CPError(message: "leaf \(path.joined(separator: ".")) has \(d.count) levels for \(rows) rows in row group \(rowGroup)")
                }
                var k = 0
                for i in 0 ..< rows where Int(d[i]) == v.maxDef {
                    idx[i] = k
                    k += 1
                }
                guard k == v.values.count else { throw CPError(message: "leaf \(path.joined(separator: ".")) level/value count mismatch") }
            } else {
                guard v.values.count == rows else {
                    throw CPError(message: "leaf \(path.joined(separator: ".")) has \(v.values.count) values for \(rows) rows")
                }
                for i in 0 ..< rows { idx[i] = i }
            }
            return (v, idx)
        }

        static func string(_ d: ColumnData, _ k: Int) -> String? {
            switch d {
            case .bytes(let b): return k < b.count ? b.string(k) : nil
            case .dictionary(let i, let dict):
                guard k < i.count, Int(i[k]) < dict.count, i[k] >= 0 else { return nil }
                return dict.string(Int(i[k]))
            default: return nil
            }
        }

        static func int(_ d: ColumnData, _ k: Int) -> Int64? {
            switch d {
            case .int32(let v): return k < v.count ? Int64(v[k]) : nil
            case .int64(let v): return k < v.count ? v[k] : nil
            default: return nil
            }
        }

        static func bool(_ d: ColumnData, _ k: Int) -> Bool? {
            if case .bool(let v) = d, k < v.count { return v[k] }
            return nil
        }

        func strings(_ path: [String]) throws -> [String?] {
            guard let (v, idx) = try scalar(path) else { return Array(repeating: nil, count: rows) }
            return idx.map { $0 < 0 ? nil : Self.string(v.values, $0) }
        }

        func ints(_ path: [String]) throws -> [Int64?] {
            guard let (v, idx) = try scalar(path) else { return Array(repeating: nil, count: rows) }
            return idx.map { $0 < 0 ? nil : Self.int(v.values, $0) }
        }

        func bools(_ path: [String]) throws -> [Bool?] {
            guard let (v, idx) = try scalar(path) else { return Array(repeating: nil, count: rows) }
            return idx.map { $0 < 0 ? nil : Self.bool(v.values, $0) }
        }

        /// Row boundaries of a repeated leaf's entries: entries of row r are `starts[r] ..< starts[r+1]`.
        func rowStarts(_ v: LeafValues, path: [String]) throws -> [Int] {
            let n = v.entryCount
            guard let rep = v.repLevels else { throw CPError(message: "leaf \(path.joined(separator: ".")) has no repetition levels") }
            var starts: [Int] = []
            starts.reserveCapacity(rows + 1)
            for i in 0 ..< n where rep[i] == 0 { starts.append(i) }
            guard starts.count == rows else {
                throw CPError(message: "leaf \(path.joined(separator: ".")) has \(starts.count) rows, expected \(rows) in row group \(rowGroup)")
            }
            starts.append(n)
            return starts
        }

        /// A map<string,string> column under `prefix` (e.g. `add.partitionValues`), per row.
        func stringMaps(_ prefix: [String]) throws -> [[String: String?]] {
            let ls = leaves(under: prefix)
            guard let kl = ls.first(where: { $0.path.last == "key" }) ?? ls.first,
                  let vl = ls.first(where: { $0.path.last == "value" }) ?? ls.dropFirst().first else {
                return Array(repeating: [:], count: rows)
            }
            let kv = try file.readLeaf(path: kl.path, rowGroup: rowGroup)
            let vv = try file.readLeaf(path: vl.path, rowGroup: rowGroup)
            guard kv.entryCount == vv.entryCount else {
                throw CPError(message: "map \(prefix.joined(separator: ".")) key and value columns differ in length")
            }
            let starts = try rowStarts(kv, path: kl.path)
            let kd = kv.defLevels
            let vd = vv.defLevels
            var out = [[String: String?]](repeating: [:], count: rows)
            var ki = 0, vi = 0
            for r in 0 ..< rows {
                for e in starts[r] ..< starts[r + 1] {
                    let keyPresent = kd.map { Int($0[e]) == kv.maxDef } ?? true
                    let valPresent = vd.map { Int($0[e]) == vv.maxDef } ?? true
                    if keyPresent {
                        guard let k = Self.string(kv.values, ki) else { throw CPError(message: "map \(prefix.joined(separator: ".")) key is not a string") }
                        ki += 1
                        if valPresent {
                            guard let v = Self.string(vv.values, vi) else { throw CPError(message: "map \(prefix.joined(separator: ".")) value is not a string") }
                            vi += 1
                            out[r][k] = .some(v)
                        } else {
                            out[r][k] = .some(nil)
                        }
                    } else if valPresent {
                        vi += 1
                    }
                }
            }
            return out
        }

        /// A list<string> column under `prefix`, per row (null elements dropped).
        func stringLists(_ prefix: [String]) throws -> [[String]] {
            guard let l = leaves(under: prefix).first else { return Array(repeating: [], count: rows) }
            let v = try file.readLeaf(path: l.path, rowGroup: rowGroup)
            let starts = try rowStarts(v, path: l.path)
            var out = [[String]](repeating: [], count: rows)
            var k = 0
            for r in 0 ..< rows {
                for e in starts[r] ..< starts[r + 1] where v.defLevels.map({ Int($0[e]) == v.maxDef }) ?? true {
                    guard let s = Self.string(v.values, k) else { throw CPError(message: "list \(prefix.joined(separator: ".")) element is not a string") }
                    k += 1
                    out[r].append(s)
                }
            }
            return out
        }

        func deletionVectors(_ prefix: [String]) throws -> [DeletionVectorDescriptor?] {
            let st = try strings(prefix + ["deletionVector", "storageType"])
            guard st.contains(where: { $0 != nil }) else { return Array(repeating: nil, count: rows) }
            let p = try strings(prefix + ["deletionVector", "pathOrInlineDv"])
            let off = try ints(prefix + ["deletionVector", "offset"])
            let size = try ints(prefix + ["deletionVector", "sizeInBytes"])
            let card = try ints(prefix + ["deletionVector", "cardinality"])
            let maxRow = try ints(prefix + ["deletionVector", "maxRowIndex"])
            var out: [DeletionVectorDescriptor?] = []
            out.reserveCapacity(rows)
            for i in 0 ..< rows {
                guard let s = st[i] else { out.append(nil); continue }
                guard let path = p[i], let sz = size[i], let c = card[i] else {
                    throw CPError(message: "deletion vector in row \(i) lacks pathOrInlineDv, sizeInBytes or cardinality")
                }
                out.append(DeletionVectorDescriptor(storageType: s, pathOrInlineDv: path, offset: off[i].map { Int($0) },
                                                    sizeInBytes: Int(sz), cardinality: c, maxRowIndex: maxRow[i]))
            }
            return out
        }

        func actions(into out: inout [DeltaAction]) throws {
            let top = Set(file.leaves.compactMap(\.path.first))
            // protocol / metaData / txn / checkpointMetadata / sidecar first (rare), then files.
            if top.contains("protocol") {
                let r = try ints(["protocol", "minReaderVersion"])
                let w = try ints(["protocol", "minWriterVersion"])
                let rf = leaves(under: ["protocol", "readerFeatures"]).isEmpty ? nil : try stringLists(["protocol", "readerFeatures"])
                let wf = leaves(under: ["protocol", "writerFeatures"]).isEmpty ? nil : try stringLists(["protocol", "writerFeatures"])
                for i in 0 ..< rows {
                    guard let rv = r[i] else { continue }
                    out.append(.protocolAction(DeltaProtocol(
                        minReaderVersion: Int(rv), minWriterVersion: Int(w[i] ?? 0),
                        readerFeatures: rv >= 3 ? rf?[i] : nil, writerFeatures: (w[i] ?? 0) >= 7 ? wf?[i] : nil)))
                }
            }
            if top.contains("metaData") {
                let schema = try strings(["metaData", "schemaString"])
                if schema.contains(where: { $0 != nil }) {
                    let id = try strings(["metaData", "id"])
                    let name = try strings(["metaData", "name"])
                    let desc = try strings(["metaData", "description"])
                    let provider = try strings(["metaData", "format", "provider"])
                    let parts = try stringLists(["metaData", "partitionColumns"])
                    let conf = try stringMaps(["metaData", "configuration"])
                    let created = try ints(["metaData", "createdTime"])
                    for i in 0 ..< rows {
                        guard let s = schema[i] else { continue }
                        var c: [String: String] = [:]
                        for (k, v) in conf[i] { if let v { c[k] = v } }
                        out.append(.metaData(DeltaMetadata(
                            id: id[i] ?? "", name: name[i], description: desc[i], formatProvider: provider[i] ?? "parquet",
                            schemaString: s, partitionColumns: parts[i], configuration: c, createdTime: created[i])))
                    }
                }
            }
            if top.contains("txn") {
                let app = try strings(["txn", "appId"])
                let ver = try ints(["txn", "version"])
                for i in 0 ..< rows { if let a = app[i] { out.append(.txn(appId: a, version: ver[i] ?? -1)) } }
            }
            if top.contains("checkpointMetadata") {
                let ver = try ints(["checkpointMetadata", "version"])
                for i in 0 ..< rows { if let v = ver[i] { out.append(.checkpointMetadata(version: v)) } }
            }
            if top.contains("sidecar") {
                let p = try strings(["sidecar", "path"])
                for i in 0 ..< rows { if let s = p[i] { out.append(.sidecar(path: ActionParser.percentDecode(s))) } }
            }
            if top.contains("remove") {
                let path = try strings(["remove", "path"])
                if path.contains(where: { $0 != nil }) {
                    let dvs = try deletionVectors(["remove"])
                    for i in 0 ..< rows {
                        guard let p = path[i] else { continue }
                        out.append(.remove(path: ActionParser.percentDecode(p), dvId: dvs[i]?.uniqueId ?? ""))
                    }
                }
            }
            if top.contains("add") {
                let path = try strings(["add", "path"])
                if path.contains(where: { $0 != nil }) {
                    let pv = try stringMaps(["add", "partitionValues"])
                    let size = try ints(["add", "size"])
                    let mtime = try ints(["add", "modificationTime"])
                    let dc = try bools(["add", "dataChange"])
                    let stats = try strings(["add", "stats"])
                    let dvs = try deletionVectors(["add"])
                    for i in 0 ..< rows {
                        guard let p = path[i] else { continue }
                        out.append(.add(DeltaFile(
                            path: ActionParser.percentDecode(p), partitionValues: pv[i], size: size[i] ?? 0,
                            modificationTime: mtime[i] ?? 0, dataChange: dc[i] ?? true, stats: stats[i], deletionVector: dvs[i])))
                    }
                }
            }
        }
    }
}
