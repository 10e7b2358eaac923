import Foundation

/// Converts between Delta's `schemaString` (Spark JSON schema) and ``Schema``.
///
/// Primitive mapping: byte → int8, short → int16, integer → int32, long → int64, float → float32,
/// double → float64, boolean → bool, string, binary, date, timestamp → `timestamp[us, UTC]`,
/// timestamp_ntz → `timestamp[us]`, `decimal(p,s)`; void → an all-null string column (field metadata
/// `delta.type` = `void`); struct/array/map (and variant) → `.json(nestedType:)`.
/// Field metadata keeps every Delta field metadata entry as text (e.g.
/// `delta.columnMapping.physicalName`, `delta.columnMapping.id`).
public enum DeltaSchema {
    struct SchemaError: Error { var message: String }

    static let maxDepth = 64

    /// Parses a schemaString.
    public static func parse(_ schemaString: String) throws -> Schema {
        let obj: Any
        do {
            obj = try JSONSerialization.jsonObject(with: Data(schemaString.utf8))
        } catch {
            throw SchemaError(message: "schemaString is not valid JSON")
        }
        guard let d = obj as? [String: Any], (d["type"] as? String) == "struct", let fields = d["fields"] as? [Any] else {
            throw SchemaError(message: "schemaString is not a struct type")
        }
        var out: [Field] = []
        var seen = Set<String>()
        for f in fields {
            let field = try parseField(f, depth: 0)
            guard seen.insert(field.name.lowercased()).inserted else {
                throw SchemaError(message: "duplicate column name '\(field.name)'")
            }
            out.append(field)
        }
        return Schema(out)
    }

    static func parseField(_ a: Any, depth: Int) throws -> Field {
        guard let f = a as? [String: Any], let name = f["name"] as? String, let t = f["type"] else {
            throw SchemaError(message: "a schema field lacks name or type")
        }
        var meta = JSONValue.stringMap(f["metadata"])
        let type: DataType
        if let s = t as? String {
            switch s {
            case "void":
                type = .string
                meta["delta.type"] = "void"
            case "variant":
                type = .json(nestedType: "variant")
                meta["delta.type"] = "variant"
            default:
                type = try primitive(s, field: name)
            }
        } else {
            type = .json(nestedType: try nestedSpelling(t, depth: depth + 1))
        }
        return Field(name, type, nullable: JSONValue.bool(f["nullable"]) ?? true, metadata: meta)
    }

    static func primitive(_ s: String, field: String) throws -> DataType {
        switch s {
        case "string": return .string
        case "long": return .int64
        case "integer": return .int32
        case "short": return .int16
        case "byte": return .int8
        case "float": return .float32
        case "double": return .float64
        case "boolean": return .bool
        case "binary": return .binary
        case "date": return .date
        case "timestamp": return .timestamp(unit: .microseconds, utc: true)
        case "timestamp_ntz": return .timestamp(unit: .microseconds, utc: false)
        case "decimal": return .decimal(precision: 10, scale: 0)
        default:
            if s.hasPrefix("decimal(") && s.hasSuffix(")") {
                let inner = s.dropFirst(8).dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if inner.count == 2, let p = Int(inner[0]), let sc = Int(inner[1]), p >= 1, p <= 38, sc >= 0, sc <= p {
                    return .decimal(precision: p, scale: sc)
                }
            }
            throw SchemaError(message: "column '\(field)' has unknown type '\(s)'")
        }
    }

    /// The nested spelling used by `.json(nestedType:)`: `struct<a:int32,b:list<string>>`, `map<string,int64>`.
    static func nestedSpelling(_ t: Any, depth: Int) throws -> String {
        guard depth < maxDepth else { throw SchemaError(message: "schema nesting deeper than \(maxDepth)") }
        if let s = t as? String {
            if s == "variant" { return "variant" }
            if s == "void" { return "null" }
            return try primitive(s, field: s).description
        }
        guard let d = t as? [String: Any], let kind = d["type"] as? String else {
            throw SchemaError(message: "malformed nested type")
        }
        switch kind {
        case "struct":
            guard let fields = d["fields"] as? [Any] else { throw SchemaError(message: "struct without fields") }
            var parts: [String] = []
            for f in fields {
                guard let fd = f as? [String: Any], let n = fd["name"] as? String, let ft = fd["type"] else {
                    throw SchemaError(message: "a struct field lacks name or type")
                }
                parts.append("\(n):\(try nestedSpelling(ft, depth: depth + 1))")
            }
            return "struct<\(parts.joined(separator: ","))>"
        case "array":
            guard let e = d["elementType"] else { throw SchemaError(message: "array without elementType") }
            return "list<\(try nestedSpelling(e, depth: depth + 1))>"
        case "map":
            guard let k = d["keyType"], let v = d["valueType"] else { throw SchemaError(message: "map without keyType/valueType") }
            return "map<\(try nestedSpelling(k, depth: depth + 1)),\(try nestedSpelling(v, depth: depth + 1))>"
        default:
            throw SchemaError(message: "unknown nested type '\(kind)'")
        }
    }

    /// The Delta primitive type name for a flat ``DataType`` (nil for nested/JSON columns).
    static func deltaTypeName(_ t: DataType) -> String? {
        switch t {
        case .bool: "boolean"
        case .int8: "byte"
        case .int16: "short"
        case .int32: "integer"
        case .int64: "long"
        case .float32: "float"
        case .float64: "double"
        case .string: "string"
        case .binary: "binary"
        case .date: "date"
        case .timestamp(_, let utc): utc ? "timestamp" : "timestamp_ntz"
        case .decimal(let p, let s): "decimal(\(p),\(s))"
        case .json: nil
        }
    }

    /// Serializes a flat schema as a schemaString.
    static func schemaString(_ schema: Schema) throws -> String {
        var fields: [[String: Any]] = []
        for f in schema.fields {
            guard let t = deltaTypeName(f.type) else {
                throw SchemaError(message: "column '\(f.name)' has nested type \(f.type.description), which the Delta writer does not support")
            }
            fields.append(["name": f.name, "type": t, "nullable": f.nullable, "metadata": [String: Any]()])
        }
        let obj: [String: Any] = ["type": "struct", "fields": fields]
        let d = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
        return String(decoding: d, as: UTF8.self)
    }

    /// The physical (in-file) name of a column under column mapping `mode`.
    static func physicalName(_ f: Field, mode: String) -> String {
        if mode != "none", let p = f.metadata["delta.columnMapping.physicalName"], !p.isEmpty { return p }
        return f.name
    }
}
