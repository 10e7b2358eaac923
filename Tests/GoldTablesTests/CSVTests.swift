import Foundation
import Testing
import TestSupport
@testable import GoldTables

/// CSVSource: RFC 4180 parsing, type inference, overrides, nulls, errors with line numbers, batching.
@Suite struct CSVTests {
    func write(_ text: String, name: String = "t.csv") throws -> String {
        let dir = try TestPaths.tempDir("csv")
        let p = dir.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }

    func csvError(_ body: () throws -> Void) -> CSVError? {
        do {
            try body()
            return nil
        } catch let e as CSVError {
            return e
        } catch {
            return nil
        }
    }

    @Test func infersEveryType() throws {
        let p = try write("""
            b,i,f,d,tz,naive,s,mix,empty
            true,1,1.5,2024-01-31,2024-01-31T10:00:00Z,2024-01-31 10:00:00.5,x,1,
            FALSE,-20,2,1969-12-31,2024-01-31T12:00:00+02:00,2024-02-01T00:00,y,a,NA
            True,NA,NaN,NA,1969-12-31T23:59:59.999999Z,NA,NA,2.5,

            """)
        let src = try CSVSource(path: p)
        #expect(src.schema.fields.map(\.type) == [
            .bool, .int64, .float64, .date, .timestamp(unit: .microseconds, utc: true),
            .timestamp(unit: .microseconds, utc: false), .string, .string, .string,
        ])
        #expect(src.knownRowCount == 3)
        let t = try src.read()
        #expect(t.row(0) == [
            .bool(true), .int(1), .double(1.5), .date(19753), .timestamp(1_706_695_200_000_000, .microseconds, utc: true),
            .timestamp(1_706_695_200_500_000, .microseconds, utc: false), .string("x"), .string("1"), .null,
        ])
        // +02:00 converted to UTC: 10:00Z, the same instant as row 0.
        #expect(t.row(1)[4] == .timestamp(1_706_695_200_000_000, .microseconds, utc: true))
        #expect(t.row(1)[3] == .date(-1))
        #expect(t.row(1)[5] == .timestamp(1_706_745_600_000_000, .microseconds, utc: false))
        #expect(t.row(2)[1] == .null)
        // NaN stays a float NaN in a float column.
        if case .double(let v) = t.row(2)[2] { #expect(v.isNaN) } else { Issue.record("expected NaN") }
        #expect(t.row(2)[4] == .timestamp(-1, .microseconds, utc: true))
        #expect(t.row(2)[6] == .null)
    }

    @Test func quotingEscapesNewlinesAndCRLF() throws {
        let text = "id,text\r\n1,\"a,b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\r\nlines\"\r\n4,\"\"\r\n5,\r\n6,plain"
        let src = try CSVSource(path: try write(text))
        let t = try src.read()
        #expect(t.rowCount == 6)
        #expect(t.columns[1].type == .string)
        #expect(t.row(0)[1] == .string("a,b"))
        #expect(t.row(1)[1] == .string("say \"hi\""))
        #expect(t.row(2)[1] == .string("two\r\nlines"))
        #expect(t.row(3)[1] == .string(""))  // quoted empty: the empty string
        #expect(t.row(4)[1] == .null)  // unquoted empty: null
        #expect(t.row(5) == [.int(6), .string("plain")])
    }

    @Test func tsvAndExplicitDelimiterAndNoHeader() throws {
        let p = try write("a\tb\n1\tx,y\n", name: "t.tsv")
        let t = try CSVSource(path: p).read()
        #expect(t.schema.names == ["a", "b"])
        #expect(t.row(0) == [.int(1), .string("x,y")])
        let q = try write("1;2\n3;4\n")
        let u = try CSVSource(path: q, options: CSVOptions(delimiter: UInt8(ascii: ";"), header: false)).read()
        #expect(u.schema.names == ["column_1", "column_2"])
        #expect(u.row(1) == [.int(3), .int(4)])
    }

    @Test func partialSchemaOverride() throws {
        let p = try write("zip,amount,n,when\n01234,12.50,7,2024-05-01\n99999,-0.05,8,2024-05-02T01:02:03Z\n")
        var o = CSVOptions()
        o.schema = Schema([
            Field("ZIP", .string), Field("amount", .decimal(precision: 10, scale: 2)), Field("n", .int8),
            Field("when", .timestamp(unit: .milliseconds, utc: true)),
        ])
        let t = try CSVSource(path: p, options: o).read()
        #expect(t.row(0) == [
            .string("01234"), .decimal(unscaled: 1250, scale: 2), .int(7),
            .timestamp(1_714_521_600_000, .milliseconds, utc: true),
        ])
        #expect(t.row(1)[1] == .decimal(unscaled: -5, scale: 2))
        #expect(t.row(1)[3] == .timestamp(1_714_611_723_000, .milliseconds, utc: true))
        // Only the named column is forced; the rest is inferred.
        var o2 = CSVOptions()
        o2.schema = Schema([Field("zip", .string)])
        let s = try CSVSource(path: p, options: o2).schema
        #expect(s.fields.map(\.type) == [.string, .float64, .int64, .timestamp(unit: .microseconds, utc: true)])
    }

    @Test func errorsNameFileLineAndColumn() throws {
        // The record on line 4 follows a record spanning lines 2–3.
        let ragged = try write("a,b\n1,\"x\ny\"\n2,z,extra\n")
        let e1 = csvError { _ = try CSVSource(path: ragged) }
        #expect(e1?.kind == .raggedRow)
        #expect(e1?.line == 4)
        #expect(e1?.description == "\(ragged):4: row has 3 fields, expected 2 (the header's column count)")

        let open = try write("a,b\n1,2\n3,\"never closed\n4,5\n")
        let e2 = csvError { _ = try CSVSource(path: open) }
        #expect(e2?.kind == .unterminatedQuote)
        #expect(e2?.line == 3)

        let bad = try write("a,b\n1,2\n3,x\n")
        var o = CSVOptions()
        o.schema = Schema([Field("b", .int64)])
        let src = try CSVSource(path: bad, options: o)
        let e3 = csvError { _ = try src.read() }
        #expect(e3?.kind == .badValue)
        #expect(e3?.line == 3)
        #expect(e3?.column == "b")
        #expect(e3?.description == "\(bad):3: column 'b': value 'x' is not a valid int64")

        let dec = try write("a\n1.234\n")
        var od = CSVOptions()
        od.schema = Schema([Field("a", .decimal(precision: 5, scale: 2))])
        let e4 = csvError { _ = try CSVSource(path: dec, options: od).read() }
        #expect(e4?.message == "value '1.234' has more than 2 fraction digits (decimal(5,2))")

        var ou = CSVOptions()
        ou.schema = Schema([Field("nope", .int64)])
        #expect(csvError { _ = try CSVSource(path: bad, options: ou) }?.kind == .unknownColumn)
        #expect(csvError { _ = try CSVSource(path: "/nonexistent/x.csv") }?.kind == .io)
        let dup = try write("a,A\n1,2\n")
        #expect(csvError { _ = try CSVSource(path: dup) }?.kind == .header)
        let afterQuote = try write("a\n\"x\"y\n")
        #expect(csvError { _ = try CSVSource(path: afterQuote) }?.kind == .badQuote)
        let src2 = try CSVSource(path: dup, options: CSVOptions(header: false))
        #expect(throws: CSVError.self) { _ = try src2.scan(columns: ["zzz"]) }
    }

    @Test func streamsInBatchesAndProjects() throws {
        var text = "id,sq,name\n"
        for i in 0 ..< 10 { text += "\(i),\(i * i),n\(i)\n" }
        var o = CSVOptions()
        o.batchRows = 3
        let src = try CSVSource(path: try write(text), options: o)
        let stream = try src.scan(columns: ["name", "id"])
        var sizes: [Int] = []
        var ids: [Value] = []
        while let b = try stream.next() {
            sizes.append(b.rowCount)
            #expect(b.schema.names == ["name", "id"])
            for r in 0 ..< b.rowCount { ids.append(b.row(r)[1]) }
        }
        #expect(sizes == [3, 3, 3, 1])
        #expect(ids == (0 ..< 10).map { .int(Int64($0)) })
        #expect(try src.countRows() == 10)
    }

    @Test func parsesFloatsExactly() throws {
        var cs: [CChar] = []
        let cases = ["0.1", "1e-5", "-2.5E+3", "123456789012345678901234567890", "4.9e-324", "1.7976931348623157e308",
                     ".5", "5.", "-0", "+7", "0.30000000000000004", "2.2250738585072011e-308"]
        for c in cases {
            let v = Array(c.utf8).withUnsafeBufferPointer { CSVParse.parseDouble($0, scratch: &cs) }
            #expect(v == Double(c), "\(c)")
        }
        for bad in ["", "-", "1e", "0x10", "1.2.3", "e5", " 1"] {
            #expect(Array(bad.utf8).withUnsafeBufferPointer { CSVParse.parseDouble($0, scratch: &cs) } == nil, "\(bad)")
        }
    }

    /// Random byte soup from CSV-significant characters: every file either reads or throws a
    /// CSVError; nothing crashes or hangs. Rows read always match the tokenizer's record count.
    @Test func randomInputsReadOrThrowCSVError() throws {
        let alphabet = Array("a1.-,\"\n\r tNA:TZ+=9".utf8) + [0xC3, 0xA9, 0x00]
        let forcedTypes: [DataType] = [.bool, .int8, .int64, .float32, .float64, .date, .binary, .json(nestedType: "x"),
                                       .timestamp(unit: .nanoseconds, utc: true), .decimal(precision: 5, scale: 2), .string]
        var rng = SynthRandom(seed: 2024)
        let dir = try TestPaths.tempDir("csv-fuzz")
        var ok = 0
        for i in 0 ..< 3000 {
            let n = rng.below(60)
            let bytes = (0 ..< n).map { _ in alphabet[rng.below(alphabet.count)] }
            let p = dir.appendingPathComponent("f\(i).csv").path
            try Data(bytes).write(to: URL(fileURLWithPath: p))
            do {
                var o = CSVOptions()
                o.batchRows = 1 + rng.below(4)
                o.header = rng.bernoulli(0.7)
                if !o.header && rng.bernoulli(0.6) {
                    o.schema = Schema([Field("column_1", forcedTypes[rng.below(forcedTypes.count)])])
                }
                let src = try CSVSource(path: p, options: o)
                let t = try src.read()
                #expect(try t.rowCount == src.countRows() || src.schema.fields.isEmpty)
                ok += 1
            } catch is CSVError {
            } catch {
                Issue.record("file \(i): unexpected error \(error)")
            }
        }
        #expect(ok > 100)
    }

    @Test func emptyAndHeaderOnlyFiles() throws {
        let empty = try CSVSource(path: try write(""))
        #expect(empty.schema.fields.isEmpty)
        #expect(try empty.countRows() == 0)
        let header = try CSVSource(path: try write("a,b\r\n"))
        #expect(header.schema.names == ["a", "b"] && header.schema.fields.allSatisfy { $0.type == .string })
        #expect(try header.read().rowCount == 0)
        let bom = try CSVSource(path: try write("\u{FEFF}x\n1\n"))
        #expect(bom.schema.names == ["x"])
    }

    /// The fast paths of parseDouble agree bit for bit with Swift's own (strtod-based) parser on
    /// random decimal spellings of 1–22 digits, with and without exponents, and on halfway cases.
    @Test func parseDoubleMatchesStrtodOnRandomSpellings() {
        var rng = SynthRandom(seed: 77)
        var cs: [CChar] = []
        var checked = 0
        var texts: [String] = ["9007199254740993", "9007199254740992.5", "0.1000000000000000055511151231257827",
                               "2.2250738585072014e-308", "1.7976931348623157e308", "4.9406564584124654e-324",
                               "123456789012345678", "1e23", "8.98846567431158e307"]
        for _ in 0 ..< 60_000 {
            let nd = 1 + rng.below(22)
            var d = ""
            for k in 0 ..< nd { d.append(Character(UnicodeScalar(UInt8(48 + (k == 0 ? 1 + rng.below(9) : rng.below(10)))))) }
            let point = rng.below(nd + 1)
            var t = String(d.prefix(point)) + "." + String(d.dropFirst(point))
            if rng.bernoulli(0.3) { t += "e\(rng.below(61) - 30)" }
            if rng.bernoulli(0.5) { t = "-" + t }
            texts.append(t)
        }
        for t in texts {
            let ours = Array(t.utf8).withUnsafeBufferPointer { CSVParse.parseDouble($0, scratch: &cs) }
            guard let want = Double(t) else { continue }
            #expect(ours?.bitPattern == want.bitPattern, "\(t): \(String(describing: ours)) vs \(want)")
            checked += 1
        }
        #expect(checked > 59_000)
    }

    @Test func typeOverrideSpellings() throws {
        // Every DataType's own description parses back to it.
        let all: [DataType] = [.bool, .int8, .int16, .int32, .int64, .float32, .float64, .string, .binary, .date,
                               .timestamp(unit: .milliseconds, utc: true), .timestamp(unit: .nanoseconds, utc: false),
                               .decimal(precision: 12, scale: 2)]
        for t in all { #expect(CSVOptions.parseType(t.description) == t, "\(t)") }
        #expect(CSVOptions.parseType("Double") == .float64)
        #expect(CSVOptions.parseType("timestamptz") == .timestamp(unit: .microseconds, utc: true))
        #expect(CSVOptions.parseType("decimal(3,4)") == nil)
        #expect(CSVOptions.parseType("timestamp[s]") == nil)
        let s = try CSVOptions.parseOverrides(["a=int", "b=decimal(10, 3)"])
        #expect(s.fields == [Field("a", .int64), Field("b", .decimal(precision: 10, scale: 3))])
        #expect(throws: TableError.self) { _ = try CSVOptions.parseOverrides(["novalue"]) }
    }

    /// The renderer's CSV reads back to the same table (types forced where CSV cannot tell).
    @Test func rendererRoundTrip() throws {
        let t = try Table([
            Column(Field("s", .string), data: .bytes(ByteArrayBuffer(strings: ["", "a,\"b\"\n", "NA", "x"])),
                   validity: [true, true, true, false]),
            Column(Field("d", .decimal(precision: 12, scale: 3)), data: .decimal([-1, 123_456, 0, 5])),
            Column(Field("ts", .timestamp(unit: .microseconds, utc: true)), data: .int64([-1, 0, 1_700_000_000_000_001, 3])),
            Column(Field("f", .float64), data: .double([0.1, .nan, -.infinity, 1e300])),
            Column(Field("b", .binary), data: .bytes(ByteArrayBuffer(strings: ["", "hi", "\u{0}", "xyz"]))),
        ])
        let p = try write(TableRenderer(format: .csv).render(t))
        var o = CSVOptions()
        o.schema = Schema([Field("d", .decimal(precision: 12, scale: 3)), Field("b", .binary), Field("s", .string)])
        let back = try CSVSource(path: p, options: o).read()
        #expect(back.schema.fields.map(\.type) == t.schema.fields.map(\.type))
        for r in 0 ..< 4 where r != 1 { #expect(back.row(r) == t.row(r)) }
        #expect(back.row(1)[0] == .string("a,\"b\"\n"))
        if case .double(let v) = back.row(1)[3] { #expect(v.isNaN) } else { Issue.record("NaN lost") }
    }

    /// A CSV written by pyarrow (quoted header and strings, `YYYY-MM-DD HH:MM:SS.ffffffZ` timestamps,
    /// empty nulls) reads back with pyarrow's types and the original values.
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow)"))
    func readsPyarrowWrittenCSV() throws {
        let dir = try TestPaths.tempDir("csv-pa")
        let p = dir.appendingPathComponent("pa.csv").path
        let obj = try PythonPeer.json("""
            import json, sys, random, datetime, math
            import pyarrow as pa, pyarrow.csv as pc
            rnd = random.Random(3)
            n = 3000
            def maybe(v): return None if rnd.random() < 0.1 else v
            t = pa.table({
                'i': pa.array([maybe(rnd.randint(-2**62, 2**62)) for _ in range(n)], pa.int64()),
                'f': pa.array([maybe(rnd.uniform(-1e6, 1e6) * 10 ** rnd.randint(-12, 12)) for _ in range(n)], pa.float64()),
                's': pa.array([maybe(''.join(rnd.choice('ab ,"\\n\\'é') for _ in range(rnd.randint(1, 6)))) for _ in range(n)], pa.string()),
                'd': pa.array([maybe(rnd.randint(-200000, 100000)) for _ in range(n)], pa.date32()),
                't': pa.array([maybe(rnd.randint(-2**55, 2**55)) for _ in range(n)], pa.timestamp('us', tz='UTC')),
                'b': pa.array([maybe(rnd.random() < 0.5) for _ in range(n)], pa.bool_()),
            })
            pc.write_csv(t, sys.argv[1])
            back = pc.read_csv(sys.argv[1])
            epoch = datetime.datetime(1970, 1, 1)
            raw_t = t.column('t').cast('int64').to_pylist()
            raw_d = t.column('d').cast('int32').to_pylist()
            rows = []
            for r in range(n):
                row = t.slice(r, 1).to_pylist()[0]
                row['d'] = None if raw_d[r] is None else (epoch + datetime.timedelta(days=raw_d[r])).date().isoformat()
                row['f'] = None if row['f'] is None else repr(row['f'])  # Foundation's JSON parser rounds doubles
                row['t'] = None if raw_t[r] is None else (epoch + datetime.timedelta(microseconds=raw_t[r])).isoformat(timespec='microseconds') + 'Z'
                rows.append(row)
            print(json.dumps({'types': [str(x) for x in back.schema.types], 'rows': rows}))
            """, args: [p]) as? [String: Any]
        guard let rows = obj?["rows"] as? [[String: Any]], let types = obj?["types"] as? [String] else {
            Issue.record("bad python output")
            return
        }
        #expect(types.count == 6 && types[0 ..< 4] == ["int64", "double", "string", "date32[day]"] && types[5] == "bool",
                "\(types)")
        // pyarrow 26 reads this timestamp column (years 829–3111, µs fractions, `Z`) as string; we read
        // it as timestamp[us, UTC] and check every value below.
        let t = try CSVSource(path: p).read()
        #expect(t.schema.fields.map(\.type) == [.int64, .float64, .string, .date, .timestamp(unit: .microseconds, utc: true), .bool])
        #expect(t.rowCount == rows.count)
        var mismatches = 0
        for r in 0 ..< min(t.rowCount, rows.count) {
            let py = rows[r]
            let got = t.row(r)
            func check(_ ok: Bool, _ what: String) {
                if !ok {
                    mismatches += 1
                    if mismatches <= 5 { Issue.record("row \(r) \(what): \(got) vs \(py)") }
                }
            }
            switch (got[0], py["i"]) {
            case (.null, is NSNull): break
            case (.int(let v), let n as NSNumber): check(v == n.int64Value, "i")
            default: check(false, "i")
            }
            switch (got[1], py["f"]) {
            case (.null, is NSNull): break
            case (.double(let v), let n as String): check(v == Double(n), "f")
            default: check(false, "f")
            }
            switch (got[2], py["s"]) {
            case (.null, is NSNull): break
            case (.string(let v), let s as String): check(v == s, "s")
            default: check(false, "s")
            }
            check(TableRenderer.text(got[3]) == ((py["d"] as? String) ?? "null"), "d")
            check(TableRenderer.text(got[4]) == ((py["t"] as? String) ?? "null"), "t")
            switch (got[5], py["b"]) {
            case (.null, is NSNull): break
            case (.bool(let v), let n as NSNumber): check(v == n.boolValue, "b")
            default: check(false, "b")
            }
        }
        #expect(mismatches == 0)
    }

    /// A file written by Python's csv module (random nasty strings, CRLF, quotes) is read field for
    /// field as Python reads it, and pandas infers the same numeric/bool types.
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pandas)"))
    func matchesPythonCsvAndPandas() throws {
        let dir = try TestPaths.tempDir("csv-py")
        let p = dir.appendingPathComponent("gen.csv").path
        let script = """
            import csv, json, random, sys
            import pandas as pd
            rnd = random.Random(42)
            alphabet = ['a', 'b', ',', '"', '\\n', '\\r\\n', ' ', 'é', '\\t', "'", 'z']
            rows = []
            for i in range(500):
                s = ''.join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 8)))
                rows.append([str(i), str(rnd.randint(-10**12, 10**12)), repr(rnd.uniform(-1e6, 1e6)),
                             rnd.choice(['true', 'false']), s])
            with open(sys.argv[1], 'w', newline='') as f:
                w = csv.writer(f, lineterminator='\\r\\n')
                w.writerow(['id', 'big', 'x', 'flag', 'text'])
                w.writerows(rows)
            with open(sys.argv[1], newline='') as f:
                back = list(csv.reader(f))[1:]
            df = pd.read_csv(sys.argv[1], keep_default_na=False)
            print(json.dumps({'rows': back, 'dtypes': [str(t) for t in df.dtypes],
                              'xsum': float(df['x'].sum()), 'bigsum': int(df['big'].sum())}))
            """
        guard let obj = try PythonPeer.json(script, args: [p]) as? [String: Any],
              let rows = obj["rows"] as? [[String]], let dtypes = obj["dtypes"] as? [String] else {
            Issue.record("bad python output")
            return
        }
        // Every field as text: the same strings as Python's csv reader.
        var o = CSVOptions()
        o.schema = Schema(["id", "big", "x", "flag", "text"].map { Field($0, .string) })
        o.nullStrings = []
        o.batchRows = 77
        let asText = try CSVSource(path: p, options: o).read()
        #expect(asText.rowCount == rows.count)
        for r in 0 ..< min(rows.count, asText.rowCount) {
            #expect(asText.row(r) == rows[r].map { Value.string($0) }, "row \(r)")
        }
        // Inferred types agree with pandas (int64, float64, bool, object).
        let t = try CSVSource(path: p).read()
        #expect(dtypes.prefix(4) == ["int64", "int64", "float64", "bool"])
        #expect(["object", "str"].contains(dtypes.last ?? ""))
        #expect(t.schema.fields.map(\.type) == [.int64, .int64, .float64, .bool, .string])
        var xsum = 0.0
        var bigsum: Int64 = 0
        for r in 0 ..< t.rowCount {
            if case .double(let v) = t.row(r)[2] { xsum += v }
            if case .int(let v) = t.row(r)[1] { bigsum += v }
        }
        #expect(bigsum == (obj["bigsum"] as? NSNumber)?.int64Value)
        #expect(abs(xsum - ((obj["xsum"] as? Double) ?? .nan)) <= 1e-6 * max(1, abs(xsum)))
    }
}
