import Foundation
import Testing
import TestSupport
@testable import GoldTables

/// TableRenderer against hand-computed strings for every type.
@Suite struct RenderTests {
    func col(_ name: String, _ type: DataType, _ data: ColumnData, _ validity: [Bool]? = nil) -> Column {
        Column(Field(name, type), data: data, validity: validity)
    }

    func jsonl(_ c: Column) throws -> [String] {
        let t = try Table([c])
        return TableRenderer(format: .jsonl).render(t).split(separator: "\n").map(String.init)
    }

    @Test func datesIncludingPre1970() throws {
        let c = col("d", .date, .int32([0, -1, 19723, -719_528, 2_932_896]))
        #expect(try jsonl(c) == [
            #"{"d":"1970-01-01"}"#, #"{"d":"1969-12-31"}"#, #"{"d":"2024-01-01"}"#,
            #"{"d":"0000-01-01"}"#, #"{"d":"9999-12-31"}"#,
        ])
    }

    @Test func timestampsEveryUnitPre1970AndTruncation() throws {
        let us = col("t", .timestamp(unit: .microseconds, utc: true), .int64([1_700_000_000_123_456, -1, 0]))
        #expect(try jsonl(us) == [
            #"{"t":"2023-11-14T22:13:20.123456Z"}"#, #"{"t":"1969-12-31T23:59:59.999999Z"}"#,
            #"{"t":"1970-01-01T00:00:00.000000Z"}"#,
        ])
        // Nanoseconds are floored to microseconds (toward the past, also before 1970).
        let ns = col("t", .timestamp(unit: .nanoseconds, utc: true), .int64([1_700_000_000_123_456_789, -1, -1_001]))
        #expect(try jsonl(ns) == [
            #"{"t":"2023-11-14T22:13:20.123456Z"}"#, #"{"t":"1969-12-31T23:59:59.999999Z"}"#,
            #"{"t":"1969-12-31T23:59:59.999998Z"}"#,
        ])
        // Naive timestamps: no Z. Milliseconds.
        let ms = col("t", .timestamp(unit: .milliseconds, utc: false), .int64([-1_500, 86_400_000 * 365 + 1]))
        #expect(try jsonl(ms) == [#"{"t":"1969-12-31T23:59:58.500000"}"#, #"{"t":"1971-01-01T00:00:00.001000"}"#])
        // 1900-03-01T12:00:00Z = -2203848000 s.
        let old = col("t", .timestamp(unit: .microseconds, utc: true), .int64([-2_203_848_000 * 1_000_000]))
        #expect(try jsonl(old) == [#"{"t":"1900-03-01T12:00:00.000000Z"}"#])
    }

    @Test func decimalsExactIncludingNegatives() throws {
        let c = col("x", .decimal(precision: 38, scale: 2), .decimal([-5, 12345, -12345, 0, 100, Int128.min]))
        #expect(try jsonl(c) == [
            #"{"x":"-0.05"}"#, #"{"x":"123.45"}"#, #"{"x":"-123.45"}"#, #"{"x":"0.00"}"#, #"{"x":"1.00"}"#,
            #"{"x":"-1701411834604692317316873037158841057.28"}"#,
        ])
        let neg = col("x", .decimal(precision: 5, scale: -2), .decimal([7, -7, 0]))
        #expect(try jsonl(neg) == [#"{"x":"700"}"#, #"{"x":"-700"}"#, #"{"x":"0"}"#])
        let s0 = col("x", .decimal(precision: 5, scale: 0), .decimal([-42]))
        #expect(try jsonl(s0) == [#"{"x":"-42"}"#])
    }

    @Test func binaryAsBase64() throws {
        let values = ["", "f", "fo", "foo", "foob", "fooba", "foobar"]
        var b = ByteArrayBuffer()
        for v in values { b.append(bytes: Array(v.utf8)) }
        b.append(bytes: [0xFF, 0x00, 0xFE])
        let c = col("b", .binary, .bytes(b))
        #expect(try jsonl(c) == [
            #"{"b":""}"#, #"{"b":"Zg=="}"#, #"{"b":"Zm8="}"#, #"{"b":"Zm9v"}"#, #"{"b":"Zm9vYg=="}"#,
            #"{"b":"Zm9vYmE="}"#, #"{"b":"Zm9vYmFy"}"#, #"{"b":"/wD+"}"#,
        ])
    }

    @Test func floatsShortestAndNonFinite() throws {
        let d = col("f", .float64, .double([0.1, 1e-5, 100, -0.0, .nan, .infinity, -.infinity, 1e16, 123456.789]))
        #expect(try jsonl(d) == [
            #"{"f":0.1}"#, #"{"f":1e-05}"#, #"{"f":100.0}"#, #"{"f":-0.0}"#, #"{"f":"NaN"}"#,
            #"{"f":"Infinity"}"#, #"{"f":"-Infinity"}"#, #"{"f":1e+16}"#, #"{"f":123456.789}"#,
        ])
        let f = col("f", .float32, .float([0.1, 3.4028235e38, .nan]))
        #expect(try jsonl(f) == [#"{"f":0.1}"#, #"{"f":3.4028235e+38}"#, #"{"f":"NaN"}"#])
        // Each rendered finite double reads back to the same bits.
        for v in [0.1, 1.0 / 3, 2.0e-308, 9_007_199_254_740_993.0, -1.5e300] {
            var out: [UInt8] = []
            TableRenderer.appendDouble(v, json: true, to: &out)
            #expect(Double(String(decoding: out, as: UTF8.self)) == v)
        }
    }

    @Test func stringsEscapedNullsAndJSONInlined() throws {
        let s = col("s", .string, .bytes(ByteArrayBuffer(strings: ["a\"b\\c", "line\nnext\r\t", "\u{01}é", "", "x"])),
                    [true, true, true, true, false])
        #expect(try jsonl(s) == [
            #"{"s":"a\"b\\c"}"#, #"{"s":"line\nnext\r\t"}"#, #"{"s":"\u0001é"}"#, #"{"s":""}"#, #"{"s":null}"#,
        ])
        let j = col("j", .json(nestedType: "struct<a:list<int32>>"),
                    .bytes(ByteArrayBuffer(strings: [#"{"a":[1,2]}"#, ""])), [true, false])
        #expect(try jsonl(j) == [#"{"j":{"a":[1,2]}}"#, #"{"j":null}"#])
        let dict = col("k", .string, .dictionary(indices: [1, 0, 1], dictionary: ByteArrayBuffer(strings: ["lo", "hi"])))
        #expect(try jsonl(dict) == [#"{"k":"hi"}"#, #"{"k":"lo"}"#, #"{"k":"hi"}"#])
    }

    @Test func multiColumnRowAndBoolsInts() throws {
        let t = try Table([
            col("id", .int64, .int64([Int64.min, 7])),
            col("ok", .bool, .bool([true, false]), [true, false]),
            col("n\"x", .int16, .int32([-3, 32767])),
        ])
        #expect(TableRenderer(format: .jsonl).render(t) ==
            "{\"id\":-9223372036854775808,\"ok\":true,\"n\\\"x\":-3}\n{\"id\":7,\"ok\":null,\"n\\\"x\":32767}\n")
    }

    @Test func csvQuotingNullsAndTypes() throws {
        let t = try Table([
            col("s", .string, .bytes(ByteArrayBuffer(strings: ["plain", "a,b", "say \"hi\"", "two\nlines", "", ""])),
                [true, true, true, true, true, false]),
            col("d", .decimal(precision: 9, scale: 3), .decimal([-1, 0, 1_500, 2, 3, 4])),
            col("ts", .timestamp(unit: .nanoseconds, utc: false), .int64([-1, 0, 1, 2, 3, 4])),
            col("f", .float64, .double([.nan, -.infinity, 0.5, 1, 2, 3]), [true, true, true, true, true, false]),
        ])
        let expected = [
            "s,d,ts,f",
            "plain,-0.001,1969-12-31T23:59:59.999999,NaN",
            "\"a,b\",0.000,1970-01-01T00:00:00.000000,-Infinity",
            "\"say \"\"hi\"\"\",1.500,1970-01-01T00:00:00.000000,0.5",
            "\"two\nlines\",0.002,1970-01-01T00:00:00.000000,1.0",
            "\"\",0.003,1970-01-01T00:00:00.000000,2.0",
            ",0.004,1970-01-01T00:00:00.000000,",
        ].joined(separator: "\n") + "\n"
        #expect(TableRenderer(format: .csv).render(t) == expected)
        var tsv = TableRenderer(format: .csv, csvDelimiter: UInt8(ascii: "\t"))
        tsv.format = .csv
        let one = try Table([col("a b", .string, .bytes(ByteArrayBuffer(strings: ["x\ty", "x,y"])))])
        #expect(tsv.render(one) == "a b\n\"x\ty\"\nx,y\n")
    }

    @Test func displayText() {
        #expect(TableRenderer.text(.null) == "null")
        #expect(TableRenderer.text(.decimal(unscaled: -250, scale: 2)) == "-2.50")
        #expect(TableRenderer.text(.timestamp(-1, .microseconds, utc: true)) == "1969-12-31T23:59:59.999999Z")
        #expect(TableRenderer.text(.binary([0x66, 0x6F])) == "Zm8=")
        #expect(TableRenderer.text(.date(-1)) == "1969-12-31")
    }

    /// JSON lines parse with Foundation's JSON parser (an independent reader) to the same values.
    @Test func jsonLinesParseWithFoundation() throws {
        let t = try Table([
            col("s", .string, .bytes(ByteArrayBuffer(strings: ["q\"\\\n\u{7}ü"]))),
            col("d", .float64, .double([0.25])),
            col("n", .int64, .int64([-42])),
        ])
        let line = TableRenderer(format: .jsonl).render(t)
        let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(obj?["s"] as? String == "q\"\\\n\u{7}ü")
        #expect(obj?["d"] as? Double == 0.25)
        #expect((obj?["n"] as? NSNumber)?.int64Value == -42)
    }
}

/// The renderer against an independent Python rendering of a pyarrow-written file.
@Suite struct RenderPeerTests {
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow)"))
    func jsonLinesMatchPythonOnRandomValues() throws {
        let dir = try TestPaths.tempDir("render-peer")
        let pq = dir.appendingPathComponent("t.parquet").path
        let out = dir.appendingPathComponent("t.jsonl").path
        try PythonPeer.run("""
            import random, decimal, sys
            import pyarrow as pa, pyarrow.parquet as pq
            rnd = random.Random(11)
            n = 2000
            def maybe(v): return None if rnd.random() < 0.1 else v
            specials = [float('nan'), float('inf'), -float('inf'), 0.0, -0.0, 1e-5, 1e16, 9.5e15, 5e-324]
            t = pa.table({
                'i': pa.array([maybe(rnd.randint(-2**63, 2**63 - 1)) for _ in range(n)], pa.int64()),
                'f': pa.array([maybe(rnd.choice(specials) if rnd.random() < 0.2 else rnd.uniform(-1e9, 1e9) * 10 ** rnd.randint(-30, 30)) for _ in range(n)], pa.float64()),
                's': pa.array([maybe(''.join(rnd.choice('ab"\\\\\\n\\t\\x01é€😀 ') for _ in range(rnd.randint(0, 6)))) for _ in range(n)], pa.string()),
                'd': pa.array([maybe(rnd.randint(-719162, 2932896)) for _ in range(n)], pa.date32()),
                'tn': pa.array([maybe(rnd.randint(-2**62, 2**62)) for _ in range(n)], pa.timestamp('ns', tz='UTC')),
                'tu': pa.array([maybe(rnd.randint(-62135596800 * 10**6, 253402300799 * 10**6)) for _ in range(n)], pa.timestamp('us')),
                'dec': pa.array([maybe(decimal.Decimal(rnd.randint(-10**12, 10**12)).scaleb(-3)) for _ in range(n)], pa.decimal128(15, 3)),
                'b': pa.array([maybe(bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 7)))) for _ in range(n)], pa.binary()),
                'ok': pa.array([maybe(rnd.random() < 0.5) for _ in range(n)], pa.bool_()),
            })
            pq.write_table(t, sys.argv[1], row_group_size=700)
            """, args: [pq])
        let file = try ParquetFile(path: pq)
        let stream = try file.scan(columns: nil)
        let r = TableRenderer(format: .jsonl)
        var bytes: [UInt8] = []
        while let b = try stream.next() { r.append(b, to: &bytes) }
        try Data(bytes).write(to: URL(fileURLWithPath: out))
        let result = try PythonPeer.run("""
            import json, sys, base64, datetime, math
            import pyarrow.parquet as pq
            t = pq.read_table(sys.argv[1])
            cols = {c: t.column(c).to_pylist() for c in t.column_names}
            raw = {c: t.column(c).cast('int64').to_pylist() for c in ('tn', 'tu')}
            raw['d'] = t.column('d').cast('int32').to_pylist()
            epoch = datetime.datetime(1970, 1, 1)
            def ts(us, z):
                s = (epoch + datetime.timedelta(microseconds=us)).isoformat(timespec='microseconds')
                return s + ('Z' if z else '')
            def expect(c, i):
                v = cols[c][i]
                if v is None: return None
                if c == 'f':
                    if math.isnan(v): return 'NaN'
                    if math.isinf(v): return 'Infinity' if v > 0 else '-Infinity'
                    return v
                if c == 'd': return (epoch + datetime.timedelta(days=raw['d'][i])).date().isoformat()
                if c == 'tn': return ts(raw['tn'][i] // 1000, True)
                if c == 'tu': return ts(raw['tu'][i], False)
                if c == 'dec': return str(v)
                if c == 'b': return base64.b64encode(v).decode()
                return v
            bad = []
            lines = open(sys.argv[2], encoding='utf-8').read().split('\\n')
            assert lines[-1] == ''
            lines = lines[:-1]
            assert len(lines) == t.num_rows, (len(lines), t.num_rows)
            for i, line in enumerate(lines):
                got = json.loads(line)
                assert list(got) == t.column_names
                for c in t.column_names:
                    e = expect(c, i)
                    g = got[c]
                    same = (g == e and type(g) == type(e)) or (isinstance(e, float) and isinstance(g, float) and g == e and math.copysign(1, g) == math.copysign(1, e))
                    if not same and len(bad) < 5: bad.append([i, c, repr(e), repr(g)])
            print(json.dumps(bad))
            """, args: [pq, out])
        #expect(result.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }
}
