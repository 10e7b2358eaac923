import Foundation

/// The `next_page_token` of a logged-model search, as MLflow makes it: base64 of the JSON
/// `{"experiment_ids": [...], "filter_string": ..., "order_by": [...], "offset": N}` (Python's
/// `json.dumps` spelling). A token only continues the search it came from: other experiments,
/// filter or order are `INVALID_PARAMETER_VALUE`, as on MLflow's server; so is a token that is not
/// base64 JSON (MLflow answers 500 there).
///
/// ```swift
/// let token = LoggedModelPageToken(query: q, offset: 100).encoded
/// try LoggedModelPageToken.decode(token).offset(for: q)   // 100
/// ```
public struct LoggedModelPageToken: Sendable, Hashable {
    public var experimentIds: [String]
    public var filterString: String?
    public var orderBy: [LoggedModelOrderBy]?
    public var offset: Int

    public init(query: LoggedModelQuery, offset: Int) {
        experimentIds = query.experimentIds
        filterString = query.filterString
        orderBy = query.orderBy.isEmpty ? nil : query.orderBy
        self.offset = offset
    }

    /// The token text (byte for byte what MLflow's store encodes for the same search).
    public var encoded: String {
        var s = "{\"experiment_ids\": [" + experimentIds.map(Self.pythonJSON).joined(separator: ", ") + "], "
        s += "\"filter_string\": " + (filterString.map(Self.pythonJSON) ?? "null") + ", "
        if let orderBy {
            let items = orderBy.map { o in
                "{\"field_name\": \(Self.pythonJSON(o.fieldName)), \"ascending\": \(o.ascending ? "true" : "false"), "
                    + "\"dataset_name\": \(o.datasetName.map(Self.pythonJSON) ?? "null"), "
                    + "\"dataset_digest\": \(o.datasetDigest.map(Self.pythonJSON) ?? "null")}"
            }
            s += "\"order_by\": [" + items.joined(separator: ", ") + "], "
        } else {
            s += "\"order_by\": null, "
        }
        s += "\"offset\": \(offset)}"
        return Data(s.utf8).base64EncodedString()
    }

    /// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`: non-ASCII as `\uXXXX`).
    static func pythonJSON(_ s: String) -> String {
        var out = "\""
        for u in s.utf16 {
            switch u {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20 ..< 0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(u)))
            default: out += String(format: "\\u%04x", u)
            }
        }
        return out + "\""
    }

    public static func decode(_ token: String) throws -> LoggedModelPageToken {
        func invalid(_ why: String) -> TrackingError {
            TrackingError(.invalidParameterValue, "Invalid page token: \(token). \(why)")
        }
        guard let data = Data(base64Encoded: token) else { throw invalid("It is not base64.") }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw invalid("It is not a JSON object.")
        }
        let ids = (object["experiment_ids"] as? [Any])?.compactMap { $0 as? String } ?? []
        let filter = (object["filter_string"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        var orderBy: [LoggedModelOrderBy]?
        if let items = object["order_by"] as? [[String: Any]], !items.isEmpty {
            orderBy = items.map { d in
                LoggedModelOrderBy(fieldName: d["field_name"] as? String ?? "", ascending: (d["ascending"] as? Bool) ?? true,
                                   datasetName: d["dataset_name"] as? String, datasetDigest: d["dataset_digest"] as? String)
            }
        }
        var offset = 0
        if let raw = object["offset"], !(raw is NSNull) {
            guard let n = raw as? Int, n >= 0 else { throw invalid("'offset' must be a non-negative integer.") }
            offset = n
        }
        return LoggedModelPageToken(experimentIds: ids, filterString: filter, orderBy: orderBy, offset: offset)
    }

    init(experimentIds: [String], filterString: String?, orderBy: [LoggedModelOrderBy]?, offset: Int) {
        self.experimentIds = experimentIds
        self.filterString = filterString
        self.orderBy = orderBy
        self.offset = offset
    }

    /// The offset, if this token was made for `query` (same experiments, filter and order).
    public func offset(for query: LoggedModelQuery) throws -> Int {
        if experimentIds != query.experimentIds {
            throw TrackingError(.invalidParameterValue, "Experiment IDs in the page token do not match the requested experiment IDs. Expected: \(query.experimentIds). Found: \(experimentIds)")
        }
        if filterString != query.filterString {
            throw TrackingError(.invalidParameterValue, "Filter string in the page token does not match the requested filter string. Expected: \(query.filterString ?? "None"). Found: \(filterString ?? "None")")
        }
        if (orderBy ?? []) != query.orderBy {
            throw TrackingError(.invalidParameterValue, "Order by in the page token does not match the requested order by.")
        }
        return offset
    }
}
