import Foundation
import Testing
import TestSupport
@testable import GoldTables

@Suite struct ParquetDatasetTests {
    @Test func percentDecodingAndTypeInference() {
        #expect(ParquetDataset.percentDecode("2021-09-08 11%3A11%3A11") == "2021-09-08 11:11:11")
        #expect(ParquetDataset.percentDecode("a%2Fb%25%zz") == "a/b%%zz")
        #expect(ParquetDataset.inferType(["1", "-20"]) == .int64)
        #expect(ParquetDataset.inferType(["1", "2.5"]) == .float64)
        #expect(ParquetDataset.inferType(["2021-09-08", "1969-12-31"]) == .date)
        #expect(ParquetDataset.inferType(["2021-09-08", "x"]) == .string)
        #expect(ParquetDataset.inferType(["true"]) == .string)
        #expect(ParquetDataset.inferType([]) == .string)
        #expect(ParquetDataset.parseDate("1970-01-01") == 0)
        #expect(ParquetDataset.parseDate("2021-09-08") == 18878)
        #expect(ParquetDataset.parseDate("1969-12-31") == -1)
        #expect(ParquetDataset.parseDate("2021-02-29") == nil)
    }

    @Test(.enabled(if: TestPaths.deltaGolden != nil, "needs ../shared/fixtures/delta-golden"))
    func sparkHivePartitionFolders() throws {
        let dir = try #require(TestPaths.deltaGolden).appendingPathComponent("data-reader-partition-values")
        let ds = try ParquetDataset(path: dir.path)
        #expect(ds.files.count == 3) // _delta_log is ignored
        #expect(ds.partitionFields.map(\.name) == ["as_int", "as_long", "as_byte", "as_short", "as_boolean", "as_float", "as_double",
                                                   "as_string", "as_string_lit_null", "as_date", "as_timestamp", "as_big_decimal"])
        #expect(ds.schema["as_int"]?.type == .int64)
        #expect(ds.schema["as_float"]?.type == .float64)
        #expect(ds.schema["as_date"]?.type == .date)
        #expect(ds.schema["as_timestamp"]?.type == .string)
        #expect(ds.schema["as_boolean"]?.type == .string)
        let t = try ds.read(columns: ["value", "as_int", "as_date", "as_timestamp", "as_string_lit_null", "as_float", "as_list_of_records"])
        #expect(t.rowCount == 3)
        var rows: [String: [Value]] = [:]
        for i in 0 ..< t.rowCount {
            if case .string(let v) = t.column(named: "value")?.value(at: i) { rows[v] = t.row(i) }
        }
        #expect(rows["0"] == [.string("0"), .int(0), .date(18878), .string("2021-09-08 11:11:11"), .string("null"), .double(0),
                              .json("[{\"val\":0},{\"val\":0},{\"val\":0}]")])
        #expect(rows["1"]?[1] == .int(1))
        #expect(rows["2"] == [.string("2"), .null, .null, .null, .null, .null, .json("[{\"val\":2},{\"val\":2},{\"val\":2}]")])
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow)"))
    func pyarrowHiveDatasetMatches() throws {
        let dir = try TestPaths.tempDir("mltrack-pqds")
        let script = #"""
import sys, json
import pyarrow as pa, pyarrow.parquet as pq, pyarrow.dataset as ds
out = sys.argv[1]
n = 60
t = pa.table({'id': list(range(n)), 'v': [i * 0.5 if i % 7 else None for i in range(n)],
              'p_int': [i % 3 for i in range(n)],
              'p_str': [None if i % 5 == 0 else ['a b/c:d', 'x%y', 'plain'][i % 3] for i in range(n)]})
pq.write_to_dataset(t, out, partition_cols=['p_int', 'p_str'])
open(out + '/_SUCCESS', 'w').close()
back = ds.dataset(out, partitioning='hive').to_table().sort_by('id')
print(json.dumps({c: [None if v is None else (int(v) if c == 'p_int' else v) for v in back.column(c).to_pylist()] for c in back.column_names}))
"""#
        let expected = try #require(try PythonPeer.json(script, args: [dir.path]) as? [String: [Any]])
        let ds = try ParquetDataset(path: dir.path)
        #expect(ds.schema["p_int"]?.type == .int64)
        #expect(ds.schema["p_str"]?.type == .string)
        let t = try ds.read()
        #expect(t.rowCount == 60)
        let ids = try #require(t.column(named: "id"))
        var order = Array(0 ..< t.rowCount)
        order.sort { idValue(ids, $0) < idValue(ids, $1) }
        for col in ["id", "v", "p_int", "p_str"] {
            let c = try #require(t.column(named: col))
            let want = try #require(expected[col])
            for (k, row) in order.enumerated() {
                let got = PyarrowFixtures.canonical(PyarrowFixtures.normalize(c.value(at: row)))
                #expect(got == PyarrowFixtures.canonical(want[k]), "\(col)[\(k)]")
            }
        }
        // Projection of a partition column only.
        let p = try ds.read(columns: ["p_str"])
        #expect(p.rowCount == 60)
        #expect(p.column(named: "p_str")?.nullCount == 12)
    }

    func idValue(_ c: Column, _ i: Int) -> Int64 {
        if case .int(let v) = c.value(at: i) { return v }
        return -1
    }
}

@Suite struct ParquetDatasetGoldenTests {
    /// The DV table's data files still hold all 50 original rows (deletion vectors only hide rows).
    @Test(.enabled(if: TestPaths.deltaGolden != nil, "needs ../shared/fixtures/delta-golden"))
    func dvTableDataFilesHoldTheOriginalRows() throws {
        let dir = try #require(TestPaths.deltaGolden).appendingPathComponent("dv-partitioned-with-checkpoint")
        let ds = try ParquetDataset(path: dir.path)
        #expect(ds.partitionFields == [Field("part", .int64)])
        let t = try ds.read()
        #expect(t.rowCount == 50)
        let part = try #require(t.column(named: "part")), col1 = try #require(t.column(named: "col1"))
        let col2 = try #require(t.column(named: "col2"))
        var seen = Set<Int64>()
        for i in 0 ..< t.rowCount {
            guard case .int(let x) = col1.value(at: i) else { Issue.record("col1[\(i)] not an int"); continue }
            seen.insert(x)
            #expect(part.value(at: i) == .int(x % 10))
            #expect(col2.value(at: i) == .string("foo\(x % 5)"))
        }
        #expect(seen == Set(0 ..< 50))
    }
}
