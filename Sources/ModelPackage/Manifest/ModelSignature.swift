import Foundation

/// A model's input and output columns, written to `MLmodel` as MLflow's column-based schema:
/// each of `inputs`/`outputs` is a JSON *string* listing `{"type": t, "name": n, "required": b}`.
///
/// ```swift
/// let sig = ModelSignature(
///     inputs: [ColumnSpec("tenure_months", .long), ColumnSpec("plan", .string)],
///     outputs: [ColumnSpec("probability", .double), ColumnSpec("label", .long)])
/// sig.inputsJSON // [{"type": "long", "name": "tenure_months", "required": true}, ...]
/// ```
public struct ModelSignature: Sendable, Hashable {
    public var inputs: [ColumnSpec]
    public var outputs: [ColumnSpec]

    public init(inputs: [ColumnSpec], outputs: [ColumnSpec]) {
        self.inputs = inputs
        self.outputs = outputs
    }

    public var inputsJSON: String { ColumnSpec.json(inputs) }
    public var outputsJSON: String { ColumnSpec.json(outputs) }

    /// Names of the required inputs.
    public var requiredInputs: [String] { inputs.filter(\.required).map(\.name) }
}

/// One column of a signature: a name, an MLflow type and whether it must be present.
///
/// ```swift
/// let c = ColumnSpec("age", .double, required: false)
/// let items = ColumnSpec("item_ids", .array(.string))
/// ```
public struct ColumnSpec: Sendable, Hashable {
    public var name: String
    public var type: ColumnType
    public var required: Bool

    public init(_ name: String, _ type: ColumnType, required: Bool = true) {
        self.name = name
        self.type = type
        self.required = required
    }

    /// MLflow's schema JSON for `columns` (the spelling `json.dumps` gives MLflow's own files).
    static func json(_ columns: [ColumnSpec]) -> String {
        "[" + columns.map { c in
            "{\"type\": \(c.type.jsonBody), \"name\": \(quote(c.name)), \"required\": \(c.required)}"
        }.joined(separator: ", ") + "]"
    }

    /// Parses MLflow's column-based schema JSON (a signature's `inputs` or `outputs` string);
    /// `field` and `path` name the source in errors.
    public static func parse(_ text: String, field: String = "signature", path: String = "schema") throws -> [ColumnSpec] {
        func fail(_ m: String) -> ModelPackageError { ModelPackageError(path: path, "\(field): \(m)") }
        let any: Any
        do {
            any = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw fail("is not JSON")
        }
        guard let list = any as? [Any] else { throw fail("is not a JSON list of columns") }
        var out: [ColumnSpec] = []
        for (i, element) in list.enumerated() {
            guard let obj = element as? [String: Any] else { throw fail("element \(i) is not an object") }
            if obj["type"] as? String == "tensor" {
                throw fail("tensor-based signatures are not supported (mltrack writes column-based ones)")
            }
            guard let name = obj["name"] as? String else { throw fail("element \(i) has no string \"name\"") }
            let type = try ColumnType.parse(obj, at: "\(field)[\(name)]", path: path)
            let required = (obj["required"] as? Bool) ?? true
            out.append(ColumnSpec(name, type, required: required))
        }
        return out
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value > 0x7E {
                    // json.dumps' default ensure_ascii: \uXXXX (UTF-16 units).
                    for unit in String(u).utf16 {
                        let h = String(unit, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                    }
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

/// MLflow's column data types (`mlflow.types.DataType`), plus arrays and objects of them.
public indirect enum ColumnType: Sendable, Hashable {
    case boolean, integer, long, float, double, string, binary, datetime
    case array(ColumnType)
    /// Named properties (sorted by name when written).
    case object([ColumnSpec])

    static let scalars: [String: ColumnType] = [
        "boolean": .boolean, "integer": .integer, "long": .long, "float": .float, "double": .double,
        "string": .string, "binary": .binary, "datetime": .datetime,
    ]

    /// The JSON of the type inside a column spec: `"double"` or `"array", "items": {...}`.
    var jsonBody: String {
        switch self {
        case .boolean: "\"boolean\""
        case .integer: "\"integer\""
        case .long: "\"long\""
        case .float: "\"float\""
        case .double: "\"double\""
        case .string: "\"string\""
        case .binary: "\"binary\""
        case .datetime: "\"datetime\""
        case .array(let items): "\"array\", \"items\": {\"type\": \(items.jsonBody)}"
        case .object(let props):
            "\"object\", \"properties\": {" + props.sorted { $0.name < $1.name }.map {
                "\(ColumnSpec.quote($0.name)): {\"type\": \($0.type.jsonBody), \"required\": \($0.required)}"
            }.joined(separator: ", ") + "}"
        }
    }

    static func parse(_ obj: [String: Any], at field: String, path: String) throws -> ColumnType {
        func fail(_ m: String) -> ModelPackageError { ModelPackageError(path: path, "\(field): \(m)") }
        guard let t = obj["type"] as? String else { throw fail("has no string \"type\"") }
        if let s = scalars[t] { return s }
        switch t {
        case "array":
            guard let items = obj["items"] as? [String: Any] else { throw fail("array without \"items\"") }
            return .array(try parse(items, at: field + ".items", path: path))
        case "object":
            guard let props = obj["properties"] as? [String: Any] else { throw fail("object without \"properties\"") }
            var specs: [ColumnSpec] = []
            for key in props.keys.sorted() {
                guard let p = props[key] as? [String: Any] else { throw fail("property \(key) is not an object") }
                specs.append(ColumnSpec(key, try parse(p, at: field + "." + key, path: path),
                                        required: (p["required"] as? Bool) ?? true))
            }
            return .object(specs)
        default:
            throw fail("unsupported column type \"\(t)\"")
        }
    }
}
