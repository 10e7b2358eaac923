import Foundation

extension FeatureValue {
    /// Parses one JSON object of scalars (`{"tenure_months": 12, "region": null, …}`) into a row,
    /// through the package's one JSON reader (``JSONParser``): a scoring request pays
    /// microseconds, not a general JSON decoder's cost. A nested value, a repeated key or
    /// malformed JSON is a ``FeatureError`` naming the key (or `row` when no key is to blame).
    public static func row(json: Data) throws -> [String: FeatureValue] {
        let parsed = json.withUnsafeBytes { raw in JSONParser.parse(raw.bindMemory(to: UInt8.self)) }
        let document: JSONValue
        switch parsed {
        case .success(let v): document = v
        case .failure(let e):
            throw FeatureError(column: e.key ?? "row", (e.isEmpty ? "expected a JSON object" : e.message) + " (JSON offset \(e.offset))")
        }
        guard case .object(let members) = document else {
            throw FeatureError(column: "row", "expected a JSON object, got \(document.kindName)")
        }
        var out: [String: FeatureValue] = [:]
        out.reserveCapacity(members.count)
        for m in members {
            switch m.value {
            case .null: out[m.key] = .null
            case .bool(let b): out[m.key] = .bool(b)
            case .int(let i): out[m.key] = .number(Double(i))
            case .double(let d): out[m.key] = .number(d)
            case .string(let s): out[m.key] = .string(s)
            case .array, .object: throw FeatureError(column: m.key, "nested values are not features")
            }
        }
        return out
    }
}
