import Foundation
import Testing
import TestSupport
@testable import GoldTables

/// Files written by pyarrow at test time (every codec, dictionary on/off, v2 pages, INT96,
/// DELTA_* / BYTE_STREAM_SPLIT encodings, nested list/struct/map), compared cell by cell with
/// pyarrow's own reading of the same files.
enum PyarrowFixtures {
    static let script = #"""
import sys, json, math, datetime, decimal, random
import pyarrow as pa, pyarrow.parquet as pq
out = sys.argv[1]
rng = random.Random(42)
N = 1000
def maybe(v, p=0.2):
    return None if rng.random() < p else v
def col(f): return [maybe(f(i)) for i in range(N)]
utc = 'UTC'
wide = pa.table({
  'b': pa.array(col(lambda i: rng.random() < 0.5), pa.bool_()),
  'i8': pa.array(col(lambda i: rng.randint(-128, 127)), pa.int8()),
  'i16': pa.array(col(lambda i: rng.randint(-32768, 32767)), pa.int16()),
  'i32': pa.array(col(lambda i: rng.randint(-2**31, 2**31-1)), pa.int32()),
  'i64': pa.array(col(lambda i: rng.randint(-2**63, 2**63-1)), pa.int64()),
  'u8': pa.array(col(lambda i: rng.randint(0, 255)), pa.uint8()),
  'u16': pa.array(col(lambda i: rng.randint(0, 65535)), pa.uint16()),
  'u32': pa.array(col(lambda i: rng.randint(0, 2**32-1)), pa.uint32()),
  'u64': pa.array(col(lambda i: rng.randint(0, 2**64-1)), pa.uint64()),
  'f': pa.array(col(lambda i: rng.choice([rng.uniform(-1e6, 1e6), float('nan'), float('inf'), -0.0, 1.5])), pa.float32()),
  'd': pa.array(col(lambda i: rng.choice([rng.uniform(-1e12, 1e12), float('nan'), -float('inf'), 0.1])), pa.float64()),
  's': pa.array(col(lambda i: rng.choice(['', 'a', 'héllo', 'x'*rng.randint(0, 40), 'q"\\\n', str(i)])), pa.string()),
  'cat': pa.array(col(lambda i: rng.choice(['red', 'green', 'blue'])), pa.string()),
  'bin': pa.array(col(lambda i: bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 10)))), pa.binary()),
  'dt': pa.array(col(lambda i: datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randint(-100000, 100000))), pa.date32()),
  'ts_ms': pa.array(col(lambda i: rng.randint(-2**41, 2**41)), pa.timestamp('ms', tz=utc)),
  'ts_us': pa.array(col(lambda i: rng.randint(-2**51, 2**51)), pa.timestamp('us', tz=utc)),
  'ts_ns': pa.array(col(lambda i: rng.randint(-2**62, 2**62)), pa.timestamp('ns', tz=utc)),
  'ts_naive': pa.array(col(lambda i: rng.randint(-2**51, 2**51)), pa.timestamp('us')),
  'dec52': pa.array(col(lambda i: decimal.Decimal(rng.randint(-99999, 99999)).scaleb(-2)), pa.decimal128(5, 2)),
  'dec204': pa.array(col(lambda i: decimal.Decimal(rng.randint(-10**20+1, 10**20-1)).scaleb(-4)), pa.decimal128(20, 4)),
  'req': pa.array([i * 7 for i in range(N)], pa.int64()),
})
wide = wide.cast(pa.schema([f.with_nullable(f.name != 'req') for f in wide.schema]))
files = {}
def w(name, t, **kw):
    pq.write_table(t, f'{out}/{name}.parquet', **kw); files[name] = t
for c in ['none', 'snappy', 'gzip', 'zstd', 'lz4', 'brotli']:
    w(f'codec_{c}', wide, compression=c, row_group_size=300)
w('nodict', wide, use_dictionary=False, row_group_size=400)
w('v2', wide, data_page_version='2.0', data_page_size=2000, row_group_size=700)
w('v2_zstd', wide, data_page_version='2.0', compression='zstd', data_page_size=512)
w('v1fmt', wide.drop_columns(['ts_ns']), version='1.0')
ints = wide.select(['i32', 'i64', 'req', 'dt', 'ts_us', 'u32'])
w('int96', wide.select(['ts_ms', 'ts_us', 'ts_ns', 'ts_naive', 'i32']), use_deprecated_int96_timestamps=True)
enc = {'i32': 'DELTA_BINARY_PACKED', 'i64': 'DELTA_BINARY_PACKED', 'req': 'DELTA_BINARY_PACKED', 'u32': 'DELTA_BINARY_PACKED',
       's': 'DELTA_LENGTH_BYTE_ARRAY', 'cat': 'DELTA_BYTE_ARRAY', 'bin': 'DELTA_BYTE_ARRAY',
       'f': 'BYTE_STREAM_SPLIT', 'd': 'BYTE_STREAM_SPLIT', 'dt': 'DELTA_BINARY_PACKED', 'ts_ns': 'DELTA_BINARY_PACKED',
       'dec204': 'DELTA_BYTE_ARRAY', 'b': 'RLE'}
encT = wide.select(list(enc))
w('encodings', encT, use_dictionary=False, column_encoding=enc, row_group_size=600)
w('encodings_v2', encT, use_dictionary=False, column_encoding=enc, data_page_version='2.0', compression='zstd', data_page_size=700)
bss = {'i32': 'BYTE_STREAM_SPLIT', 'i64': 'BYTE_STREAM_SPLIT', 'dec52': 'BYTE_STREAM_SPLIT', 'dec204': 'BYTE_STREAM_SPLIT'}
try:
    w('bss_ints', wide.select(list(bss)), use_dictionary=False, column_encoding=bss, store_decimal_as_integer=False)
except Exception as e:
    print('bss_ints skipped', e, file=sys.stderr)
# dictionary fallback: unique long strings with a small dictionary limit
fb = pa.table({'u': pa.array([maybe(f'unique-{i}-' + 'z' * (i % 50)) for i in range(5000)]),
               'n': pa.array([maybe(i % 1000) for i in range(5000)], pa.int64())})
w('fallback', fb, dictionary_pagesize_limit=4000, data_page_size=3000)
w('decint', wide.select(['dec52']), store_decimal_as_integer=True)
# nested
def lst(i):
    r = rng.random()
    if r < 0.15: return None
    if r < 0.3: return []
    return [maybe(rng.randint(-5, 5), 0.1) for _ in range(rng.randint(1, 4))]
nested = pa.table({
  'li': pa.array([lst(i) for i in range(N)], pa.list_(pa.int64())),
  'ls': pa.array([None if rng.random() < 0.1 else [maybe(rng.choice(['a', 'b', 'cc']), 0.2) for _ in range(rng.randint(0, 3))] for i in range(N)], pa.list_(pa.string())),
  'st': pa.array([None if rng.random() < 0.1 else {'a': maybe(rng.randint(0, 9)), 'b': maybe(rng.choice(['x', 'y'])), 'c': lst(i)} for i in range(N)],
                 pa.struct([('a', pa.int32()), ('b', pa.string()), ('c', pa.list_(pa.int64()))])),
  'lst': pa.array([None if rng.random() < 0.1 else [maybe({'val': maybe(rng.randint(0, 3))}) for _ in range(rng.randint(0, 3))] for i in range(N)],
                  pa.list_(pa.struct([('val', pa.int32())]))),
  'mp': pa.array([None if rng.random() < 0.1 else [(k, maybe(rng.randint(0, 100))) for k in rng.sample(['k1', 'k2', 'k3', 'k4'], rng.randint(0, 3))] for i in range(N)],
                 pa.map_(pa.string(), pa.int64())),
  'll': pa.array([None if rng.random() < 0.1 else [lst(j) for j in range(rng.randint(0, 3))] for i in range(N)], pa.list_(pa.list_(pa.int32()))),
  'flat': pa.array([maybe(i) for i in range(N)], pa.int64()),
})
w('nested', nested, row_group_size=400)
w('nested_v2', nested, data_page_version='2.0', compression='zstd', data_page_size=300)

def norm(v, t):
    if v is None: return None
    if pa.types.is_floating(t):
        if math.isnan(v): return 'NaN'
        if math.isinf(v): return 'Infinity' if v > 0 else '-Infinity'
        return v
    if pa.types.is_uint64(t): return v - 2**64 if v >= 2**63 else v
    if pa.types.is_binary(t): return v.hex()
    if pa.types.is_date32(t): return (v - datetime.date(1970, 1, 1)).days
    if pa.types.is_decimal(t): return format(v, 'f')
    if pa.types.is_map(t): return [{'key': norm(k, t.key_type), 'value': norm(x, t.item_type)} for k, x in v]
    if pa.types.is_list(t): return [norm(x, t.value_type) for x in v]
    if pa.types.is_struct(t): return {f.name: norm(v[f.name], f.type) for f in t}
    return v
dump = {}
for name, t in files.items():
    back = pq.read_table(f'{out}/{name}.parquet')
    d = {}
    for f in back.schema:
        c = back.column(f.name)
        if pa.types.is_timestamp(f.type):
            d[f.name] = c.cast(pa.int64()).to_pylist()
        else:
            d[f.name] = [norm(v, f.type) for v in c.to_pylist()]
    md = pq.ParquetFile(f'{out}/{name}.parquet').metadata
    dump[name] = {'columns': d, 'row_groups': md.num_row_groups, 'types': {f.name: str(f.type) for f in back.schema}}
json.dump(dump, open(f'{out}/expected.json', 'w'))
print(json.dumps({k: v['row_groups'] for k, v in dump.items()}))
"""#

    struct Generated: @unchecked Sendable {
        let dir: URL
        let expected: [String: Any]
    }

    /// Generated once per test process.
    static let generated: Result<Generated, Error> = {
        Result {
            let dir = try TestPaths.tempDir("mltrack-pq")
            try PythonPeer.run(script, args: [dir.path])
            let data = try Data(contentsOf: dir.appendingPathComponent("expected.json"))
            let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            return Generated(dir: dir, expected: obj)
        }
    }()

    static func get() throws -> Generated { try generated.get() }

    /// A JSON-comparable form of one cell, matching the Python dump's conventions.
    static func normalize(_ v: Value) -> Any {
        switch v {
        case .null: return NSNull()
        case .bool(let b): return b
        case .int(let i): return i
        case .float(let f): return normFloat(Double(f))
        case .double(let d): return normFloat(d)
        case .string(let s): return s
        case .binary(let b): return b.map { String(format: "%02x", $0) }.joined()
        case .date(let d): return Int64(d)
        case .timestamp(let t, _, _): return t
        case .decimal(let u, let s): return TableRenderer.text(.decimal(unscaled: u, scale: s))
        case .json(let s):
            return (try? JSONSerialization.jsonObject(with: Data(s.utf8), options: [.fragmentsAllowed])) ?? "<bad json: \(s)>"
        }
    }

    static func normFloat(_ d: Double) -> Any {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
        return d
    }

    static func canonical(_ v: Any) -> String {
        if v is NSNull { return "null" }
        if let s = v as? String { return "\"" + s + "\"" }
        guard let d = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed]) else { return "\(v)" }
        return String(decoding: d, as: UTF8.self)
    }

    /// Compares every cell of `table` with pyarrow's values for file `name`; returns mismatches.
    static func compare(_ table: Table, name: String, expected: [String: Any]) -> [String] {
        guard let file = expected[name] as? [String: Any], let cols = file["columns"] as? [String: [Any]] else {
            return ["no expected values for \(name)"]
        }
        var problems: [String] = []
        for (col, want) in cols {
            guard let c = table.column(named: col) else { problems.append("\(name): missing column \(col)"); continue }
            guard c.count == want.count else { problems.append("\(name).\(col): \(c.count) rows, want \(want.count)"); continue }
            var bad = 0
            for i in 0 ..< want.count {
                let got = canonical(normalize(c.value(at: i)))
                let exp = canonical(want[i])
                if got != exp {
                    if bad < 3 { problems.append("\(name).\(col)[\(i)]: got \(got), want \(exp)") }
                    bad += 1
                }
            }
            if bad > 3 { problems.append("\(name).\(col): \(bad) mismatches") }
        }
        return problems
    }
}

@Suite struct ParquetPyarrowTests {
    static let files = ["codec_none", "codec_snappy", "codec_gzip", "codec_zstd", "codec_lz4", "codec_brotli", "nodict", "v2",
                        "v2_zstd", "v1fmt", "int96", "encodings", "encodings_v2", "bss_ints", "fallback", "decint", "nested",
                        "nested_v2"]

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow)"), arguments: files)
    func matchesPyarrowCellByCell(name: String) throws {
        let g = try PyarrowFixtures.get()
        let f = try ParquetFile(path: g.dir.appendingPathComponent("\(name).parquet").path)
        let expectedGroups = ((g.expected[name] as? [String: Any])?["row_groups"] as? Int) ?? -1
        #expect(f.rowGroupCount == expectedGroups)
        let t = try f.read()
        let problems = PyarrowFixtures.compare(t, name: name, expected: g.expected)
        #expect(problems.isEmpty, "\(problems.prefix(20).joined(separator: "\n"))")
    }
}

@Suite struct ParquetPyarrowStreamingTests {
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow)"))
    func scanStreamsOneProjectedBatchPerRowGroup() throws {
        let g = try PyarrowFixtures.get()
        let f = try ParquetFile(path: g.dir.appendingPathComponent("codec_snappy.parquet").path)
        let s = try f.scan(columns: ["s", "i32"])
        #expect(s.schema.names == ["s", "i32"])
        var sizes: [Int] = []
        var parts: [Table] = []
        while let t = try s.next() {
            #expect(t.schema.names == ["s", "i32"])
            sizes.append(t.rowCount)
            parts.append(t)
        }
        #expect(sizes == [300, 300, 300, 100])
        let all = try Table.concatenate(parts, schema: s.schema)
        let problems = PyarrowFixtures.compare(all, name: "codec_snappy", expected: [
            "codec_snappy": ["columns": ((g.expected["codec_snappy"] as? [String: Any])?["columns"] as? [String: [Any]] ?? [:])
                .filter { $0.key == "s" || $0.key == "i32" }],
        ])
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow)"))
    func dictionaryStringsStayDictionaryCodedAndFallbackIsMaterialized() throws {
        let g = try PyarrowFixtures.get()
        let f = try ParquetFile(path: g.dir.appendingPathComponent("codec_snappy.parquet").path)
        let t = try f.readRowGroup(0, columns: ["cat"])
        guard case .dictionary(let idx, let dict)? = t.column(named: "cat")?.data else {
            Issue.record("expected a dictionary-coded column")
            return
        }
        #expect(idx.count == 300)
        #expect(dict.count == 3)
        // The fallback file switches from RLE_DICTIONARY to PLAIN mid-chunk: plain bytes.
        let fb = try ParquetFile(path: g.dir.appendingPathComponent("fallback.parquet").path)
        let u = try fb.readRowGroup(0, columns: ["u"])
        if case .bytes? = u.column(named: "u")?.data {} else { Issue.record("expected materialized bytes after fallback") }
        #expect(fb.leaves[0].type == .string)
        #expect(fb.metadata.createdBy?.hasPrefix("parquet-cpp-arrow") == true)
        #expect(fb.metadata.keyValue("ARROW:schema") != nil)
        #expect(fb.metadata.rowGroups[0].columns[1].statistics?.nullCount ?? -1 > 0)
    }
}

@Suite struct ParquetFieldIdTests {
    /// Field ids (Delta column mapping `id` mode) are surfaced on fields and leaves.
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow)"))
    func fieldIdsAreExposed() throws {
        let dir = try TestPaths.tempDir("mltrack-pqfid")
        let path = dir.appendingPathComponent("ids.parquet").path
        try PythonPeer.run(#"""
import sys
import pyarrow as pa, pyarrow.parquet as pq
s = pa.schema([pa.field('a', pa.int64(), metadata={'PARQUET:field_id': '5'}),
               pa.field('st', pa.struct([pa.field('x', pa.string(), metadata={'PARQUET:field_id': '7'})]),
                        metadata={'PARQUET:field_id': '6'})])
pq.write_table(pa.table({'a': [1, 2], 'st': [{'x': 'p'}, None]}, schema=s), sys.argv[1])
"""#, args: [path])
        let f = try ParquetFile(path: path)
        #expect(f.schema["a"]?.metadata["parquet.field_id"] == "5")
        #expect(f.schema["st"]?.metadata["parquet.field_id"] == "6")
        #expect(f.leaf(["st", "x"])?.fieldId == 7)
        let t = try f.read()
        #expect(t.column(named: "st")?.value(at: 0) == .json("{\"x\":\"p\"}"))
        #expect(t.column(named: "st")?.value(at: 1) == .null)
    }
}
