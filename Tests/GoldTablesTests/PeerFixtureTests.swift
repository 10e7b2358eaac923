import Foundation
import Testing
import TestSupport
import GoldTables

// Peer fixtures (Tests/Fixtures, see its README.md): files written by pyarrow, pandas, deltalake and
// Spark, each with the peer's own reading as JSON lines. These tests open every fixture with GoldTables
// and compare cell by cell. They need no Python; the last suite re-checks the committed expectations
// against the installed pyarrow when MLTRACK_PYTHON is set.

// MARK: - A tiny JSON model (numbers kept as text so integers stay exact)

/// A parsed JSON value. Objects keep their key order (maps rendered as objects are order-sensitive).
indirect enum PeerJSON: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([PeerJSON])
    case object([(String, PeerJSON)])

    static func == (a: PeerJSON, b: PeerJSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let t): return t
        case .string(let s): return "\"\(s)\""
        case .array(let a): return "[" + a.map(\.description).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        }
    }

    subscript(key: String) -> PeerJSON? {
        if case .object(let o) = self { return o.first { $0.0 == key }?.1 }
        return nil
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses one JSON text (depth-bounded).
    static func parse(_ text: String) throws -> PeerJSON {
        var p = Parser(bytes: Array(text.utf8))
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == p.bytes.count else { throw ParseError(description: "trailing bytes at \(p.i) in \(text.prefix(80))") }
        return v
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        func fail(_ what: String) -> ParseError {
            ParseError(description: "JSON: \(what) at byte \(i)")
        }

        mutating func literal(_ word: String, _ v: PeerJSON) throws -> PeerJSON {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw fail("bad literal") }
            i += w.count
            return v
        }

        mutating func value(depth: Int) throws -> PeerJSON {
            guard depth < 64 else { throw fail("too deep") }
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end") }
            switch bytes[i] {
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "["):
                i += 1
                var items: [PeerJSON] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw fail("unterminated array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    throw fail("expected , or ]")
                }
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, PeerJSON)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected key") }
                    let k = try string()
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected :") }
                    i += 1
                    members.append((k, try value(depth: depth + 1)))
                    skipSpace()
                    guard i < bytes.count else { throw fail("unterminated object") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                    throw fail("expected , or }")
                }
            default:
                let start = i
                while i < bytes.count, let c = Optional(bytes[i]),
                      (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
                        || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                    i += 1
                }
                guard i > start else { throw fail("unexpected character") }
                return .number(String(decoding: bytes[start..<i], as: UTF8.self))
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= bytes.count else { throw fail("short \\u escape") }
            guard let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else { throw fail("bad \\u escape") }
            i += 4
            return v
        }

        mutating func string() throws -> String {
            i += 1  // opening quote
            var out: [UInt8] = []
            while true {
                guard i < bytes.count else { throw fail("unterminated string") }
                let c = bytes[i]
                i += 1
                if c == UInt8(ascii: "\"") { break }
                if c != UInt8(ascii: "\\") { out.append(c); continue }
                guard i < bytes.count else { throw fail("unterminated escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800, scalar < 0xDC00, i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"),
                       bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low &- 0xDC00)
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
                default: out.append(e)  // \" \\ \/
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

// MARK: - Our reading rendered with the fixture rules (independent of the CLI renderer)

enum PeerRender {
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Days since 1970-01-01 → `YYYY-MM-DD` (proleptic Gregorian, civil-from-days).
    static func date(_ days: Int64) -> String {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    static func timestamp(_ ticks: Int64, _ unit: TimeUnit, utc: Bool) -> String {
        let micros: Int64
        switch unit {
        case .milliseconds: micros = ticks * 1000
        case .microseconds: micros = ticks
        case .nanoseconds: micros = floorDiv(ticks, 1000)
        }
        let perDay: Int64 = 86_400_000_000
        let days = floorDiv(micros, perDay)
        let rest = micros - days * perDay
        let secs = rest / 1_000_000
        let frac = rest % 1_000_000
        return "\(date(days))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2)).\(pad(frac, 6))"
            + (utc ? "Z" : "")
    }

    static func decimal(_ unscaled: Int128, scale: Int) -> String {
        var digits = String(unscaled.magnitude)
        let sign = unscaled < 0 ? "-" : ""
        guard scale > 0 else { return sign + digits + String(repeating: "0", count: max(0, -scale)) }
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let cut = digits.index(digits.endIndex, offsetBy: -scale)
        return sign + digits[..<cut] + "." + digits[cut...]
    }

    static func double(_ d: Double) -> PeerJSON {
        if d.isNaN { return .string("NaN") }
        if d.isInfinite { return .string(d > 0 ? "Infinity" : "-Infinity") }
        return .number("\(d)")
    }

    static func float(_ f: Float) -> PeerJSON {
        if f.isNaN { return .string("NaN") }
        if f.isInfinite { return .string(f > 0 ? "Infinity" : "-Infinity") }
        return .number("\(f)")
    }

    static func json(_ v: Value) throws -> PeerJSON {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .number(String(i))
        case .float(let f): return float(f)
        case .double(let d): return double(d)
        case .string(let s): return .string(s)
        case .binary(let b): return .string(Data(b).base64EncodedString())
        case .date(let d): return .string(date(Int64(d)))
        case .timestamp(let t, let unit, let utc): return .string(timestamp(t, unit, utc: utc))
        case .decimal(let u, let scale): return .string(decimal(u, scale: scale))
        case .json(let text): return try PeerJSON.parse(text)
        }
    }
}

// MARK: - Comparison

/// How a column's cells compare, from our column type.
enum PeerCellKind {
    case float32, float64, integer, other

    init(_ t: DataType) {
        switch t {
        case .float32: self = .float32
        case .float64: self = .float64
        case .int8, .int16, .int32, .int64: self = .integer
        default: self = .other
        }
    }
}

enum PeerCompare {
    /// Numbers equal as integers when both are integral text, else as Doubles.
    static func sameNumber(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        if let x = Int64(a), let y = Int64(b) { return x == y }
        if let x = Double(a), let y = Double(b) { return x == y }
        return false
    }

    static func same(_ expected: PeerJSON, _ actual: PeerJSON, kind: PeerCellKind, isMap: Bool = false) -> Bool {
        switch (expected, actual, kind) {
        case let (.number(e), .number(a), .float32):
            guard let x = Float(e), let y = Float(a) else { return false }
            return x == y
        case let (.number(e), .number(a), .float64):
            guard let x = Double(e), let y = Double(a) else { return false }
            return x == y
        case let (.number(e), .number(a), _):
            return sameNumber(e, a)
        case let (.array, .object(a), _) where isMap:
            // a map rendered as an object: compare with the peer's [{"key","value"}] in order
            let pairs: [PeerJSON] = a.map { .object([("key", .string($0.0)), ("value", $0.1)]) }
            return same(expected, .array(pairs), kind: .other)
        case let (.array(e), .array(a), _):
            return e.count == a.count && zip(e, a).allSatisfy { same($0, $1, kind: .other) }
        case let (.object(e), .object(a), _):
            // struct fields compare by name, whatever the order
            guard e.count == a.count else { return false }
            for (k, ev) in e {
                guard let av = a.first(where: { $0.0 == k })?.1, same(ev, av, kind: .other) else { return false }
            }
            return true
        default:
            return expected == actual
        }
    }
}

/// One fixture's comparison outcome.
struct PeerFixtureDiff {
    var problems: [String] = []
    var cellsCompared = 0

    mutating func add(_ p: String) {
        if problems.count < 25 { problems.append(p) }
    }
}

enum PeerFixtures {
    static let root = TestPaths.fixtures

    static func names(in folder: String, ext: String) -> [String] {
        let dir = root.appendingPathComponent(folder)
        let items = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return items.filter { $0.hasSuffix(ext) }.map { String($0.dropLast(ext.count)) }.sorted()
    }

    static let pyarrow: [String] = names(in: "pyarrow", ext: ".parquet")
    static let spark: [String] = names(in: "spark", ext: ".parquet")

    /// Delta tables and their rendered versions, from delta/manifest.json.
    static let delta: [PeerDeltaCase] = {
        let url = root.appendingPathComponent("delta/manifest.json")
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8),
              let manifest = try? PeerJSON.parse(text), case .object(let tables) = manifest else { return [] }
        var cases: [PeerDeltaCase] = []
        for (table, info) in tables {
            guard case .object(let versions)? = info["versions"] else { continue }
            for (v, _) in versions {
                if let version = Int64(v) { cases.append(PeerDeltaCase(table: table, version: version)) }
            }
            if case .number(let latest)? = info["latest_version"], let l = Int64(latest) {
                cases.append(PeerDeltaCase(table: table, version: nil, latest: l))
            }
        }
        return cases.sorted { ($0.table, $0.version ?? -1) < ($1.table, $1.version ?? -1) }
    }()

    static func expectedRows(_ url: URL) throws -> [PeerJSON] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n", omittingEmptySubsequences: true).map { try PeerJSON.parse(String($0)) }
    }

    static func idKey(_ row: PeerJSON) -> Int64? {
        if case .number(let t)? = row["id"] { return Int64(t) }
        return nil
    }

    /// Compares our table with the peer's rows. Rows are matched by `id` when every row has one,
    /// else by position. Columns in `stripZ` drop a trailing `Z` from our timestamps (pyarrow reads INT96 naive).
    static func compare(_ table: Table, expected: [PeerJSON], label: String, stripZ: Set<String> = []) throws -> PeerFixtureDiff {
        var diff = PeerFixtureDiff()
        let names = table.columns.map(\.name)
        if table.rowCount != expected.count {
            diff.add("\(label): \(table.rowCount) rows, peer has \(expected.count)")
        }
        if let first = expected.first, case .object(let members) = first {
            let peerNames = Set(members.map(\.0))
            if peerNames != Set(names) {
                diff.add("\(label): columns \(names.sorted()) vs peer \(peerNames.sorted())")
            }
        }
        // our rows as JSON
        var ours: [(id: Int64?, cells: [String: PeerJSON])] = []
        ours.reserveCapacity(table.rowCount)
        for r in 0..<table.rowCount {
            var cells: [String: PeerJSON] = [:]
            for c in table.columns {
                do {
                    var j = try PeerRender.json(c.value(at: r))
                    if stripZ.contains(c.name), case .string(let s) = j, s.hasSuffix("Z") { j = .string(String(s.dropLast())) }
                    cells[c.name] = j
                } catch {
                    diff.add("\(label) row \(r) column \(c.name): our JSON text does not parse: \(error)")
                    cells[c.name] = .null
                }
            }
            var id: Int64?
            if case .number(let t)? = cells["id"] { id = Int64(t) }
            ours.append((id, cells))
        }
        let byId = expected.allSatisfy { idKey($0) != nil } && ours.allSatisfy { $0.id != nil }
        var ourIndex: [Int64: Int] = [:]
        if byId { for (i, o) in ours.enumerated() { if let id = o.id { ourIndex[id] = i } } }
        let kinds = Dictionary(table.columns.map { ($0.name, PeerCellKind($0.type)) }, uniquingKeysWith: { a, _ in a })
        let maps = Set(table.columns.compactMap { c -> String? in
            if case .json(let nested) = c.type, nested.lowercased().hasPrefix("map") { return c.name }
            return nil
        })
        for (r, row) in expected.enumerated() {
            let i: Int?
            if byId, let id = idKey(row) { i = ourIndex[id] } else { i = r < ours.count ? r : nil }
            guard let i else {
                diff.add("\(label): peer row \(r) (\(row["id"]?.description ?? "?")) missing from our reading")
                continue
            }
            guard case .object(let members) = row else { continue }
            for (name, want) in members {
                guard let got = ours[i].cells[name] else { continue }  // reported as a column mismatch
                diff.cellsCompared += 1
                if !PeerCompare.same(want, got, kind: kinds[name] ?? .other, isMap: maps.contains(name)) {
                    let idText = row["id"].map { "id \($0)" } ?? "row \(r)"
                    diff.add("\(label) \(idText) column \(name): peer \(want), ours \(got)")
                }
            }
        }
        return diff
    }
}

/// A Delta table at one version (nil = latest, compared with `<table>.expected.jsonl`).
struct PeerDeltaCase: Sendable, CustomTestStringConvertible {
    var table: String
    var version: Int64?
    var latest: Int64 = -1
    var testDescription: String { version.map { "\(table)@v\($0)" } ?? "\(table)@latest" }
}

// MARK: - Tests

@Suite("Peer fixtures")
struct PeerFixtureTests {
    @Test("fixtures are present")
    func fixturesPresent() {
        #expect(PeerFixtures.pyarrow.count >= 15, "pyarrow fixtures: \(PeerFixtures.pyarrow)")
        #expect(PeerFixtures.spark.count >= 6, "spark fixtures: \(PeerFixtures.spark)")
        #expect(PeerFixtures.delta.count >= 25, "delta cases: \(PeerFixtures.delta.map(\.testDescription))")
    }

    @Test("the test's own rendering follows the fixture rules")
    func renderingRules() throws {
        #expect(PeerRender.date(0) == "1970-01-01")
        #expect(PeerRender.date(-1) == "1969-12-31")
        #expect(PeerRender.date(-719_162) == "0001-01-01")
        #expect(PeerRender.date(2_932_896) == "9999-12-31")
        #expect(PeerRender.date(11_016) == "2000-02-29")
        #expect(PeerRender.timestamp(-1, .nanoseconds, utc: true) == "1969-12-31T23:59:59.999999Z")
        #expect(PeerRender.timestamp(1, .nanoseconds, utc: false) == "1970-01-01T00:00:00.000000")
        #expect(PeerRender.timestamp(-1, .milliseconds, utc: false) == "1969-12-31T23:59:59.999000")
        #expect(PeerRender.timestamp(1_700_000_000_123_456, .microseconds, utc: true) == "2023-11-14T22:13:20.123456Z")
        #expect(PeerRender.decimal(-1230, scale: 2) == "-12.30")
        #expect(PeerRender.decimal(1, scale: 6) == "0.000001")
        #expect(PeerRender.decimal(-100_000, scale: 6) == "-0.100000")
        #expect(PeerRender.decimal(0, scale: 2) == "0.00")
        #expect(PeerRender.decimal(Int128(Int64.max) * 1000, scale: 0) == "9223372036854775807000")
        #expect(try PeerRender.json(.binary([0, 255, 16])) == .string("AP8Q"))
        #expect(try PeerRender.json(.double(.nan)) == .string("NaN"))
        #expect(try PeerRender.json(.float(-.infinity)) == .string("-Infinity"))
        #expect(PeerCompare.same(.number("0.1"), try PeerRender.json(.float(0.1)), kind: .float32))
        #expect(PeerCompare.same(.number("5e-324"), try PeerRender.json(.double(.leastNonzeroMagnitude)), kind: .float64))
        let parsed = try PeerJSON.parse(#"{"a":[1,-2.5e3,null,true],"b":"x\n\u00e9\ud83c\udf89","c":{}}"#)
        #expect(parsed["b"] == .string("x\n\u{e9}\u{1F389}"))
        #expect(parsed["a"] == .array([.number("1"), .number("-2.5e3"), .null, .bool(true)]))
        #expect(PeerCompare.same(.array([.object([("key", .string("k")), ("value", .number("1"))])]),
                                 .object([("k", .number("1"))]), kind: .other, isMap: true))
    }

    @Test("pyarrow/pandas Parquet file reads as pyarrow reads it", arguments: PeerFixtures.pyarrow)
    func pyarrowFile(name: String) throws {
        let base = PeerFixtures.root.appendingPathComponent("pyarrow/\(name)")
        let file = try ParquetFile(path: base.path + ".parquet")
        let table = try file.read(columns: nil)
        let expected = try PeerFixtures.expectedRows(URL(fileURLWithPath: base.path + ".expected.jsonl"))
        // pyarrow reads INT96 as naive; our contract (and Spark) say UTC: accept either on that file.
        let stripZ: Set<String> = name == "int96" ? Set(table.columns.map(\.name)) : []
        let diff = try PeerFixtures.compare(table, expected: expected, label: "pyarrow/\(name)", stripZ: stripZ)
        #expect(diff.problems.isEmpty, "\(diff.problems.joined(separator: "\n"))")
        #expect(diff.cellsCompared > 0)
    }

    @Test("Spark Parquet file reads as Spark reads it", arguments: PeerFixtures.spark)
    func sparkFile(name: String) throws {
        let base = PeerFixtures.root.appendingPathComponent("spark/\(name)")
        let file = try ParquetFile(path: base.path + ".parquet")
        let table = try file.read(columns: nil)
        let expected = try PeerFixtures.expectedRows(URL(fileURLWithPath: base.path + ".expected.jsonl"))
        let diff = try PeerFixtures.compare(table, expected: expected, label: "spark/\(name)")
        #expect(diff.problems.isEmpty, "\(diff.problems.joined(separator: "\n"))")
        #expect(diff.cellsCompared > 0)
    }

    @Test("Hive-partitioned Parquet folder reads as its writer reads it",
          arguments: ["pyarrow/dataset_hive", "spark/partitioned"])
    func partitionedFolder(path: String) throws {
        let base = PeerFixtures.root.appendingPathComponent(path)
        let dataset = try ParquetDataset(path: base.path)
        let expected = try PeerFixtures.expectedRows(URL(fileURLWithPath: base.path + ".expected.jsonl"))
        let diff = try PeerFixtures.compare(try dataset.read(columns: nil), expected: expected, label: path)
        #expect(diff.problems.isEmpty, "\(diff.problems.joined(separator: "\n"))")
        #expect(diff.cellsCompared > 0)
    }

    @Test("deltalake table version reads as deltalake reads it", arguments: PeerFixtures.delta)
    func deltaVersion(_ c: PeerDeltaCase) throws {
        let dir = PeerFixtures.root.appendingPathComponent("delta")
        let table = try DeltaTable(path: dir.appendingPathComponent(c.table).path)
        let snapshot = try table.snapshot(version: c.version)
        if c.version == nil {
            #expect(snapshot.version == c.latest)
            #expect(try table.latestVersion() == c.latest)
        } else {
            #expect(snapshot.version == c.version)
        }
        let suffix = c.version.map { ".v\($0)" } ?? ""
        let expected = try PeerFixtures.expectedRows(dir.appendingPathComponent("\(c.table)\(suffix).expected.jsonl"))
        let diff = try PeerFixtures.compare(try snapshot.read(columns: nil), expected: expected, label: "delta/\(c.testDescription)")
        #expect(diff.problems.isEmpty, "\(diff.problems.joined(separator: "\n"))")
    }

    @Test("Delta history matches deltalake's history()", arguments: Array(Set(PeerFixtures.delta.map(\.table))).sorted())
    func deltaHistory(table: String) throws {
        let dir = PeerFixtures.root.appendingPathComponent("delta")
        let text = try String(contentsOf: dir.appendingPathComponent("\(table).history.json"), encoding: .utf8)
        guard case .array(let peer) = try PeerJSON.parse(text) else {
            Issue.record("\(table).history.json is not an array")
            return
        }
        let ours = try DeltaTable(path: dir.appendingPathComponent(table).path).history().sorted { $0.version < $1.version }
        #expect(ours.count == peer.count, "\(table): \(ours.count) commits, deltalake \(peer.count)")
        for (c, p) in zip(ours, peer) {
            #expect(p["version"] == .number(String(c.version)))
            let ms = Int64((c.timestamp.timeIntervalSince1970 * 1000).rounded())
            #expect(p["timestamp"] == .number(String(ms)), "\(table) v\(c.version) timestamp \(ms)")
            #expect(p["operation"] == c.operation.map { PeerJSON.string($0) } ?? .null, "\(table) v\(c.version)")
            #expect(p["engineInfo"] == c.engineInfo.map { PeerJSON.string($0) } ?? .null, "\(table) v\(c.version)")
            guard case .object(let params)? = p["operationParameters"] else { continue }
            let peerParams = Dictionary(params.compactMap { k, v -> (String, String)? in
                if case .string(let s) = v { return (k, s) }
                return nil
            }, uniquingKeysWith: { a, _ in a })
            #expect(c.operationParameters == peerParams, "\(table) v\(c.version)")
        }
    }

    @Test("row groups read one at a time and projected columns equal the whole-file reading")
    func rowGroupsAndProjection() throws {
        let base = PeerFixtures.root.appendingPathComponent("pyarrow/types_snappy")
        let file = try ParquetFile(path: base.path + ".parquet")
        let expected = try PeerFixtures.expectedRows(URL(fileURLWithPath: base.path + ".expected.jsonl"))
        #expect(file.rowGroupCount == 3)
        var start = 0
        for g in 0..<file.rowGroupCount {
            let part = try file.readRowGroup(g, columns: ["dec25_6", "id", "ts_ns_utc", "str_low"])
            #expect(part.columns.map(\.name) == ["dec25_6", "id", "ts_ns_utc", "str_low"])
            let slice = Array(expected[start..<min(expected.count, start + part.rowCount)]).map { row -> PeerJSON in
                guard case .object(let m) = row else { return row }
                return .object(m.filter { ["dec25_6", "id", "ts_ns_utc", "str_low"].contains($0.0) })
            }
            let diff = try PeerFixtures.compare(part, expected: slice, label: "types_snappy rg\(g)")
            #expect(diff.problems.isEmpty, "\(diff.problems.joined(separator: "\n"))")
            start += part.rowCount
        }
        #expect(start == expected.count)
        var batches = 0
        let stream = try file.scan(columns: ["f64"])
        while let b = try stream.next() {
            batches += 1
            #expect(b.columns.map(\.name) == ["f64"])
        }
        #expect(batches == 3)
    }

    @Test("peer schemas: every peer column exists in ours with a compatible type",
          arguments: PeerFixtures.pyarrow.map { "pyarrow/\($0)" } + PeerFixtures.spark.map { "spark/\($0)" })
    func schemaMatches(path: String) throws {
        let base = PeerFixtures.root.appendingPathComponent(path)
        let file = try ParquetFile(path: base.path + ".parquet")
        let text = try String(contentsOf: URL(fileURLWithPath: base.path + ".schema.json"), encoding: .utf8)
        guard case .array(let cols)? = try PeerJSON.parse(text)["columns"] else {
            Issue.record("no columns in \(path).schema.json")
            return
        }
        for col in cols {
            guard case .string(let name)? = col["name"], case .string(let peerType)? = col["type"] else { continue }
            guard let field = file.schema[name] else {
                Issue.record("\(path): peer column \(name) (\(peerType)) missing from our schema \(file.schema.names)")
                continue
            }
            #expect(Self.compatible(peer: peerType, ours: field.type), "\(path) \(name): peer \(peerType), ours \(field.type)")
        }
    }

    /// Loose agreement between a peer's type spelling (pyarrow or Spark) and ours.
    static func compatible(peer: String, ours: DataType) -> Bool {
        let p = peer.lowercased()
        switch ours {
        case .bool: return p == "bool" || p == "boolean"
        case .int8: return p == "int8" || p == "tinyint"
        case .int16: return p == "int16" || p == "smallint" || p == "uint8"
        case .int32: return p == "int32" || p == "int" || p == "uint16" || p == "uint8"
        case .int64: return p == "int64" || p == "bigint" || p == "uint32" || p == "uint64"
        case .float32: return p == "float" || p == "halffloat"
        case .float64: return p == "double"
        case .string: return p.contains("string")
        case .binary: return p.contains("binary")
        case .date: return p.hasPrefix("date")
        case .timestamp: return p.hasPrefix("timestamp")
        case .decimal(let precision, let scale): return p.hasSuffix("(\(precision),\(scale))") || p.hasSuffix("(\(precision), \(scale))")
        case .json: return p.hasPrefix("list") || p.hasPrefix("struct") || p.hasPrefix("map") || p.hasPrefix("array")
        }
    }
}

@Suite("Peer fixtures: committed expectations still match the installed pyarrow and deltalake")
struct PeerFixtureFreshnessTests {
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func expectationsMatchPyarrow() throws {
        let script = """
        import sys, os, json, glob
        sys.path.insert(0, sys.argv[1])
        import render, pyarrow.parquet as pq
        bad = []
        for p in sorted(glob.glob(os.path.join(sys.argv[1], 'pyarrow', '*.parquet'))):
            rows = render.render_arrow_table(pq.read_table(p))
            want = [json.loads(l) for l in open(p[:-8] + '.expected.jsonl', encoding='utf-8')]
            if rows != want: bad.append(os.path.basename(p))
        import generate_deltalake as gd
        root = os.path.join(sys.argv[1], 'delta')
        for t, info in json.load(open(os.path.join(root, 'manifest.json'))).items():
            for v in info.get('versions', {}):
                rows = render.render_arrow_table(gd.peer_read(os.path.join(root, t), int(v))[0].sort_by('id'))
                want = [json.loads(l) for l in open(os.path.join(root, '%s.v%s.expected.jsonl' % (t, v)), encoding='utf-8')]
                if rows != want: bad.append('%s@v%s' % (t, v))
        print(json.dumps(bad))
        """
        let out = try PythonPeer.run(script, args: [PeerFixtures.root.path])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "stale expectations: \(out)")
    }
}
