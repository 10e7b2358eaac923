import Foundation
import Testing
import TestSupport
@testable import GoldTables

/// Reads a Parquet file with pyarrow and reports values (canonical strings), schema and statistics.
private let pyarrowDump = #"""
import sys, json, struct, decimal
import pyarrow as pa, pyarrow.parquet as pq
decimal.getcontext().prec = 100

def fbits(x, t):
    if x is None: return None
    if x != x: return "nan"
    return struct.pack('<f' if t == pa.float32() else '<d', x).hex()

def canon_list(col):
    t = col.type
    if pa.types.is_timestamp(t) or pa.types.is_date32(t):
        col = col.cast(pa.int64() if pa.types.is_timestamp(t) else pa.int32())
        return [None if v is None else str(v) for v in col.to_pylist()]
    vals = col.to_pylist()
    if pa.types.is_floating(t):
        return [fbits(v, t) for v in vals]
    if pa.types.is_decimal(t):
        return [None if v is None else str(int(v.scaleb(t.scale))) for v in vals]
    out = []
    for v in vals:
        if v is None: out.append(None)
        elif isinstance(v, bool): out.append("true" if v else "false")
        elif isinstance(v, (bytes, bytearray)): out.append(v.hex())
        else: out.append(str(v))
    return out

def canon_stat(v, pcol, atype):
    if v is None: return None
    if isinstance(v, bool): return "true" if v else "false"
    if pcol.physical_type == "FIXED_LEN_BYTE_ARRAY":
        return str(int.from_bytes(v, "big", signed=True))
    if isinstance(v, float): return fbits(v, atype)
    if isinstance(v, int): return str(v)
    if isinstance(v, (bytes, bytearray)):
        if pcol.logical_type.type in ("STRING", "JSON"):
            return v.decode("utf-8")
        return v.hex()
    return str(v)

pf = pq.ParquetFile(sys.argv[1])
t = pf.read()
md = pf.metadata
out = {"num_rows": t.num_rows, "created_by": md.created_by, "num_row_groups": md.num_row_groups,
       "kv": {k.decode(): v.decode() for k, v in (md.metadata or {}).items()},
       "arrow": [{"name": f.name, "type": str(f.type), "nullable": f.nullable} for f in t.schema],
       "parquet": [], "columns": {}, "row_groups": []}
for i in range(md.num_columns):
    c = pf.schema.column(i)
    out["parquet"].append({"name": c.name, "physical": c.physical_type, "logical": str(c.logical_type),
                           "converted": c.converted_type, "max_def": c.max_definition_level,
                           "length": c.length, "precision": c.precision, "scale": c.scale})
for name in t.column_names:
    out["columns"][name] = canon_list(t.column(name).combine_chunks())
for g in range(md.num_row_groups):
    r = md.row_group(g)
    cols = []
    for j in range(r.num_columns):
        cc = r.column(j)
        st = cc.statistics
        d = {"compression": cc.compression, "encodings": list(cc.encodings), "has_dict": cc.has_dictionary_page,
             "num_values": cc.num_values, "has_stats": st is not None}
        if st is not None:
            d["null_count"] = st.null_count
            d["has_min_max"] = st.has_min_max
            if st.has_min_max:
                pcol = pf.schema.column(j)
                atype = t.schema.field(j).type
                d["min"] = canon_stat(st.min_raw, pcol, atype)
                d["max"] = canon_stat(st.max_raw, pcol, atype)
        cols.append(d)
    out["row_groups"].append({"num_rows": r.num_rows, "columns": cols})
print(json.dumps(out))
"""#

struct PyarrowView {
    var raw: [String: Any]
    var numRows: Int { raw["num_rows"] as? Int ?? -1 }
    var columns: [String: [String?]] {
        var out: [String: [String?]] = [:]
        for (k, v) in raw["columns"] as? [String: [Any]] ?? [:] {
            out[k] = v.map { $0 as? String }
        }
        return out
    }
    var arrow: [[String: Any]] { raw["arrow"] as? [[String: Any]] ?? [] }
    var parquet: [[String: Any]] { raw["parquet"] as? [[String: Any]] ?? [] }
    var rowGroups: [[String: Any]] { raw["row_groups"] as? [[String: Any]] ?? [] }
    func chunk(_ rg: Int, _ col: Int) -> [String: Any] {
        ((rowGroups[rg]["columns"] as? [[String: Any]]) ?? [])[col]
    }
}

private func pyarrowRead(_ path: String) throws -> PyarrowView {
    let any = try PythonPeer.json(pyarrowDump, args: [path])
    return PyarrowView(raw: any as? [String: Any] ?? [:])
}

/// The canonical text the pyarrow script prints for a cell.
private func canonical(_ v: Value) -> String? {
    switch v {
    case .null: return nil
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .float(let f): return f.isNaN ? "nan" : hexLE(f.bitPattern)
    case .double(let d): return d.isNaN ? "nan" : hexLE(d.bitPattern)
    case .string(let s): return s
    case .json(let s): return s
    case .binary(let b): return hex(b)
    case .date(let d): return String(d)
    case .timestamp(let t, _, _): return String(t)
    case .decimal(let u, _): return String(u)
    }
}

private func hexLE<T: FixedWidthInteger>(_ v: T) -> String {
    withUnsafeBytes(of: v.littleEndian) { hex(Array($0)) }
}

private func hex(_ b: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(b.count * 2)
    for x in b {
        out.append(digits[Int(x >> 4)])
        out.append(digits[Int(x & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// A seeded generator (SplitMix64).
struct SeededRNG: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func tempFile(_ name: String = "t.parquet") throws -> (dir: URL, path: String) {
    let dir = try TestPaths.tempDir("pqwrite")
    return (dir, dir.appendingPathComponent(name).path)
}

/// A table with every type, nulls in every nullable column.
private func everyTypeTable(rows n: Int, seed: UInt64, nullable: Bool = true) throws -> Table {
    var rng = SeededRNG(seed)
    func validity() -> [Bool]? {
        guard nullable else { return nil }
        return (0 ..< n).map { _ in Int.random(in: 0 ..< 5, using: &rng) != 0 }
    }
    let words = ["alpha", "beta", "gamma", "δέλτα", "日本語", "emoji 🎉", "", "zeta"]
    var strings = ByteArrayBuffer()
    var blobs = ByteArrayBuffer()
    var jsons = ByteArrayBuffer()
    for i in 0 ..< n {
        strings.append(words[Int.random(in: 0 ..< words.count, using: &rng)] + (i % 3 == 0 ? "\(i)" : ""))
        blobs.append(bytes: (0 ..< Int.random(in: 0 ..< 6, using: &rng)).map { _ in UInt8.random(in: 0 ... 255, using: &rng) })
        jsons.append("{\"a\":\(i),\"b\":[1,2]}")
    }
    func col(_ name: String, _ type: DataType, _ data: ColumnData) -> Column {
        Column(Field(name, type, nullable: nullable), data: data, validity: validity())
    }
    return try Table([
        col("b", .bool, .bool((0 ..< n).map { _ in Bool.random(using: &rng) })),
        col("i8", .int8, .int32((0 ..< n).map { _ in Int32(Int8.random(in: .min ... .max, using: &rng)) })),
        col("i16", .int16, .int32((0 ..< n).map { _ in Int32(Int16.random(in: .min ... .max, using: &rng)) })),
        col("i32", .int32, .int32((0 ..< n).map { _ in Int32.random(in: .min ... .max, using: &rng) })),
        col("i64", .int64, .int64((0 ..< n).map { _ in Int64.random(in: .min ... .max, using: &rng) })),
        col("f32", .float32, .float((0 ..< n).map { _ in Float.random(in: -1e6 ... 1e6, using: &rng) })),
        col("f64", .float64, .double((0 ..< n).map { _ in Double.random(in: -1e12 ... 1e12, using: &rng) })),
        col("s", .string, .bytes(strings)),
        col("bin", .binary, .bytes(blobs)),
        col("day", .date, .int32((0 ..< n).map { _ in Int32.random(in: -30000 ... 30000, using: &rng) })),
        col("ts_us_utc", .timestamp(unit: .microseconds, utc: true), .int64((0 ..< n).map { _ in Int64.random(in: -2_000_000_000_000_000 ... 2_000_000_000_000_000, using: &rng) })),
        col("ts_ms", .timestamp(unit: .milliseconds, utc: false), .int64((0 ..< n).map { _ in Int64.random(in: -2_000_000_000_000 ... 2_000_000_000_000, using: &rng) })),
        col("ts_ns_utc", .timestamp(unit: .nanoseconds, utc: true), .int64((0 ..< n).map { _ in Int64.random(in: .min / 2 ... .max / 2, using: &rng) })),
        col("d9", .decimal(precision: 9, scale: 2), .decimal((0 ..< n).map { _ in Int128(Int64.random(in: -999_999_999 ... 999_999_999, using: &rng)) })),
        col("d18", .decimal(precision: 18, scale: 4), .decimal((0 ..< n).map { _ in Int128(Int64.random(in: -999_999_999_999_999_999 ... 999_999_999_999_999_999, using: &rng)) })),
        col("d10", .decimal(precision: 10, scale: 0), .decimal((0 ..< n).map { _ in Int128(Int64.random(in: -9_999_999_999 ... 9_999_999_999, using: &rng)) })),
        col("d20", .decimal(precision: 20, scale: 3), .decimal((0 ..< n).map { _ in
            Int128(Int64.random(in: .min ... .max, using: &rng)) * 5 + Int128(Int.random(in: -4 ... 4, using: &rng))
        })),
        col("d38", .decimal(precision: 38, scale: 10), .decimal((0 ..< n).map { _ in
            let hi = Int128(Int64.random(in: -4_000_000_000_000_000_000 ... 4_000_000_000_000_000_000, using: &rng))
            return hi * 10_000_000_000_000_000_000 + Int128(UInt64.random(in: 0 ..< 10_000_000_000_000_000_000, using: &rng))
        })),
        col("j", .json(nestedType: "struct<a:int64,b:list<int64>>"), .bytes(jsons)),
    ])
}

/// Compares every cell pyarrow read with the table written.
private func expectSameCells(_ view: PyarrowView, _ table: Table, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(view.numRows == table.rowCount, sourceLocation: sourceLocation)
    let cols = view.columns
    for c in table.columns {
        guard let got = cols[c.name] else {
            Issue.record("pyarrow lacks column \(c.name)", sourceLocation: sourceLocation)
            continue
        }
        let want = (0 ..< table.rowCount).map { canonical(c.value(at: $0)) }
        #expect(got.count == want.count, sourceLocation: sourceLocation)
        var mismatches = 0
        for i in 0 ..< min(got.count, want.count) where got[i] != want[i] {
            if mismatches < 3 {
                Issue.record("column \(c.name) row \(i): pyarrow \(got[i] ?? "null"), wrote \(want[i] ?? "null")", sourceLocation: sourceLocation)
            }
            mismatches += 1
        }
        #expect(mismatches == 0, "column \(c.name)", sourceLocation: sourceLocation)
    }
}

/// Independent min/max of a column's non-null cells (NaN ignored; strings by UTF-8 bytes).
private func expectedMinMax(_ c: Column, rows: Range<Int>) -> (Value, Value)? {
    var cells = rows.map { c.value(at: $0) }.filter { !$0.isNull }
    cells = cells.filter {
        if case .double(let d) = $0 { return !d.isNaN }
        if case .float(let f) = $0 { return !f.isNaN }
        return true
    }
    func less(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return !x && y
        case (.int(let x), .int(let y)): return x < y
        case (.float(let x), .float(let y)): return x < y
        case (.double(let x), .double(let y)): return x < y
        case (.string(let x), .string(let y)), (.json(let x), .json(let y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        case (.binary(let x), .binary(let y)): return x.lexicographicallyPrecedes(y)
        case (.date(let x), .date(let y)): return x < y
        case (.timestamp(let x, _, _), .timestamp(let y, _, _)): return x < y
        case (.decimal(let x, _), .decimal(let y, _)): return x < y
        default: return false
        }
    }
    guard let mn = cells.min(by: less), let mx = cells.max(by: less) else { return nil }
    return (mn, mx)
}

@Suite struct ParquetWriterTests {
    // MARK: Pure Swift units

    @Test func thriftEncoderMatchesKnownBytes() {
        var e = ThriftCompactEncoder()
        e.structBegin()
        e.i32(1, 2)                                    // 15 04
        e.listBegin(2, elementType: .structure, count: 5) // 19 5c
        e.structBegin()
        e.i32(3, 0)                                    // 35 00
        e.string(4, "schema")                          // 18 06 ...
        e.i32(5, 4)                                    // 15 08
        e.structEnd()                                  // 00
        #expect(Array(e.bytes.prefix(15)) == [0x15, 0x04, 0x19, 0x5C, 0x35, 0x00, 0x18, 0x06] + Array("schema".utf8) + [0x15])
        #expect(e.bytes.suffix(2) == [0x08, 0x00])

        var f = ThriftCompactEncoder()
        f.structBegin()
        f.i64(1, -1)         // 16 01 (zigzag -1 = 1)
        f.bool(2, true)      // 11
        f.bool(3, false)     // 12 (delta 1, BOOL_FALSE)
        f.i32(20, 300)       // delta 17 > 15: long form 05 28, zigzag 600 = d8 04
        f.listBegin(21, elementType: .i32, count: 20) // 19 f5 14
        for i in 0 ..< 20 { f.listI32Element(Int32(i)) }
        f.i8(22, -2)         // 13 fe
        f.structEnd()
        let head: [UInt8] = [0x16, 0x01, 0x11, 0x12, 0x05, 0x28, 0xD8, 0x04, 0x19, 0xF5, 0x14]
        #expect(Array(f.bytes.prefix(head.count)) == head)
        #expect(f.bytes.suffix(3) == [0x13, 0xFE, 0x00])
    }

    /// Decodes the RLE/bit-packed hybrid independently of the encoder.
    static func decodeHybrid(_ b: [UInt8], bitWidth: Int, count: Int) -> [UInt32] {
        var out: [UInt32] = []
        var i = 0
        while out.count < count && i < b.count {
            var header: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let x = b[i]; i += 1
                header |= UInt64(x & 0x7F) << shift
                shift += 7
                if x & 0x80 == 0 { break }
            }
            if header & 1 == 0 {
                var v: UInt32 = 0
                for k in 0 ..< (bitWidth + 7) / 8 { v |= UInt32(b[i + k]) << (8 * k) }
                i += (bitWidth + 7) / 8
                out += Array(repeating: v, count: Int(header >> 1))
            } else {
                let n = Int(header >> 1) * 8
                for k in 0 ..< n {
                    var v: UInt32 = 0
                    for bit in 0 ..< bitWidth {
                        let pos = k * bitWidth + bit
                        if b[i + pos / 8] >> (pos % 8) & 1 == 1 { v |= 1 << bit }
                    }
                    out.append(v)
                }
                i += Int(header >> 1) * bitWidth
            }
        }
        return Array(out.prefix(count))
    }

    @Test(arguments: [0, 1, 2, 3, 5, 8, 13, 20, 32])
    func rleHybridRoundTrips(bitWidth: Int) {
        var rng = SeededRNG(UInt64(bitWidth) + 7)
        let maxV: UInt64 = bitWidth == 0 ? 0 : (bitWidth == 32 ? UInt64(UInt32.max) : (1 << UInt64(bitWidth)) - 1)
        for n in [1, 7, 8, 9, 100, 1000, 5000] {
            var values: [UInt32] = []
            while values.count < n {
                let v = UInt32(UInt64.random(in: 0 ... maxV, using: &rng))
                // Mix runs (long and short) with noise.
                let run = Int.random(in: 0 ..< 4, using: &rng) == 0 ? Int.random(in: 1 ... 40, using: &rng) : 1
                values += Array(repeating: v, count: min(run, n - values.count))
            }
            var out: [UInt8] = []
            var enc = RLEHybridEncoder(bitWidth: bitWidth)
            for v in values { enc.put(v, &out) }
            enc.finish(&out)
            #expect(Self.decodeHybrid(out, bitWidth: bitWidth, count: n) == values, "n \(n)")
            // The run-length entry point gives the same values.
            var out2: [UInt8] = []
            var enc2 = RLEHybridEncoder(bitWidth: bitWidth)
            var i = 0
            while i < values.count {
                var j = i + 1
                while j < values.count && values[j] == values[i] { j += 1 }
                enc2.putRun(values[i], count: j - i, &out2)
                i = j
            }
            enc2.finish(&out2)
            #expect(Self.decodeHybrid(out2, bitWidth: bitWidth, count: n) == values, "putRun n \(n)")
        }
        // A long constant run is one RLE run.
        var out: [UInt8] = []
        var enc = RLEHybridEncoder(bitWidth: 1)
        enc.putRun(1, count: 1_000_000, &out)
        enc.finish(&out)
        #expect(out == [0x80, 0x89, 0x7A, 0x01])
    }

    @Test func decimalPhysicalWidths() {
        #expect(ParquetWriterColumnType.decimalBytes(precision: 10) == 5)
        #expect(ParquetWriterColumnType.decimalBytes(precision: 19) == 9)
        #expect(ParquetWriterColumnType.decimalBytes(precision: 30) == 13)
        #expect(ParquetWriterColumnType.decimalBytes(precision: 38) == 16)
    }

    @Test func statisticsTruncationKeepsBoundsAndUTF8() {
        var s = WriterStats()
        s.min = .bytes(Array(("é" + String(repeating: "a", count: 10)).utf8))
        s.max = .bytes(Array(("ab" + String(repeating: "é", count: 10)).utf8))
        s.truncate(limit: 4, text: true)
        // "é" is 2 bytes: the min cut backs off to a character boundary.
        #expect(s.min == .bytes(Array("éaa".utf8)))
        // The max keeps "abé" (4 bytes) and bumps the last code point: "abê" > every "abé…" string.
        #expect(s.max == .bytes(Array("abê".utf8)))
        #expect(!s.minExact && !s.maxExact)
        var b = WriterStats()
        b.max = .bytes([0x01, 0xFF, 0xFF, 0xFF, 0x05])
        b.truncate(limit: 3, text: false)
        #expect(b.max == .bytes([0x02]))
        var top = WriterStats()
        top.max = .bytes(Array(String(repeating: "\u{10FFFF}", count: 10).utf8))
        top.truncate(limit: 8, text: true)
        #expect(top.max == nil && !top.maxExact)
        var sur = WriterStats()
        sur.max = .bytes(Array(("a\u{D7FF}" + String(repeating: "z", count: 10)).utf8))
        sur.truncate(limit: 4, text: true)
        #expect(sur.max == .bytes(Array("a\u{E000}".utf8)))
    }

    @Test func refusesNullInRequiredColumnAndLeavesNothing() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try Table([
            Column(Field("id", .int64, nullable: false), data: .int64([1, 2, 3]), validity: [true, true, false]),
        ])
        do {
            try ParquetWriter.write(t, to: path)
            Issue.record("expected an error")
        } catch let e as TableError {
            #expect(e.message.contains("id") && e.message.contains("row 2"), "\(e.message)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func writesAtomicallyThroughATemporaryName() throws {
        let (dir, path) = try tempFile("out.parquet")
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try Table([Column(Field("x", .int32), data: .int32([1, 2, 3]))])
        let w = try ParquetWriter(path: path, schema: t.schema)
        try w.write(t)
        let during = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(during.count == 1 && during[0].hasPrefix(".out.parquet.tmp-"))
        #expect(!FileManager.default.fileExists(atPath: path))
        let r = try w.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.parquet"])
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(Int64(size ?? -1) == r.bytes)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.prefix(4) == [0x50, 0x41, 0x52, 0x31] && bytes.suffix(4) == [0x50, 0x41, 0x52, 0x31])
        #expect(throws: ParquetError.self) { try w.write(t) }

        let w2 = try ParquetWriter(path: dir.appendingPathComponent("b.parquet").path, schema: t.schema)
        try w2.write(t)
        w2.abort()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.parquet"])
    }

    @Test func rejectsMismatchedTables() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = try ParquetWriter(path: path, schema: Schema([Field("x", .int32)]))
        #expect(throws: TableError.self) { try w.write(Table([Column(Field("x", .int64), data: .int64([1]))])) }
        #expect(throws: (any Error).self) { try ParquetWriter(path: path, schema: Schema([Field("d", .decimal(precision: 40, scale: 0))])) }
        #expect(throws: ParquetError.self) { try ParquetWriter(path: path, schema: Schema([Field("x", .int32)]), options: .init(codec: .lz4)) }
        #expect(throws: ParquetError.self) { try ParquetWriter(path: path, schema: Schema([Field("x", .int32)]), options: .init(dataPageBytes: .max)) }
        #expect(throws: ParquetError.self) { try ParquetWriter(path: path, schema: Schema([Field("x", .int32)]), options: .init(rowGroupRows: 0)) }
        #expect(throws: ParquetError.self) { try ParquetWriter(path: dir.path + "/", schema: Schema([Field("x", .int32)])) }
        #expect(throws: ParquetError.self) { try ParquetWriter(path: dir.path + "/missing/x.parquet", schema: Schema([Field("x", .int32)])) }
        let (dir2, path2) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir2) }
        #expect(throws: TableError.self) {
            try ParquetWriter.write(Table([Column(Field("d", .decimal(precision: 3, scale: 0)), data: .decimal([999, 1000]))]), to: path2)
        }
        #expect(throws: TableError.self) {
            try ParquetWriter.write(Table([Column(Field("i", .int8), data: .int32([127, -129]))]), to: path2)
        }
    }

    @Test func resultStatisticsMatchAnIndependentScan() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try everyTypeTable(rows: 500, seed: 3)
        var o = ParquetWriteOptions()
        o.rowGroupRows = 128
        let r = try ParquetWriter.write(t, to: path, options: o)
        #expect(r.rows == 500)
        #expect(r.rowGroups == 4)
        for c in t.columns {
            guard let s = r.stats(for: c.name) else {
                Issue.record("no stats for \(c.name)")
                continue
            }
            #expect(s.nullCount == Int64(c.nullCount), "\(c.name)")
            let mm = expectedMinMax(c, rows: 0 ..< t.rowCount)
            #expect(s.min == mm?.0, "\(c.name) min")
            #expect(s.max == mm?.1, "\(c.name) max")
            #expect(s.minIsExact && s.maxIsExact)
        }
    }

    // MARK: pyarrow interoperability

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func everyTypeReadsBackInPyarrow() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try everyTypeTable(rows: 1000, seed: 1)
        var o = ParquetWriteOptions()
        o.rowGroupRows = 300
        try ParquetWriter.write(t, to: path, options: o)
        let v = try pyarrowRead(path)
        expectSameCells(v, t)
        #expect(v.raw["created_by"] as? String == "mltrack version 0.1.0")
        #expect(v.rowGroups.map { $0["num_rows"] as? Int } == [300, 300, 300, 100])

        let arrowTypes = Dictionary(uniqueKeysWithValues: v.arrow.map { ($0["name"] as? String ?? "", $0["type"] as? String ?? "") })
        let wantArrow: [String: String] = [
            "b": "bool", "i8": "int8", "i16": "int16", "i32": "int32", "i64": "int64", "f32": "float", "f64": "double",
            "s": "string", "bin": "binary", "day": "date32[day]", "ts_us_utc": "timestamp[us, tz=UTC]", "ts_ms": "timestamp[ms]",
            "ts_ns_utc": "timestamp[ns, tz=UTC]", "d9": "decimal128(9, 2)", "d18": "decimal128(18, 4)", "d10": "decimal128(10, 0)", "d20": "decimal128(20, 3)",
            "d38": "decimal128(38, 10)",
        ]
        for (name, type) in wantArrow { #expect(arrowTypes[name] == type, "\(name)") }
        #expect(v.arrow.allSatisfy { $0["nullable"] as? Bool == true })

        let pq = Dictionary(uniqueKeysWithValues: v.parquet.map { ($0["name"] as? String ?? "", $0) })
        func p(_ n: String, _ k: String) -> String { "\(pq[n]?[k] ?? "nil")" }
        #expect(p("i8", "logical") == "Int(bitWidth=8, isSigned=true)" && p("i8", "converted") == "INT_8")
        #expect(p("s", "logical") == "String" && p("s", "converted") == "UTF8")
        #expect(p("j", "logical") == "JSON" && p("j", "converted") == "JSON" && p("j", "physical") == "BYTE_ARRAY")
        #expect(p("day", "logical") == "Date" && p("day", "converted") == "DATE")
        #expect(p("ts_us_utc", "converted") == "TIMESTAMP_MICROS")
        #expect(p("ts_ms", "converted") == "NONE")
        #expect(p("ts_ns_utc", "logical").contains("isAdjustedToUTC=true, timeUnit=nanoseconds"))
        #expect(p("ts_ms", "logical").contains("isAdjustedToUTC=false, timeUnit=milliseconds"))
        #expect(p("d9", "physical") == "INT32" && p("d18", "physical") == "INT64")
        #expect(p("d10", "physical") == "INT64")
        #expect(p("d20", "physical") == "FIXED_LEN_BYTE_ARRAY" && p("d20", "length") == "9")
        #expect(p("d38", "length") == "16" && p("d38", "converted") == "DECIMAL")
        #expect(p("i64", "max_def") == "1")

        // Per row group statistics against an independent scan of the same rows.
        for (g, range) in [0 ..< 300, 300 ..< 600, 600 ..< 900, 900 ..< 1000].enumerated() {
            for (j, c) in t.columns.enumerated() {
                let ch = v.chunk(g, j)
                #expect(ch["has_stats"] as? Bool == true)
                #expect(ch["null_count"] as? Int == c.slice(range).nullCount, "\(c.name) rg \(g)")
                let mm = expectedMinMax(c, rows: range)
                #expect(ch["min"] as? String == mm.flatMap { canonical($0.0) }, "\(c.name) rg \(g) min")
                #expect(ch["max"] as? String == mm.flatMap { canonical($0.1) }, "\(c.name) rg \(g) max")
            }
        }
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func requiredColumnsAreRequiredInPyarrow() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try everyTypeTable(rows: 200, seed: 2, nullable: false)
        try ParquetWriter.write(t, to: path)
        let v = try pyarrowRead(path)
        expectSameCells(v, t)
        #expect(v.arrow.allSatisfy { $0["nullable"] as? Bool == false })
        #expect(v.parquet.allSatisfy { $0["max_def"] as? Int == 0 })
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"),
          arguments: [CompressionCodec.uncompressed, .snappy, .gzip, .zstd, .lz4Raw, .brotli])
    func eachCodecReadsBackInPyarrow(codec: CompressionCodec) throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try everyTypeTable(rows: 3000, seed: UInt64(codec.rawValue) + 10)
        var o = ParquetWriteOptions(codec: codec)
        o.rowGroupRows = 1000
        o.dataPageBytes = 2000 // several pages per chunk
        try ParquetWriter.write(t, to: path, options: o)
        let v = try pyarrowRead(path)
        expectSameCells(v, t)
        // pyarrow names codec 7 (LZ4_RAW) "LZ4".
        #expect(v.chunk(0, 0)["compression"] as? String == (codec == .lz4Raw ? "LZ4" : codec.name))
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func dictionaryOnOffAndFallback() throws {
        let (dir, _) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SeededRNG(5)
        let n = 20_000
        var low = ByteArrayBuffer()
        var unique = ByteArrayBuffer()
        var validity: [Bool] = []
        for i in 0 ..< n {
            low.append(["red", "green", "blue", "ünïcode"][Int.random(in: 0 ..< 4, using: &rng)])
            unique.append("row-\(i)-" + String(repeating: "x", count: Int.random(in: 0 ..< 50, using: &rng)))
            validity.append(i % 7 != 3)
        }
        let t = try Table([
            Column(Field("low", .string), data: .bytes(low), validity: validity),
            Column(Field("unique", .string), data: .bytes(unique)),
        ])
        func encodings(_ v: PyarrowView, _ col: Int) -> Set<String> {
            Set(v.chunk(0, col)["encodings"] as? [String] ?? [])
        }
        // Default: dictionary; the unique column outgrows a 64 KiB dictionary and falls back to PLAIN.
        var o = ParquetWriteOptions()
        o.dictionaryPageBytes = 64 << 10
        o.dataPageBytes = 16 << 10
        let p1 = dir.appendingPathComponent("dict.parquet").path
        try ParquetWriter.write(t, to: p1, options: o)
        let v1 = try pyarrowRead(p1)
        expectSameCells(v1, t)
        #expect(encodings(v1, 0).contains("RLE_DICTIONARY") && !encodings(v1, 0).contains("PLAIN_DICTIONARY"))
        #expect(v1.chunk(0, 0)["has_dict"] as? Bool == true)
        #expect(encodings(v1, 1).isSuperset(of: ["RLE_DICTIONARY", "PLAIN"]))
        // Off: PLAIN only.
        o.dictionaryForStrings = false
        let p2 = dir.appendingPathComponent("plain.parquet").path
        try ParquetWriter.write(t, to: p2, options: o)
        let v2 = try pyarrowRead(p2)
        expectSameCells(v2, t)
        #expect(!encodings(v2, 0).contains("RLE_DICTIONARY") && v2.chunk(0, 0)["has_dict"] as? Bool == false)
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func dictionaryStorageInput() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Duplicate and unused dictionary entries, nulls with arbitrary indices.
        let dict = ByteArrayBuffer(strings: ["b", "a", "unused", "b", "ç"])
        let idx: [Int32] = [0, 1, 3, 4, 99, 1, 0, 3]
        let validity = [true, true, true, true, false, true, true, true]
        let t = try Table([Column(Field("cat", .string), data: .dictionary(indices: idx, dictionary: dict), validity: validity)])
        for dictOn in [true, false] {
            var o = ParquetWriteOptions()
            o.dictionaryForStrings = dictOn
            let r = try ParquetWriter.write(t, to: path, options: o)
            #expect(r.columnStats[0].min == .string("a") && r.columnStats[0].max == .string("ç"))
            #expect(r.columnStats[0].nullCount == 1)
            expectSameCells(try pyarrowRead(path), t)
        }
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func pageChecksumsVerifyInPyarrow() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try everyTypeTable(rows: 500, seed: 8)
        var o = ParquetWriteOptions()
        o.pageChecksums = true
        try ParquetWriter.write(t, to: path, options: o)
        let check = """
        import sys, pyarrow.parquet as pq
        try:
            pq.ParquetFile(sys.argv[1], page_checksum_verification=True).read()
            print("ok")
        except OSError as e:
            print("fail:", e)
        """
        #expect(try PythonPeer.run(check, args: [path]).hasPrefix("ok"))
        ParquetWriterOwnReaderTests.expectSame(try ParquetFile(path: path).read(), t)
        // Flip one byte inside the first page's payload (after "PAR1" and its header): pyarrow notices.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[40] ^= 0x55
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try PythonPeer.run(check, args: [path]).contains("CRC"))
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func singleValueDictionaryHasBitWidthZero() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try Table([
            Column(Field("c", .string), data: .bytes(ByteArrayBuffer(strings: Array(repeating: "x", count: 100))),
                   validity: (0 ..< 100).map { $0 % 3 != 0 }),
            Column(Field("r", .string, nullable: false), data: .bytes(ByteArrayBuffer(strings: Array(repeating: "y", count: 100)))),
        ])
        try ParquetWriter.write(t, to: path)
        expectSameCells(try pyarrowRead(path), t)
        ParquetWriterOwnReaderTests.expectSame(try ParquetFile(path: path).read(), t)
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func emptyTableAndAllNullColumn() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try everyTypeTable(rows: 0, seed: 1)
        let r = try ParquetWriter.write(empty, to: path)
        #expect(r.rows == 0 && r.rowGroups == 0)
        let v = try pyarrowRead(path)
        #expect(v.numRows == 0 && v.arrow.count == empty.columns.count)

        let nulls = try Table([
            Column.nulls(Field("s", .string), count: 50),
            Column.nulls(Field("x", .float64), count: 50),
            Column(Field("nan", .float64), data: .double([.nan, .nan, 1.5, -0.0, .nan])
                .materialized(50), validity: nil),
        ])
        try ParquetWriter.write(nulls, to: path)
        let v2 = try pyarrowRead(path)
        expectSameCells(v2, nulls)
        #expect(v2.chunk(0, 0)["null_count"] as? Int == 50 && v2.chunk(0, 0)["has_min_max"] as? Bool == false)
        #expect(v2.chunk(0, 1)["has_min_max"] as? Bool == false)
        // NaN ignored; zero bounds follow the spec (max +0.0 when the largest value is a zero).
        #expect(v2.chunk(0, 2)["min"] as? String == canonical(.double(-0.0)))
        #expect(v2.chunk(0, 2)["max"] as? String == canonical(.double(1.5)))
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func longAndUnicodeStrings() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SeededRNG(9)
        let alphabet = Array("aé日🎉zÿ\u{0}\n\"\\")
        var strings: [String] = ["", "🎉", String(repeating: "ß", count: 200_000)]
        for _ in 0 ..< 300 {
            let len = Int.random(in: 0 ..< 3000, using: &rng)
            strings.append(String((0 ..< len).map { _ in alphabet[Int.random(in: 0 ..< alphabet.count, using: &rng)] }))
        }
        let t = try Table([Column(Field("s", .string, nullable: false), data: .bytes(ByteArrayBuffer(strings: strings)))])
        var o = ParquetWriteOptions(codec: .zstd)
        o.dataPageBytes = 64 << 10
        let r = try ParquetWriter.write(t, to: path, options: o)
        let v = try pyarrowRead(path)
        expectSameCells(v, t)
        // Bounds longer than 1 KiB are truncated (and marked inexact) but still bound every value.
        let s = r.columnStats[0]
        #expect(s.min == .string(""))
        guard case .string(let mx)? = s.max else {
            Issue.record("no max")
            return
        }
        #expect(!s.maxIsExact && mx.utf8.count <= 1024)
        #expect(strings.allSatisfy { !Array(mx.utf8).lexicographicallyPrecedes(Array($0.utf8)) })
        #expect(v.chunk(0, 0)["max"] as? String == mx)
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func batchesAreCutIntoRowGroupsAndMetadataIsKept() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        var o = ParquetWriteOptions()
        o.rowGroupRows = 250
        o.keyValueMetadata = ["mltrack.run": "abc", "zeta": "ünï"]
        let full = try everyTypeTable(rows: 1000, seed: 21)
        let w = try ParquetWriter(path: path, schema: full.schema, options: o)
        var at = 0
        for n in [1, 99, 0, 400, 300, 200] {
            try w.write(full.slice(at ..< at + n))
            at += n
        }
        let r = try w.close()
        #expect(r.rows == 1000 && r.rowGroups == 4)
        let v = try pyarrowRead(path)
        expectSameCells(v, full)
        #expect(v.rowGroups.map { $0["num_rows"] as? Int } == [250, 250, 250, 250])
        #expect(v.raw["kv"] as? [String: String] == ["mltrack.run": "abc", "zeta": "ünï"])
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func deltaRsReadsDataAndStatistics() throws {
        let dir = try TestPaths.tempDir("pqwrite-delta")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The types Delta has (no nanosecond timestamps, no JSON logical type).
        let all = try everyTypeTable(rows: 600, seed: 31)
        let keep = ["b", "i8", "i16", "i32", "i64", "f32", "f64", "s", "bin", "day", "ts_us_utc", "d9", "d18", "d10", "d20", "d38"]
        var t = try all.project(keep)
        try t.append(Column(Field("ts_ntz", .timestamp(unit: .microseconds, utc: false)),
                            data: .int64((0 ..< 600).map { Int64($0) * 86_400_000_000 - 10_000_000_000_000 })))
        // One distinct value: dictionary indices of bit width 0.
        try t.append(Column(Field("const", .string), data: .bytes(ByteArrayBuffer(strings: Array(repeating: "same", count: 600))),
                            validity: (0 ..< 600).map { $0 % 5 != 0 }))
        var o = ParquetWriteOptions()
        o.rowGroupRows = 256
        o.dataPageBytes = 1000
        let r = try ParquetWriter.write(t, to: dir.appendingPathComponent("part-0.parquet").path, options: o)
        let out = try PythonPeer.json(deltaRsDump, args: [dir.path]) as? [String: Any] ?? [:]
        #expect(out["rows"] as? Int == 600)
        #expect(out["num_records"] as? Int == 600)
        let cols = out["columns"] as? [String: [Any]] ?? [:]
        for c in t.columns {
            let got = (cols[c.name] ?? []).map { $0 as? String }
            let want = (0 ..< t.rowCount).map { canonical(c.value(at: $0)) }
            #expect(got == want, "\(c.name)")
        }
        // delta-rs collected the statistics from our footers; spot-check against our own result.
        let stats = out["stats"] as? [String: String] ?? [:]
        for name in ["i32", "i64", "s", "day"] {
            #expect(stats["null_count.\(name)"] == String(r.stats(for: name)?.nullCount ?? -1), "\(name)")
        }
        if case .int(let v)? = r.stats(for: "i64")?.min { #expect(stats["min.i64"] == String(v)) }
        if case .string(let v)? = r.stats(for: "s")?.max { #expect(stats["max.s"] == v) }
    }

}

/// Reads a folder of our Parquet files with delta-rs (parquet-rs): `convert_to_deltalake` reads the
/// footers (schema and statistics), DataFusion reads the data.
private let deltaRsDump = #"""
import sys, json, struct, decimal
import pyarrow as pa
from deltalake import convert_to_deltalake, DeltaTable, QueryBuilder
decimal.getcontext().prec = 100
d = sys.argv[1]
convert_to_deltalake(d)
dt = DeltaTable(d)
reader = QueryBuilder().register("t", dt).execute("select * from t")
t = pa.RecordBatchReader.from_stream(reader).read_all()
def canon(col):
    ty = col.type
    if pa.types.is_timestamp(ty) or pa.types.is_date32(ty):
        return [None if v is None else str(v) for v in col.cast(pa.int64() if pa.types.is_timestamp(ty) else pa.int32()).to_pylist()]
    out = []
    for v in col.to_pylist():
        if v is None: out.append(None)
        elif isinstance(v, bool): out.append("true" if v else "false")
        elif isinstance(v, float): out.append("nan" if v != v else struct.pack('<f' if ty == pa.float32() else '<d', v).hex())
        elif isinstance(v, (bytes, bytearray)): out.append(v.hex())
        elif isinstance(v, decimal.Decimal): out.append(str(int(v.scaleb(ty.scale))))
        else: out.append(str(v))
    return out
adds = pa.table(dt.get_add_actions(flatten=True)).to_pylist()
stats = {k: str(v) for k, v in adds[0].items() if k.startswith(("min.", "max.", "null_count."))}
print(json.dumps({"rows": t.num_rows, "types": {f.name: str(f.type) for f in t.schema},
                  "columns": {n: canon(t.column(n).combine_chunks()) for n in t.column_names},
                  "num_records": adds[0].get("num_records"), "stats": stats}))
"""#

/// Round trips through our own reader (`ParquetFile`), no Python needed.
@Suite struct ParquetWriterOwnReaderTests {
    /// Compares schema and every cell of what ParquetFile read with what was written.
    static func expectSame(_ got: Table, _ want: Table, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.rowCount == want.rowCount, sourceLocation: sourceLocation)
        #expect(got.columns.count == want.columns.count, sourceLocation: sourceLocation)
        for (g, w) in zip(got.columns, want.columns) {
            #expect(g.name == w.name && g.field.nullable == w.field.nullable, sourceLocation: sourceLocation)
            // JSON text reads back as a string column (the reader maps the JSON logical type to string).
            if case .json = w.type {
                #expect(g.type == .string, sourceLocation: sourceLocation)
            } else {
                #expect(g.type == w.type, "\(w.name)", sourceLocation: sourceLocation)
            }
            var bad = 0
            for i in 0 ..< min(g.count, w.count) where canonical(g.value(at: i)) != canonical(w.value(at: i)) {
                if bad < 3 { Issue.record("\(w.name) row \(i): read \(g.value(at: i)), wrote \(w.value(at: i))", sourceLocation: sourceLocation) }
                bad += 1
            }
            #expect(bad == 0, "\(w.name)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [CompressionCodec.uncompressed, .snappy, .gzip, .zstd, .lz4Raw, .brotli])
    func everyTypeRoundTrips(codec: CompressionCodec) throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (k, nullable) in [true, false].enumerated() {
            let t = try everyTypeTable(rows: 2500, seed: UInt64(codec.rawValue) * 10 + UInt64(k), nullable: nullable)
            for dict in [true, false] {
                var o = ParquetWriteOptions(codec: codec)
                o.rowGroupRows = 1000
                o.dataPageBytes = 1500
                o.dictionaryForStrings = dict
                o.dictionaryPageBytes = 2000 // the unique-ish columns fall back to PLAIN mid-chunk
                try ParquetWriter.write(t, to: path, options: o)
                let f = try ParquetFile(path: path)
                #expect(f.rowGroupCount == 3)
                #expect(f.metadata.rowGroups.map(\.numRows) == [1000, 1000, 500])
                #expect(f.metadata.rowGroups[0].columns.allSatisfy { $0.codec == codec })
                Self.expectSame(try f.read(), t)
                // Row groups and column projection.
                let rg = try f.readRowGroup(2, columns: ["s", "d38"])
                Self.expectSame(rg, try t.slice(2000 ..< 2500).project(["s", "d38"]))
            }
        }
    }

    /// Random shapes: sizes, null densities, page/row-group/dictionary limits, codecs, storage kinds.
    @Test func randomizedShapesRoundTrip() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SeededRNG(2026)
        let codecs: [CompressionCodec] = [.uncompressed, .snappy, .zstd, .lz4Raw, .gzip]
        for iteration in 0 ..< 40 {
            let n = [0, 1, 7, 8, 9, 63, 64, 65, 500, 2000][Int.random(in: 0 ..< 10, using: &rng)]
            let nullable = Bool.random(using: &rng)
            let density = [0.0, 0.05, 0.5, 0.95, 1.0][Int.random(in: 0 ..< 5, using: &rng)]
            func validity() -> [Bool]? {
                guard nullable else { return nil }
                if density == 0 && Bool.random(using: &rng) { return nil }
                return (0 ..< n).map { _ in Double.random(in: 0 ..< 1, using: &rng) >= density }
            }
            let cardinality = [1, 2, 300, 100_000][Int.random(in: 0 ..< 4, using: &rng)]
            var strs = ByteArrayBuffer()
            for _ in 0 ..< n { strs.append("v\(Int.random(in: 0 ..< cardinality, using: &rng))" + String(repeating: "ü", count: Int.random(in: 0 ..< 20, using: &rng))) }
            let dict = ByteArrayBuffer(strings: (0 ..< 50).map { "d\($0 % 37)" })
            let t = try Table([
                Column(Field("s", .string, nullable: nullable), data: .bytes(strs), validity: validity()),
                Column(Field("cat", .json(nestedType: "x"), nullable: nullable),
                       data: .dictionary(indices: (0 ..< n).map { _ in Int32.random(in: 0 ..< 50, using: &rng) }, dictionary: dict), validity: validity()),
                Column(Field("b", .bool, nullable: nullable), data: .bool((0 ..< n).map { _ in Int.random(in: 0 ..< 10, using: &rng) == 0 }), validity: validity()),
                Column(Field("i", .int16, nullable: nullable), data: .int32((0 ..< n).map { _ in Int32.random(in: -5 ... 5, using: &rng) }), validity: validity()),
                Column(Field("f", .float32, nullable: nullable), data: .float((0 ..< n).map { _ in Bool.random(using: &rng) ? .nan : Float(Int.random(in: -3 ... 3, using: &rng)) }), validity: validity()),
                Column(Field("d", .decimal(precision: 30, scale: 5), nullable: nullable), data: .decimal((0 ..< n).map { _ in Int128(Int64.random(in: .min ... .max, using: &rng)) }), validity: validity()),
            ])
            var o = ParquetWriteOptions(codec: codecs[iteration % codecs.count])
            o.rowGroupRows = Int.random(in: 1 ... 1500, using: &rng)
            o.dataPageBytes = Int.random(in: 1 ... 5000, using: &rng)
            o.dictionaryPageBytes = Int.random(in: 1 ... 3000, using: &rng)
            o.dictionaryForStrings = Bool.random(using: &rng)
            o.statistics = Bool.random(using: &rng)
            let r = try ParquetWriter.write(t, to: path, options: o)
            let f = try ParquetFile(path: path)
            #expect(f.metadata.numRows == Int64(n) && r.rows == Int64(n))
            #expect(f.rowGroupCount == (n + o.rowGroupRows - 1) / o.rowGroupRows)
            Self.expectSame(try f.read(), t)
            for c in t.columns {
                let s = r.stats(for: c.name)
                #expect(s?.nullCount == Int64(c.nullCount), "iteration \(iteration) \(c.name)")
                if o.statistics {
                    let mm = expectedMinMax(c, rows: 0 ..< n)
                    #expect(s?.min == mm?.0 && s?.max == mm?.1, "iteration \(iteration) \(c.name)")
                } else {
                    #expect(s?.min == nil && s?.max == nil)
                }
            }
        }
    }

    @Test func statisticsFieldIdsAndMetadataInTheFooter() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try Table([
            Column(Field("id", .int64, nullable: false, metadata: ["parquet.field_id": "7"]), data: .int64([5, -3, 9, 0])),
            Column(Field("name", .string), data: .bytes(ByteArrayBuffer(strings: ["b", "", "a", "zz"])), validity: [true, false, true, true]),
            Column(Field("x", .float64), data: .double([.nan, 2.5, -0.0, 1])),
            Column(Field("d", .decimal(precision: 25, scale: 2)), data: .decimal([-1, 300, 7, 2])),
        ])
        var o = ParquetWriteOptions()
        o.keyValueMetadata = ["a": "1"]
        try ParquetWriter.write(t, to: path, options: o)
        let f = try ParquetFile(path: path)
        #expect(f.metadata.createdBy == "mltrack version 0.1.0")
        #expect(f.metadata.keyValue("a") == "1")
        #expect(f.schema.fields[0].metadata["parquet.field_id"] == "7")
        #expect(f.leaves.map(\.physicalType) == [.int64, .byteArray, .double, .fixedLenByteArray])
        let cols = f.metadata.rowGroups[0].columns
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        #expect(cols[0].statistics?.minValue == le(Int64(-3)) && cols[0].statistics?.maxValue == le(Int64(9)))
        #expect(cols[0].statistics?.nullCount == 0)
        #expect(cols[1].statistics?.minValue == Array("a".utf8) && cols[1].statistics?.maxValue == Array("zz".utf8))
        #expect(cols[1].statistics?.nullCount == 1)
        #expect(cols[2].statistics?.minValue == le((-0.0 as Double).bitPattern) && cols[2].statistics?.maxValue == le((2.5 as Double).bitPattern))
        // decimal(25,2) is an 11-byte big-endian FLBA: -1 is all ones.
        #expect(cols[3].statistics?.minValue == Array(repeating: 0xFF, count: 11))
        #expect(cols[3].statistics?.maxValue == Array(repeating: 0, count: 9) + [0x01, 0x2C])
        Self.expectSame(try f.read(), t)
    }

    @Test func emptyAndBatchedWritesRoundTrip() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try everyTypeTable(rows: 0, seed: 4)
        try ParquetWriter.write(empty, to: path)
        let f = try ParquetFile(path: path)
        #expect(f.rowGroupCount == 0 && f.metadata.numRows == 0)
        Self.expectSame(try f.read(), empty)

        let full = try everyTypeTable(rows: 777, seed: 5)
        var o = ParquetWriteOptions()
        o.rowGroupRows = 100
        let w = try ParquetWriter(path: path, schema: full.schema, options: o)
        var at = 0
        var rng = SeededRNG(11)
        while at < full.rowCount {
            let n = min(full.rowCount - at, Int.random(in: 0 ..< 150, using: &rng))
            try w.write(full.slice(at ..< at + n))
            at += n
        }
        let r = try w.close()
        #expect(r.rowGroups == 8)
        let g = try ParquetFile(path: path)
        #expect(g.metadata.rowGroups.map(\.numRows) == [100, 100, 100, 100, 100, 100, 100, 77])
        Self.expectSame(try g.read(), full)
    }

    @Test func dictionaryInputAndLargeValuesRoundTrip() throws {
        let (dir, path) = try tempFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SeededRNG(12)
        let n = 30_000
        let words = ByteArrayBuffer(strings: (0 ..< 300).map { "w\($0)-" + String(repeating: "é", count: $0 % 17) })
        let idx = (0 ..< n).map { _ in Int32.random(in: 0 ..< 300, using: &rng) }
        let valid = (0 ..< n).map { $0 % 11 != 0 }
        let big = ByteArrayBuffer(strings: (0 ..< 40).map { String(repeating: Character(UnicodeScalar(UInt8(65 + $0 % 26))), count: 50_000 + $0) })
        let t = try Table([
            Column(Field("cat", .string), data: .dictionary(indices: idx, dictionary: words), validity: valid),
            Column(Field("flag", .bool, nullable: false), data: .bool((0 ..< n).map { $0 % 3 == 0 })),
        ])
        var o = ParquetWriteOptions(codec: .zstd)
        o.dataPageBytes = 4096
        try ParquetWriter.write(t, to: path, options: o)
        Self.expectSame(try ParquetFile(path: path).read(), t)

        let bigT = try Table([Column(Field("blob", .binary), data: .bytes(big))])
        let r = try ParquetWriter.write(bigT, to: path, options: o)
        #expect(r.columnStats[0].minIsExact == false)
        Self.expectSame(try ParquetFile(path: path).read(), bigT)
    }
}

private extension ColumnData {
    /// Repeats the values cyclically to `n` rows (test helper).
    func materialized(_ n: Int) -> ColumnData {
        switch self {
        case .double(let v): return .double((0 ..< n).map { v[$0 % v.count] })
        default: return self
        }
    }
}
