import Foundation

/// The fields of one API request, read the way MLflow's server reads its protobuf messages: from
/// the query string for GET (repeated keys for lists, `true`/`false`, decimal integers) and from
/// the JSON body for POST, PATCH and DELETE. Unknown fields are ignored (a field in protobuf's
/// lowerCamelCase, `runId`, counts as unknown, as MLflow's required-field checks read the snake_case
/// key), but a message spelling one field both ways is refused as MLflow refuses it; a field of the
/// wrong type is `INVALID_PARAMETER_VALUE` naming it (nested fields as `metrics[0].value`).
///
/// ```swift
/// let p = try APIParameters(json: Array(#"{"run_id": "ab12", "key": "lr", "value": "0.1"}"#.utf8))
/// try p.requiredString("key")   // "lr"
/// try p.runId()                 // "ab12" (run_id, else the legacy run_uuid)
/// ```
public struct APIParameters: Sendable {
    enum Source: Sendable {
        case json([String: WireValue])
        case query([String: [String]])
    }

    let source: Source
    /// The path of this object inside the request, for messages (`""` at the top).
    let path: String

    /// The fields of a JSON body; an empty body is an empty message, anything but an object is
    /// `INVALID_PARAMETER_VALUE`.
    public init(json bytes: [UInt8]) throws {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            self.init(source: .json([:]), path: "")
            return
        }
        guard let fields = try WireValue.parse(bytes).fields else {
            throw MLflowAPIError.invalid("Malformed request body: expected a JSON object")
        }
        try Self.rejectDoubleSpelling(fields, path: "")
        self.init(source: .json(fields), path: "")
    }

    /// protobuf's JSON name of a snake_case field (`run_id` → `runId`).
    static func camelCase(_ key: Substring) -> String {
        var out = "", upper = false
        for c in key {
            if c == "_" { upper = true; continue }
            out.append(upper ? Character(c.uppercased()) : c)
            upper = false
        }
        return out
    }

    /// MLflow refuses a message that spells one field both ways (`run_id` and `runId`).
    static func rejectDoubleSpelling(_ fields: [String: WireValue], path: String) throws {
        for key in fields.keys where key.contains("_") {
            let camel = camelCase(key[...])
            if camel != key, fields[camel] != nil {
                let at = path.isEmpty ? "" : " in '\(path)'"
                throw MLflowAPIError.invalid("Request specifies both '\(key)' and '\(camel)'\(at); provide only one of them.")
            }
        }
    }

    /// The fields of a query string (`a=1&b=x&b=y`, `+` and percent escapes decoded).
    public init(query: String?) {
        var out: [String: [String]] = [:]
        for item in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) -> String in
                let plus = s.replacingOccurrences(of: "+", with: " ")
                return plus.removingPercentEncoding ?? plus
            }
            let key = decode(parts[0])
            out[key, default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        self.init(source: .query(out), path: "")
    }

    init(source: Source, path: String) {
        self.source = source
        self.path = path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func wrongType(_ key: String, _ expected: String) -> MLflowAPIError {
        MLflowAPIError.invalid("Invalid value for parameter '\(name(key))': expected \(expected)")
    }

    /// The raw value of `key` (JSON null counts as absent).
    private func json(_ key: String) -> WireValue? {
        guard case let .json(fields) = source, let v = fields[key] else { return nil }
        if case .null = v { return nil }
        return v
    }

    private func queryValue(_ key: String) -> String? {
        guard case let .query(q) = source else { return nil }
        return q[key]?.last
    }

    /// Whether the request carries `key`.
    public func has(_ key: String) -> Bool {
        switch source {
        case .json: json(key) != nil
        case let .query(q): q[key] != nil
        }
    }

    public func string(_ key: String) throws -> String? {
        if case .query = source { return queryValue(key) }
        guard let v = json(key) else { return nil }
        guard case let .string(s) = v else { throw wrongType(key, "a string") }
        return s
    }

    /// A string that must be present and non-empty (MLflow's `_assert_required`).
    public func requiredString(_ key: String) throws -> String {
        guard let s = try string(key), !s.isEmpty else { throw MLflowAPIError.missing(name(key)) }
        return s
    }

    /// An int64: a JSON number or a decimal string (protobuf's JSON accepts both).
    public func int64(_ key: String) throws -> Int64? {
        if case .query = source {
            guard let s = queryValue(key) else { return nil }
            guard let n = Int64(s) else { throw wrongType(key, "an integer, got '\(s)'") }
            return n
        }
        switch json(key) {
        case nil: return nil
        case let .int(n)?: return n
        case let .double(d)? where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        case let .string(s)?: if let n = Int64(s) { return n }
        default: break
        }
        throw wrongType(key, "an integer")
    }

    public func requiredInt64(_ key: String) throws -> Int64 {
        guard let n = try int64(key) else { throw MLflowAPIError.missing(name(key)) }
        return n
    }

    /// A double: a JSON number, or a string holding one or `NaN`, `Infinity`, `-Infinity`.
    public func double(_ key: String) throws -> Double? {
        let text: String
        if case .query = source {
            guard let s = queryValue(key) else { return nil }
            text = s
        } else {
            switch json(key) {
            case nil: return nil
            case let .int(n)?: return Double(n)
            case let .double(d)?: return d
            case let .string(s)?: text = s
            default: throw wrongType(key, "a number")
            }
        }
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let d = Double(text) else { throw wrongType(key, "a number, got '\(text)'") }
            return d
        }
    }

    public func bool(_ key: String) throws -> Bool? {
        if case .query = source {
            guard let s = queryValue(key) else { return nil }
            switch s.lowercased() {
            case "true": return true
            case "false": return false
            default: throw wrongType(key, "true or false, got '\(s)'")
            }
        }
        switch json(key) {
        case nil: return nil
        case let .bool(b)?: return b
        default: throw wrongType(key, "true or false")
        }
    }

    /// A repeated string field (repeated query keys on GET).
    public func strings(_ key: String) throws -> [String] {
        if case let .query(q) = source { return q[key] ?? [] }
        switch json(key) {
        case nil: return []
        case let .array(items)?:
            return try items.enumerated().map { i, v in
                guard case let .string(s) = v else { throw wrongType("\(key)[\(i)]", "a string") }
                return s
            }
        case let .string(s)?: return [s]
        default: throw wrongType(key, "a list of strings")
        }
    }

    /// A repeated message field (empty on GET: a query string cannot carry one).
    public func objects(_ key: String) throws -> [APIParameters] {
        switch json(key) {
        case nil: return []
        case let .array(items)?:
            return try items.enumerated().map { i, v in
                guard let fields = v.fields else { throw wrongType("\(key)[\(i)]", "an object") }
                try Self.rejectDoubleSpelling(fields, path: name("\(key)[\(i)]"))
                return APIParameters(source: .json(fields), path: name("\(key)[\(i)]"))
            }
        default: throw wrongType(key, "a list of objects")
        }
    }

    /// A message field.
    public func object(_ key: String) throws -> APIParameters? {
        guard let v = json(key) else { return nil }
        guard let fields = v.fields else { throw wrongType(key, "an object") }
        try Self.rejectDoubleSpelling(fields, path: name(key))
        return APIParameters(source: .json(fields), path: name(key))
    }

    /// `run_id`, else the legacy `run_uuid` the client sends alongside it; required.
    public func runId() throws -> String {
        if let id = try string("run_id"), !id.isEmpty { return id }
        if let id = try string("run_uuid"), !id.isEmpty { return id }
        throw MLflowAPIError.missing(name("run_id"))
    }
}
