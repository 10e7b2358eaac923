import Foundation
import Testing
@testable import Features

@Suite struct FeatureValueJSONTests {
    @Test func parsesScalarsEscapesAndNumbers() throws {
        let text = #" { "a" : null, "b": true, "c": false, "d": -0.5e2, "e": 0, "f": "q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00x", "g": "é", "h": 12345678901234567890, "i": 1E-3 } "#
        let row = try FeatureValue.row(json: Data(text.utf8))
        #expect(row == [
            "a": .null, "b": .bool(true), "c": .bool(false), "d": .number(-50), "e": .number(0),
            "f": .string("q\"\\/\u{8}\u{c}\n\r\té😀x"), "g": .string("é"), "h": .number(1.2345678901234567890e19), "i": .number(0.001),
        ])
        #expect(try FeatureValue.row(json: Data("{}".utf8)).isEmpty)
        // The same as Foundation's parser on a string with every kind of escape.
        let s = "tab\there \"quoted\" back\\slash / é 😀 \u{1}"
        let encoded = try JSONEncoder().encode(["k": s])
        #expect(try FeatureValue.row(json: encoded) == ["k": .string(s)])
    }

    /// FeatureValue is also plain Codable (for requests decoded by other means).
    @Test func codableThroughJSONDecoder() throws {
        let row = try JSONDecoder().decode([String: FeatureValue].self, from: Data(#"{"a":1,"b":true,"c":"x","d":null,"e":0}"#.utf8))
        #expect(row == ["a": 1, "b": true, "c": "x", "d": nil, "e": 0])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([String: FeatureValue].self, from: Data(#"{"a":[1]}"#.utf8)) }
        let back = try JSONDecoder().decode([String: FeatureValue].self, from: JSONEncoder().encode(row))
        #expect(back == row)
    }

    @Test(arguments: [
        (#"{"a": [1]}"#, "a"), (#"{"a": {"b": 1}}"#, "a"), (#"{"a": 1, "a": 2}"#, "a"),
        (#"{"a": 01}"#, "a"), (#"{"a": 1.}"#, "a"), (#"{"a": nul}"#, "a"), (#"{"a": "x}"#, "a"),
        (#"{"a": "\ud800"}"#, "a"), (#"{"a": 1e999}"#, "a"), (#"{"a": "\q"}"#, "a"), (#"{"a": 1,}"#, "row"),
        (#"[1]"#, "row"), (#"{"a": 1} x"#, "row"), ("", "row"), (#"{"a" 1}"#, "a"),
    ])
    func malformedRowsNameTheKey(text: String, key: String) {
        do {
            _ = try FeatureValue.row(json: Data(text.utf8))
            Issue.record("accepted \(text)")
        } catch let e as FeatureError {
            #expect(e.column == key, "\(text): \(e)")
        } catch {
            Issue.record("\(error)")
        }
    }
}
