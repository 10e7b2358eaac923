import Foundation

/// A JSON-shaped value: prediction outputs, input examples, and the settings of flavors that
/// mltrack does not read (kept so a foreign `MLmodel` can be described in an error).
///
/// ```swift
/// let record: [String: ModelValue] = ["probability": .double(0.83), "label": .int(1)]
/// let data = try JSONEncoder().encode(record) // {"label":1,"probability":0.83}
/// ```
///
/// Non-finite doubles are written as the strings `"NaN"`, `"Infinity"` and `"-Infinity"` by the
/// package's encoders (MLflow's convention). JSON does not distinguish `1` from `1.0`, so a
/// `.double(1)` written to JSON reads back as `.int(1)`.
public enum ModelValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([ModelValue])
    case object([String: ModelValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([ModelValue].self) {
            self = .array(a)
        } else if let o = try? c.decode([String: ModelValue].self) {
            self = .object(o)
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The number as a `Double` (ints widen), or nil.
    public var doubleValue: Double? {
        switch self {
        case .double(let d): d
        case .int(let i): Double(i)
        default: nil
        }
    }

    /// The text of a `.string`, or nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

/// The JSON encoder and decoder every package file uses: sorted keys, non-finite doubles as strings.
enum PackageJSON {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return d
    }
}
