import Foundation

/// One cell of a row given as JSON (a scoring request): what ``FittedPipeline/transform(row:)``
/// reads. A key missing from the row means null.
///
/// - numeric columns take numbers (a decimal column also takes its exact decimal text as a string);
/// - boolean columns take `true`/`false`;
/// - categorical columns take strings (string columns) or integral numbers (integer columns);
/// - date columns take `"YYYY-MM-DD"`, timestamp columns ISO-8601 text (`"2024-12-07T15:11:30.358688Z"`).
///
/// ```swift
/// let row: [String: FeatureValue] = ["tenure_months": 12, "contract": "one-year", "region": nil]
/// let x = try fitted.transform(row: row)
/// ```
public enum FeatureValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath,
                                                    debugDescription: "expected null, a boolean, a number or a string (nested values are not features)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .number(let d): "\(d)"
        case .string(let s): "\"\(s)\""
        }
    }
}

extension FeatureValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
}
