import Features

/// Decodes MLflow's JSON scoring formats into signature-checked rows. The body must be a JSON
/// object with exactly one of `dataframe_split`, `dataframe_records`, `instances`, `inputs`, plus
/// an optional `params` object (accepted and ignored: mltrack models take no inference
/// parameters; MLflow ignores unknown ones too). Other keys are ignored, as MLflow does.
///
/// - `dataframe_split`: `{"columns": [...], "data": [[...], ...], "index": [...]}` (only those
///   keys; `index`, if given, has one entry per row);
/// - `dataframe_records`: `[{"col": v, ...}, ...]`;
/// - `instances`: a list of row objects, or a column dict;
/// - `inputs`: a column dict `{"col": [v1, v2]}` (all lists of one length, or all scalars for
///   one row), or a list of row objects.
///
/// Shape errors are 400 `BAD_REQUEST` ("Invalid input. ..."); value errors come from
/// ``InputSchema`` (400 `INVALID_PARAMETER_VALUE` naming the column and row).
///
/// ```swift
/// let rows = try MLflowJSONInput.rows(JSONParser.request(body), schema: served.inputSchema)
/// ```
enum MLflowJSONInput {
    typealias Row = InputSchema.Row

    static let formats = ["dataframe_split", "dataframe_records", "instances", "inputs"]
    static let formatList = "{'dataframe_split', 'dataframe_records', 'instances', 'inputs'}"

    static func rows(_ root: JSONValue, schema: InputSchema) throws(ServingError) -> [Row] {
        guard case .object(let members) = root else {
            throw ServingError(.badRequest,
                               "The input must be a JSON dictionary with exactly one of the input fields \(formatList). Received \(root.kindName).")
        }
        var format: JSONMember?
        var count = 0
        for m in members {
            if formats.contains(m.key) {
                count += 1
                format = m
            } else if m.key == "params" {
                guard case .object = m.value else {
                    throw ServingError(.badRequest, "Invalid input. 'params' must be a JSON object of inference parameters, got \(m.value.kindName)")
                }
            }
        }
        guard count == 1, let format else {
            let keys = members.map { "'\($0.key)'" }.joined(separator: ", ")
            throw ServingError(.badRequest,
                               "The input must be a JSON dictionary with exactly one of the input fields \(formatList). Received dictionary with input fields: [\(keys)].")
        }
        switch format.key {
        case "dataframe_split": return try split(format.value, schema: schema)
        case "dataframe_records":
            guard case .array(let records) = format.value else {
                throw ServingError(.badRequest, "Invalid input. 'dataframe_records' must be a list of row objects, got \(format.value.kindName)")
            }
            return try self.records(records, field: "dataframe_records", schema: schema)
        default:
            return try rowsOrColumns(format.value, field: format.key, schema: schema)
        }
    }

    /// `instances` / `inputs`: row objects or a column dict.
    static func rowsOrColumns(_ v: JSONValue, field: String, schema: InputSchema) throws(ServingError) -> [Row] {
        switch v {
        case .object(let members):
            return try columnDict(members, field: field, schema: schema)
        case .array(let items):
            var objects = 0
            for item in items { if case .object = item { objects += 1 } }
            if objects == items.count { return try records(items, field: field, schema: schema) }
            if objects > 0 {
                throw ServingError(.badRequest, "Invalid input. '\(field)' mixes row objects with other values")
            }
            // A tensor: values without column names.
            guard schema.enforced else {
                throw ServingError(.badRequest, "Invalid input. '\(field)' is a tensor (values without column names); this model scores named columns: send row objects or a column dict")
            }
            let required = schema.missingRequired { _ in false }
            let names = (required.isEmpty ? schema.columns.map(\.name) : required).map { "'\($0)'" }.joined(separator: ", ")
            throw ServingError(.invalidParameterValue,
                               "Model is missing inputs [\(names)]: '\(field)' is a tensor (values without column names); send row objects or a column dict")
        default:
            throw ServingError(.badRequest, "Invalid input. '\(field)' must be a list of row objects or a column dict, got \(v.kindName)")
        }
    }

    static func split(_ v: JSONValue, schema: InputSchema) throws(ServingError) -> [Row] {
        guard case .object(let members) = v else {
            throw ServingError(.badRequest, "Invalid input. 'dataframe_split' must be an object with 'columns', 'data' and optionally 'index', got \(v.kindName)")
        }
        var columns: [JSONValue]?, data: [JSONValue]?, index: [JSONValue]?
        for m in members {
            switch (m.key, m.value) {
            case ("columns", .array(let a)): columns = a
            case ("data", .array(let a)): data = a
            case ("index", .array(let a)): index = a
            case ("columns", _), ("data", _), ("index", _):
                throw ServingError(.badRequest, "Invalid input. dataframe_split: '\(m.key)' must be a list, got \(m.value.kindName)")
            default:
                throw ServingError(.badRequest, "Invalid input. dataframe_split may only have the keys 'columns', 'data' and 'index'; got '\(m.key)'")
            }
        }
        guard let columns else { throw ServingError(.badRequest, "Invalid input. dataframe_split needs 'columns' (the column names)") }
        guard let data else { throw ServingError(.badRequest, "Invalid input. dataframe_split needs 'data' (a list of rows)") }
        var names: [String] = []
        names.reserveCapacity(columns.count)
        for (i, c) in columns.enumerated() {
            guard case .string(let s) = c else {
                throw ServingError(.badRequest, "Invalid input. dataframe_split: column name \(i) must be a string, got \(c.shortDescription)")
            }
            names.append(s)
        }
        if let index, index.count != data.count {
            throw ServingError(.badRequest, "Invalid input. dataframe_split: 'index' has \(index.count) entries for \(data.count) rows")
        }
        var rows: [[JSONValue]] = []
        rows.reserveCapacity(data.count)
        for (r, row) in data.enumerated() {
            guard case .array(let cells) = row else {
                throw ServingError(.badRequest, "Invalid input. dataframe_split: 'data' row \(r) must be a list of values, got \(row.kindName)")
            }
            guard cells.count == names.count else {
                throw ServingError(.badRequest, "Invalid input. dataframe_split: 'data' row \(r) has \(cells.count) values, 'columns' has \(names.count)")
            }
            rows.append(cells)
        }
        return try columnar(names: names, rowCount: rows.count, field: "dataframe_split", schema: schema) { r, c in rows[r][c] }
    }

    static func columnDict(_ members: [JSONMember], field: String, schema: InputSchema) throws(ServingError) -> [Row] {
        var lists = 0
        var length: Int?
        for m in members {
            if case .array(let a) = m.value {
                lists += 1
                if let length, length != a.count, let first = members.first(where: { if case .array = $0.value { true } else { false } }) {
                    throw ServingError(.badRequest,
                                       "Invalid input. '\(field)' columns have different lengths: '\(first.key)' has \(length) values, '\(m.key)' has \(a.count)")
                }
                length = a.count
            }
        }
        let names = members.map(\.key)
        if lists == 0 {  // all scalars: one row
            return try columnar(names: names, rowCount: members.isEmpty ? 0 : 1, field: field, schema: schema) { _, c in members[c].value }
        }
        guard lists == members.count, let length else {
            throw ServingError(.badRequest, "Invalid input. '\(field)' as a column dict needs a list of values for every column (or scalars for a single row)")
        }
        let cols: [[JSONValue]] = members.map { if case .array(let a) = $0.value { a } else { [] } }
        return try columnar(names: names, rowCount: length, field: field, schema: schema) { r, c in cols[c][r] }
    }

    /// The slots of request columns `names`: refuses a name given twice; throws naming the
    /// required columns absent (as row 0) when `rowCount` > 0.
    static func slots(_ names: [String], rowCount: Int, field: String, schema: InputSchema) throws(ServingError) -> [InputSchema.Slot?] {
        var slots: [InputSchema.Slot?] = []
        slots.reserveCapacity(names.count)
        var found = [Bool](repeating: false, count: schema.columns.count)
        var others: Set<String> = []  // untyped and dropped names (few, usually none)
        for n in names {
            let s = schema.slot(n)
            let duplicate: Bool
            if case .typed(let i)? = s {
                duplicate = found[i]
                found[i] = true
            } else {
                duplicate = !others.insert(n).inserted
            }
            if duplicate { throw ServingError(.badRequest, "Invalid input. \(field): column '\(n)' is given twice") }
            slots.append(s)
        }
        if rowCount > 0 {
            let missing = schema.missingRequired(found: found)
            if !missing.isEmpty { throw InputSchema.missingError(missing, row: 0) }
        }
        return slots
    }

    /// Rows from named columns, `cell(row, column)` giving each value.
    static func columnar(names: [String], rowCount: Int, field: String, schema: InputSchema,
                         cell: (Int, Int) -> JSONValue) throws(ServingError) -> [Row] {
        let slots = try self.slots(names, rowCount: rowCount, field: field, schema: schema)
        let kept = slots.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        var rows: [Row] = []
        rows.reserveCapacity(rowCount)
        for r in 0 ..< rowCount {
            var row = Row(minimumCapacity: kept)
            for c in 0 ..< names.count {
                guard let slot = slots[c] else { continue }
                row[names[c]] = try schema.value(cell(r, c), slot: slot, name: names[c], row: r)
            }
            rows.append(row)
        }
        return rows
    }

    /// Rows from row objects (a column missing from a row is absent: an error if required).
    static func records(_ items: [JSONValue], field: String, schema: InputSchema) throws(ServingError) -> [Row] {
        var rows: [Row] = []
        rows.reserveCapacity(items.count)
        for (r, item) in items.enumerated() {
            guard case .object(let members) = item else {
                throw ServingError(.badRequest, "Invalid input. '\(field)' element \(r) must be a row object, got \(item.kindName)")
            }
            var row = Row(minimumCapacity: members.count)
            var requiredFound = 0
            for m in members {
                guard let slot = schema.slot(m.key) else { continue }
                if case .typed(let i) = slot, schema.required[i] { requiredFound += 1 }
                row[m.key] = try schema.value(m.value, slot: slot, name: m.key, row: r)
            }
            // The parser refused repeated keys, so each required column was counted once.
            if requiredFound < schema.requiredCount {
                throw InputSchema.missingError(schema.missingRequired { row[$0] != nil }, row: r)
            }
            rows.append(row)
        }
        return rows
    }
}
