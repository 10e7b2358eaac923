import Features
import ModelPackage

/// A model's input signature as request decoding enforces it (MLflow's column-based rules):
///
/// - `long` / `integer` take JSON integers, or numbers with no fraction (`3.0`; not `3.5`), within
///   ±2^53 for `long` (exactly representable: the pipeline computes in `Double`) and Int32 for
///   `integer`;
/// - `double` / `float` take any number (integers too);
/// - `string` and `binary` take strings (an ALS model's `user_id` also takes an integer, as its
///   decimal text);
/// - `boolean` takes `true` / `false`;
/// - `datetime` takes ISO-8601 text: `YYYY-MM-DD` or a timestamp (`2024-12-07T15:11:30Z`), what
///   the feature pipeline reads (a date column then needs exactly `YYYY-MM-DD`);
/// - `null` is accepted only for a column with `required: false`;
/// - a required column absent from a row is an error; columns the signature does not name are
///   dropped; without a signature every scalar column passes through untyped.
///
/// Errors are 400 `INVALID_PARAMETER_VALUE` naming the column and the 0-based row:
/// `column tenure_months, row 2: expected a long, got "abc"`.
///
/// ```swift
/// let schema = InputSchema(model: served)
/// let v = try schema.value(.int(12), slot: schema.slot("tenure_months"), name: "tenure_months", row: 0)
/// ```
struct InputSchema: Sendable {
    typealias Row = [String: FeatureValue]

    /// Where a request column goes: checked against a signature column, or passed as it is.
    enum Slot: Sendable {
        case typed(ColumnSpec)
        case untyped
    }

    /// The signature inputs (empty: no signature, nothing enforced).
    let columns: [ColumnSpec]
    /// Integers in string columns are accepted as their decimal text (ALS user ids).
    let integersAsText: Bool
    private let lookup: [String: Int]?

    init(columns: [ColumnSpec], integersAsText: Bool = false) {
        self.columns = columns
        self.integersAsText = integersAsText
        // Linear search beats hashing for the few columns of a typical signature.
        lookup = columns.count > 24 ? Dictionary(columns.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a }) : nil
    }

    init(model: ServedModel) {
        self.init(columns: model.predictor.signature?.inputs ?? [], integersAsText: model.recommender != nil)
    }

    var enforced: Bool { !columns.isEmpty }

    /// The slot of a request column, or nil when the signature does not name it (dropped).
    func slot(_ name: String) -> Slot? {
        guard enforced else { return .untyped }
        if let lookup { return lookup[name].map { .typed(columns[$0]) } }
        for c in columns where c.name == name { return .typed(c) }
        return nil
    }

    /// Required signature columns for which `present` is false, in signature order.
    func missingRequired(_ present: (String) -> Bool) -> [String] {
        var missing: [String] = []
        for c in columns where c.required && !present(c.name) { missing.append(c.name) }
        return missing
    }

    /// The error for required columns absent from row `row`.
    static func missingError(_ names: [String], row: Int) -> ServingError {
        let list = names.map { "'\($0)'" }.joined(separator: ", ")
        return ServingError(.invalidParameterValue, "Model is missing inputs [\(list)]: column \(names[0]), row \(row): the signature requires it")
    }

    /// Checks that every required column is in `row` (row index `index`).
    func checkRequired(_ row: Row, index: Int) throws(ServingError) {
        guard enforced else { return }
        for c in columns where c.required && row[c.name] == nil {
            throw Self.missingError(missingRequired { row[$0] != nil }, row: index)
        }
    }

    static func typeError(_ name: String, _ row: Int, _ message: String) -> ServingError {
        ServingError(.invalidParameterValue, "column \(name), row \(row): \(message)")
    }

    /// The row value for JSON `v` in column `name` of row `row`.
    func value(_ v: JSONValue, slot: Slot, name: String, row: Int) throws(ServingError) -> FeatureValue {
        guard case .typed(let spec) = slot else {
            switch v {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .int(let i): return .number(Double(i))
            case .double(let d): return .number(d)
            case .string(let s): return .string(s)
            case .array, .object:
                throw Self.typeError(name, row, "expected a scalar (null, a boolean, a number or a string), got \(v.kindName)")
            }
        }
        if case .null = v {
            if spec.required {
                throw Self.typeError(name, row, "null where the signature allows none (\(name) is a required \(Self.typeName(spec.type)))")
            }
            return .null
        }
        switch spec.type {
        case .long, .integer:
            let limit: Double = spec.type == .long ? 9_007_199_254_740_992 : 2_147_483_647
            switch v {
            case .int(let i):
                guard Double(i).magnitude <= limit, spec.type == .long || Int64(Int32.min) ... Int64(Int32.max) ~= i else {
                    throw Self.typeError(name, row, "\(i) is out of range for \(Self.typeName(spec.type))")
                }
                return .number(Double(i))
            case .double(let d) where d == d.rounded(.towardZero):
                guard d.magnitude <= limit, spec.type == .long || (d >= -2_147_483_648 && d <= 2_147_483_647) else {
                    throw Self.typeError(name, row, "\(d) is out of range for \(Self.typeName(spec.type))")
                }
                return .number(d)
            default: break
            }
        case .double:
            if let d = v.number { return .number(d) }
        case .float:
            if let d = v.number {
                guard d.magnitude <= Double(Float.greatestFiniteMagnitude) else {
                    throw Self.typeError(name, row, "\(d) is out of range for a float")
                }
                return .number(d)
            }
        case .string, .binary:
            if case .string(let s) = v { return .string(s) }
            if integersAsText, case .int(let i) = v { return .string(String(i)) }
        case .boolean:
            if case .bool(let b) = v { return .bool(b) }
        case .datetime:
            if case .string(let s) = v {
                guard TimeText.instant(s) != nil else {
                    throw Self.typeError(name, row, "expected a datetime as ISO-8601 text (2024-12-31 or 2024-12-31T10:00:00Z), got \(v.shortDescription)")
                }
                return .string(s)
            }
        case .array, .object:
            throw Self.typeError(name, row, "the signature's \(Self.typeName(spec.type)) column cannot be given in a scoring request")
        }
        throw Self.typeError(name, row, "expected \(Self.typeName(spec.type)), got \(v.shortDescription)")
    }

    /// A CSV field's value in column `name` of row `row`: empty fields (and, outside string
    /// columns, `NaN`, `NA`, `null`, `None`) are null; other text is typed from the signature.
    /// `quoted` keeps `""` an empty string in a string column.
    func value(text: String, quoted: Bool, slot: Slot, name: String, row: Int) throws(ServingError) -> FeatureValue {
        let isStringColumn: Bool
        switch slot {
        case .typed(let spec): isStringColumn = spec.type == .string || spec.type == .binary
        case .untyped: isStringColumn = false
        }
        if text.isEmpty && !(quoted && isStringColumn) || (!isStringColumn && !quoted && Self.nullWords.contains(text)) {
            return try value(.null, slot: slot, name: name, row: row)
        }
        guard case .typed(let spec) = slot else {
            if quoted { return .string(text) }
            if text == "true" || text == "True" || text == "TRUE" { return .bool(true) }
            if text == "false" || text == "False" || text == "FALSE" { return .bool(false) }
            if let d = Double(text), d.isFinite { return .number(d) }
            return .string(text)
        }
        let json: JSONValue
        switch spec.type {
        case .long, .integer, .double, .float:
            if let i = Int64(text) {
                json = .int(i)
            } else if let d = Double(text), d.isFinite, text.first != "+", !text.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }) {
                json = .double(d)
            } else {
                json = .string(text)
            }
        case .boolean:
            switch text {
            case "true", "True", "TRUE": json = .bool(true)
            case "false", "False", "FALSE": json = .bool(false)
            default: json = .string(text)
            }
        default:
            json = .string(text)
        }
        return try value(json, slot: slot, name: name, row: row)
    }

    static let nullWords: Set<String> = ["NaN", "nan", "NA", "N/A", "null", "NULL", "None"]

    /// "a long", "an integer", "a datetime"...
    static func typeName(_ t: ColumnType) -> String {
        switch t {
        case .boolean: "a boolean"
        case .integer: "an integer"
        case .long: "a long"
        case .float: "a float"
        case .double: "a double"
        case .string: "a string"
        case .binary: "binary (a string)"
        case .datetime: "a datetime (ISO-8601 text)"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
