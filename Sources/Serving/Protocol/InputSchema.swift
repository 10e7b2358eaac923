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
/// let schema = served.inputSchema   // built once when the model loads
/// let v = try schema.value(.int(12), slot: schema.slot("tenure_months"), name: "tenure_months", row: 0)
/// ```
struct InputSchema: Sendable {
    typealias Row = [String: FeatureValue]

    /// Where a request column goes: checked against signature column `index`, or passed as it is.
    enum Slot: Sendable, Hashable {
        case typed(Int)
        case untyped
    }

    /// A signature column's type as the checks switch on it (flat, unlike ``ColumnType``).
    enum Kind: Sendable, Hashable {
        case long, integer, double, float, string, binary, boolean, datetime, nested
    }

    /// The signature inputs (empty: no signature, nothing enforced).
    let columns: [ColumnSpec]
    let kinds: [Kind]
    let required: [Bool]
    let requiredCount: Int
    /// Integers in string columns are accepted as their decimal text (ALS user ids).
    let integersAsText: Bool
    private let lookup: [String: Int]?

    init(columns: [ColumnSpec], integersAsText: Bool = false) {
        self.columns = columns
        self.integersAsText = integersAsText
        kinds = columns.map { c in
            switch c.type {
            case .long: .long
            case .integer: .integer
            case .double: .double
            case .float: .float
            case .string: .string
            case .binary: .binary
            case .boolean: .boolean
            case .datetime: .datetime
            case .array, .object: .nested
            }
        }
        required = columns.map(\.required)
        requiredCount = required.reduce(0) { $0 + ($1 ? 1 : 0) }
        // Linear search beats hashing for the few columns of a typical signature.
        lookup = columns.count > 24 ? Dictionary(columns.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a }) : nil
    }

    var enforced: Bool { !columns.isEmpty }

    /// The slot of a request column, or nil when the signature does not name it (dropped).
    func slot(_ name: String) -> Slot? {
        guard enforced else { return .untyped }
        if let lookup { return lookup[name].map { .typed($0) } }
        for i in columns.indices where columns[i].name == name { return .typed(i) }
        return nil
    }

    /// The signature column of a typed slot.
    func spec(_ slot: Slot?) -> ColumnSpec? {
        if case .typed(let i)? = slot { return columns[i] }
        return nil
    }

    /// Required signature columns for which `present` is false, in signature order.
    func missingRequired(_ present: (String) -> Bool) -> [String] {
        var missing: [String] = []
        for c in columns where c.required && !present(c.name) { missing.append(c.name) }
        return missing
    }

    /// Required signature columns not marked in `found` (indexed like ``columns``).
    func missingRequired(found: [Bool]) -> [String] {
        var missing: [String] = []
        for i in columns.indices where required[i] && !found[i] { missing.append(columns[i].name) }
        return missing
    }

    /// The error for required columns absent from row `row`.
    static func missingError(_ names: [String], row: Int) -> ServingError {
        let list = names.map { "'\($0)'" }.joined(separator: ", ")
        return ServingError(.invalidParameterValue, "Model is missing inputs [\(list)]: column \(names[0]), row \(row): the signature requires it")
    }

    static func typeError(_ name: String, _ row: Int, _ message: String) -> ServingError {
        ServingError(.invalidParameterValue, "column \(name), row \(row): \(message)")
    }

    /// The row value for JSON `v` in column `name` of row `row`.
    func value(_ v: JSONValue, slot: Slot, name: String, row: Int) throws(ServingError) -> FeatureValue {
        guard case .typed(let index) = slot else {
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
        let kind = kinds[index]
        switch (kind, v) {
        case (_, .null):
            if required[index] {
                throw Self.typeError(name, row, "null where the signature allows none (\(name) is a required \(Self.typeName(columns[index].type)))")
            }
            return .null
        case (.long, .int(let i)):
            guard i >= -9_007_199_254_740_992, i <= 9_007_199_254_740_992 else {
                throw Self.typeError(name, row, "\(i) is out of range for a long (beyond ±2^53 it is not exact)")
            }
            return .number(Double(i))
        case (.integer, .int(let i)):
            guard i >= Int64(Int32.min), i <= Int64(Int32.max) else { throw Self.typeError(name, row, "\(i) is out of range for an integer") }
            return .number(Double(i))
        case (.long, .double(let d)) where d == d.rounded(.towardZero):
            guard d.magnitude <= 9_007_199_254_740_992 else {
                throw Self.typeError(name, row, "\(d) is out of range for a long (beyond ±2^53 it is not exact)")
            }
            return .number(d)
        case (.integer, .double(let d)) where d == d.rounded(.towardZero):
            guard d >= -2_147_483_648, d <= 2_147_483_647 else { throw Self.typeError(name, row, "\(d) is out of range for an integer") }
            return .number(d)
        case (.double, .int(let i)): return .number(Double(i))
        case (.double, .double(let d)): return .number(d)
        case (.float, .int(let i)): return .number(Double(i))
        case (.float, .double(let d)):
            guard d.magnitude <= Double(Float.greatestFiniteMagnitude) else { throw Self.typeError(name, row, "\(d) is out of range for a float") }
            return .number(d)
        case (.string, .string(let s)), (.binary, .string(let s)): return .string(s)
        case (.string, .int(let i)) where integersAsText: return .string(String(i))
        case (.boolean, .bool(let b)): return .bool(b)
        case (.datetime, .string(let s)):
            guard TimeText.instant(s) != nil else {
                throw Self.typeError(name, row, "expected a datetime as ISO-8601 text (2024-12-31 or 2024-12-31T10:00:00Z), got \(v.shortDescription)")
            }
            return .string(s)
        case (.nested, _):
            throw Self.typeError(name, row, "the signature's \(Self.typeName(columns[index].type)) column cannot be given in a scoring request")
        default:
            throw Self.typeError(name, row, "expected \(Self.typeName(columns[index].type)), got \(v.shortDescription)")
        }
    }

    /// A CSV field's value in column `name` of row `row`: empty fields (and, outside string
    /// columns, `NaN`, `NA`, `null`, `None`) are null; other text is typed from the signature.
    /// `quoted` keeps `""` an empty string in a string column.
    func value(text: String, quoted: Bool, slot: Slot, name: String, row: Int) throws(ServingError) -> FeatureValue {
        var isStringColumn = false
        if case .typed(let i) = slot { isStringColumn = kinds[i] == .string || kinds[i] == .binary }
        if text.isEmpty && !(quoted && isStringColumn) || (!isStringColumn && !quoted && Self.nullWords.contains(text)) {
            return try value(.null, slot: slot, name: name, row: row)
        }
        guard case .typed(let index) = slot else {
            if quoted { return .string(text) }
            if text == "true" || text == "True" || text == "TRUE" { return .bool(true) }
            if text == "false" || text == "False" || text == "FALSE" { return .bool(false) }
            if let d = Double(text), d.isFinite { return .number(d) }
            return .string(text)
        }
        let json: JSONValue
        switch kinds[index] {
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
