import Features
import Foundation
import ModelPackage
@testable import Serving
import Testing

@Suite struct JSONCodecTests {
    func parse(_ s: String) throws(ServingError) -> JSONValue { try JSONParser.request(Array(s.utf8)) }

    func failure(_ bytes: [UInt8]) -> ServingError? {
        Wire.error { () throws(ServingError) in _ = try JSONParser.request(bytes) }
    }

    @Test func parsesScalarsAndContainers() throws {
        #expect(try parse(#" {"a": [1, -2, 3.5, "x", true, false, null], "b": {}} "#) == .object([
            JSONMember(key: "a", value: .array([.int(1), .int(-2), .double(3.5), .string("x"), .bool(true), .bool(false), .null])),
            JSONMember(key: "b", value: .object([])),
        ]))
        #expect(try parse("9223372036854775807") == .int(Int64.max))
        #expect(try parse("-9223372036854775808") == .int(Int64.min))
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try parse("-0") == .int(0))
        #expect(try parse("-0.0") == .double(-0.0))
        #expect(try parse("1e2") == .double(100))
        #expect(try parse("3.0") == .double(3))
        #expect(try parse("1E-400") == .double(0))
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(try parse("\"caf\u{E9}\"") == .string("café"))
    }

    /// Every decimal a client could send parses to the bits the standard library's correctly
    /// rounded conversion gives (the fast path and the fallback agree).
    @Test func numbersParseToTheCorrectlyRoundedDouble() throws {
        var g = SeededGenerator(seed: 5)
        for _ in 0 ..< 20_000 {
            let d: Double
            switch g.next() % 4 {
            case 0: d = Double(bitPattern: g.next() & 0x7FEF_FFFF_FFFF_FFFF)
            case 1: d = g.normal() * 1_000
            case 2: d = Double(Int64(truncatingIfNeeded: g.next()) % 1_000_000) / 100
            default: d = g.normal() * 1e-7
            }
            guard d.isFinite else { continue }
            let text = d.description
            guard case .double(let back) = try parse(text) else { Issue.record("\(text) did not parse as a double"); continue }
            #expect(back.bitPattern == d.bitPattern, "\(text)")
            // Random digit strings too: up to 19 digits with a decimal point somewhere, an exponent sometimes.
            let digits = String(g.next() % 10_000_000_000_000_000_000)
            let cut = Int(g.next() % UInt64(digits.count + 1))
            var intPart = String(digits.prefix(cut).drop { $0 == "0" })
            if intPart.isEmpty { intPart = "0" }
            let frac = String(digits.dropFirst(cut))
            var literal = frac.isEmpty ? intPart + ".5" : intPart + "." + frac
            if g.next() % 3 == 0 { literal += "e" + String(Int(g.next() % 60) - 30) }
            guard let expected = Double(literal) else { continue }
            guard case .double(let got) = try parse(literal) else { Issue.record("\(literal)"); continue }
            #expect(got.bitPattern == expected.bitPattern, "\(literal)")
        }
    }

    @Test func malformedInputIsABadRequestNamingTheOffset() throws {
        let cases: [(String, String)] = [
            ("", "empty"),
            ("   ", "empty"),
            ("{", "truncated"),
            (#"{"a": "#, "truncated"),
            (#"{"a": [1, 2"#, "truncated"),
            (#"{"a": "xyz"#, "truncated"),
            (#"{"a": tru"#, "truncated"),
            (#"{"a": 1,}"#, "expected a string key"),
            ("[1,]", "unexpected character"),
            ("01", "leading zero"),
            ("1.", "no digits after"),
            ("1e", "exponent"),
            ("-", "invalid number"),
            ("NaN", "unexpected character"),
            ("Infinity", "unexpected character"),
            ("1e999", "out of range"),
            ("-1e400", "out of range"),
            ("{} {}", "after the JSON value"),
            (#"{"a": 1, "a": 2}"#, "given twice"),
            ("\"a\u{01}b\"", "control character"),
            (#""\x""#, "bad escape"),
            (#""\ud800""#, "unpaired surrogate"),
            (#""\ud800\u0041""#, "unpaired surrogate"),
            (#""\udc00""#, "unpaired surrogate"),
            (#""\u12"#, "bad \\u escape"),
            ("'a'", "unexpected character"),
        ]
        for (text, fragment) in cases {
            let e = failure(Array(text.utf8))
            #expect(e?.code == .badRequest, "\(text)")
            #expect(e?.message.hasPrefix("Invalid input.") == true, "\(text)")
            #expect(e?.message.contains(fragment) == true, "\(text): \(e?.message ?? "no error")")
        }
    }

    @Test func invalidUTF8IsRefused() {
        for bad: [UInt8] in [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF]] {
            let body = Array(#"{"a": ""#.utf8) + bad + Array(#""}"#.utf8)
            #expect(failure(body)?.message.contains("not valid UTF-8") == true)
            let escaped = Array(#"{"a": "\n"#.utf8) + bad + Array(#""}"#.utf8)
            #expect(failure(escaped)?.message.contains("not valid UTF-8") == true)
            #expect(failure(bad)?.code == .badRequest)  // outside a string
        }
    }

    @Test func deepNestingIsRefusedWithoutRecursingFurther() {
        for open in ["[", "{\"a\": "] {
            let deep = Array(String(repeating: open, count: 200_000).utf8)
            #expect(failure(deep)?.message.contains("nesting deeper than 64 levels") == true)
        }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect((try? JSONParser.request(Array(ok.utf8))) != nil)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(failure(Array(tooDeep.utf8)) != nil)
    }

    @Test func everyTruncationAndRandomCorruptionIsAnErrorNotACrash() throws {
        let body = Array(#"{"dataframe_split": {"columns": ["a", "b"], "data": [[1.5, "x\u00e9"], [null, true]]}, "params": {}}"#.utf8)
        #expect((try? JSONParser.request(body)) != nil)
        for n in 0 ..< body.count {
            #expect(failure(Array(body.prefix(n))) != nil, "prefix \(n)")
        }
        var g = SeededGenerator(seed: 99)
        for _ in 0 ..< 5_000 {
            var b = body
            for _ in 0 ..< 1 + Int(g.next() % 4) {
                let i = Int(g.next() % UInt64(b.count))
                b[i] = UInt8(truncatingIfNeeded: g.next())
            }
            _ = try? JSONParser.request(b)  // must return or throw a ServingError
        }
    }

    @Test func writerEscapesAndFormatsNumbers() {
        var w = JSONWriter()
        w.string("a\"b\\c\nd\u{01}é😀")
        w.byte(UInt8(ascii: " "))
        w.int(Int64.min)
        w.byte(UInt8(ascii: " "))
        w.int(0)
        w.byte(UInt8(ascii: " "))
        w.int(Int64(1234))
        w.byte(UInt8(ascii: " "))
        w.double(0.1)
        w.byte(UInt8(ascii: " "))
        w.double(1)
        w.byte(UInt8(ascii: " "))
        w.double(1e-7)
        w.byte(UInt8(ascii: " "))
        w.double(.nan)
        w.double(.infinity)
        w.double(-.infinity)
        w.byte(UInt8(ascii: " "))
        w.float(Float(0.1))
        #expect(Wire.text(w.bytes) == #""a\"b\\c\nd\u0001é😀" -9223372036854775808 0 1234 0.1 1.0 1e-07 "NaN""Infinity""-Infinity" 0.1"#)
        var v = JSONWriter()
        v.value(.object(["b": .array([.int(1), .double(2.5), .null, .bool(true)]), "a": .string("x")]))
        #expect(Wire.text(v.bytes) == #"{"a": "x", "b": [1, 2.5, null, true]}"#)
    }

    @Test func writtenDoublesRoundTripToTheSameBits() throws {
        var g = SeededGenerator(seed: 17)
        for _ in 0 ..< 10_000 {
            let d = Double(bitPattern: g.next())
            guard d.isFinite else { continue }
            var w = JSONWriter()
            w.double(d)
            let text = Wire.text(w.bytes)
            #expect(Double(text)?.bitPattern == d.bitPattern, "\(text)")
            // And our parser reads it back to the same bits (Foundation's Linux parser is not exact).
            guard case .double(let back) = try JSONParser.request(w.bytes) else { Issue.record("\(text)"); continue }
            #expect(back.bitPattern == d.bitPattern, "\(text)")
        }
    }
}
