/// A parsed JSON document: what ``JSONParser`` produces from a scoring request body or a JSON row. Objects keep their members in document order (duplicates are refused by the
/// parser); integers that fit `Int64` stay exact (`int`), every other number is a `double`.
///
/// ```swift
/// let v = try JSONParser.parse(Array(#"{"k": 10, "user_id": "u1"}"#.utf8))
/// v["k"]        // .int(10)
/// ```
package enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// An integer token (no fraction, no exponent) that fits `Int64`.
    case int(Int64)
    /// Any other number (always finite: the parser refuses overflow).
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The member named `key` of an object (nil for a missing key or a non-object).
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for m in members where m.key == key { return m.value }
        return nil
    }

    /// The number as a `Double` (ints widen), or nil.
    package var number: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// What an error message shows of the value: the JSON text of a scalar (strings quoted, long
    /// text shortened), "an array" / "an object" for containers.
    package var shortDescription: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): d.description
        case .string(let s):
            s.count > 40 ? "\"\(s.prefix(40))…\"" : "\"\(s)\""
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The kind of value in words ("a string", "an array"...), for shape errors.
    package var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One `"key": value` member of a JSON object.
package struct JSONMember: Sendable, Hashable {
    package var key: String
    package var value: JSONValue

    package init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}
