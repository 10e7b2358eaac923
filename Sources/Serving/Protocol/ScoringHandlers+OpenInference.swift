import Features
import ModelPackage

/// The Open Inference Protocol v2 (KServe, Triton, MLServer) over the same predictors.
///
/// **Inputs** are named columns: each `{"name", "shape", "datatype", "data"}` is one signature
/// column with `shape[0]` rows and one value per row (`[n]` or `[n, 1]`); `data` may be flat or
/// nested. The datatype must suit the signature type (`INT*`/`UINT*` for long and integer, those
/// or `FP*` for double and float, `BYTES` for string and datetime, `BOOL` for boolean); values
/// are then checked as `/invocations` checks them. `parameters` are accepted and ignored.
///
/// **Outputs**: one tensor per output (the request's `outputs` names choose and order them;
/// otherwise signature order): a scalar output is `shape [n]`; an array output (an ALS model's
/// `item_ids` BYTES and `scores` FP64) is `shape [n, k]` when every row has `k` values. When the
/// rows have different lengths (a user with fewer unseen items than `k`, a catalog smaller than
/// `k`), the output is flattened to `shape [total]` in row order and an extra INT64 output
/// `<name>_lengths` (`shape [n]`) gives each row's count.
///
/// ```swift
/// let meta = ScoringHandlers.openInferenceMetadata(model: served)
/// // {"name": "churn", "versions": ["churn/3"], "platform": "mltrack", "inputs": [{"name": "tenure_months", "datatype": "INT64", "shape": [-1]}, ...], ...}
/// let r = try ScoringHandlers.openInferenceInfer(body: body, model: served)
/// // {"model_name": "churn", "model_version": "churn/3", "outputs": [{"name": "probability", "datatype": "FP64", "shape": [1], "data": [0.71]}, ...]}
/// ```
extension ScoringHandlers {
    /// `GET /v2/models/{name}[/versions/{v}]`: the model's metadata from its signature.
    public static func openInferenceMetadata(model: ServedModel) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.raw("{\"name\": ")
        w.string(model.name)
        w.raw(", \"versions\": [")
        w.string(model.versionLabel)
        w.raw("], \"platform\": \"mltrack\", \"inputs\": [")
        let signature = model.predictor.signature
        for (i, c) in (signature?.inputs ?? []).enumerated() {
            if i > 0 { w.raw(", ") }
            tensorMetadata(&w, c)
        }
        w.raw("], \"outputs\": [")
        for (i, c) in (signature?.outputs ?? []).enumerated() {
            if i > 0 { w.raw(", ") }
            tensorMetadata(&w, c)
        }
        w.raw("]}")
        return w.bytes
    }

    private static func tensorMetadata(_ w: inout JSONWriter, _ c: ColumnSpec) {
        w.raw("{\"name\": ")
        w.string(c.name)
        w.raw(", \"datatype\": ")
        w.string(OpenInference.datatype(c.type))
        if case .array = c.type { w.raw(", \"shape\": [-1, -1]}") } else { w.raw(", \"shape\": [-1]}") }
    }

    /// `POST /v2/models/{name}[/versions/{v}]/infer`. Errors are ``ServingError``s to answer
    /// with ``openInferenceErrorBody(_:)``.
    public static func openInferenceInfer(body: [UInt8], model: ServedModel) throws(ServingError) -> ScoringResponse {
        let root = try JSONParser.request(body)
        guard case .object(let members) = root else {
            throw ServingError(.badRequest, "Invalid input. An inference request must be a JSON object with \"inputs\", got \(root.kindName)")
        }
        var id: String?
        var inputs: [JSONValue]?
        var requested: [String]?
        for m in members {
            switch m.key {
            case "id":
                guard case .string(let s) = m.value else { throw ServingError(.badRequest, "Invalid input. \"id\" must be a string, got \(m.value.shortDescription)") }
                id = s
            case "inputs":
                guard case .array(let a) = m.value else { throw ServingError(.badRequest, "Invalid input. \"inputs\" must be a list of tensors, got \(m.value.kindName)") }
                inputs = a
            case "outputs":
                guard case .array(let a) = m.value else { throw ServingError(.badRequest, "Invalid input. \"outputs\" must be a list of {\"name\": ...}, got \(m.value.kindName)") }
                var names: [String] = []
                for (i, o) in a.enumerated() {
                    guard case .string(let n)? = o["name"] else {
                        throw ServingError(.badRequest, "Invalid input. \"outputs\" element \(i) needs a string \"name\"")
                    }
                    names.append(n)
                }
                requested = names
            case "parameters":
                guard case .object = m.value else { throw ServingError(.badRequest, "Invalid input. \"parameters\" must be an object") }
            default:
                break
            }
        }
        guard let inputs else { throw ServingError(.badRequest, "Invalid input. An inference request needs \"inputs\" (a list of tensors)") }
        let schema = model.inputSchema
        let rows = try OpenInference.rows(inputs, schema: schema)
        let records = try PredictionRecords.predict(rows, model: model)
        let body = try OpenInference.responseBody(records, rowCount: rows.count, requested: requested, id: id, model: model)
        return ScoringResponse(body: body, predictionValues: PredictionRecords.primaryValues(records, model: model), rows: records.count)
    }
}

/// Decoding and encoding of Open Inference Protocol v2 tensors (see ``ScoringHandlers/openInferenceInfer(body:model:)``).
enum OpenInference {
    static let datatypes: Set<String> = ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64",
                                         "FP16", "FP32", "FP64", "BYTES"]
    static let integerTypes: Set<String> = ["UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64"]
    static let floatTypes: Set<String> = ["FP16", "FP32", "FP64"]

    /// The OIP datatype of a signature column (an array's element type).
    static func datatype(_ t: ColumnType) -> String {
        switch t {
        case .boolean: "BOOL"
        case .integer: "INT32"
        case .long: "INT64"
        case .float: "FP32"
        case .double: "FP64"
        case .string, .binary, .datetime, .object: "BYTES"
        case .array(let items): datatype(items)
        }
    }

    static func accepts(_ t: ColumnType, _ datatype: String) -> Bool {
        switch t {
        case .boolean: datatype == "BOOL"
        case .integer, .long: integerTypes.contains(datatype)
        case .float, .double: floatTypes.contains(datatype) || integerTypes.contains(datatype)
        case .string, .binary, .datetime: datatype == "BYTES"
        case .array, .object: false
        }
    }

    /// Appends the leaves of `v` (nested arrays flattened in row-major order) to `out`.
    static func flatten(_ v: JSONValue, into out: inout [JSONValue]) {
        if case .array(let items) = v {
            for item in items { flatten(item, into: &out) }
        } else {
            out.append(v)
        }
    }

    /// Rows from the request's input tensors.
    static func rows(_ inputs: [JSONValue], schema: InputSchema) throws(ServingError) -> [InputSchema.Row] {
        var names: [String] = []
        var columns: [[JSONValue]] = []
        var rowCount: Int?
        for (i, input) in inputs.enumerated() {
            guard case .object = input else { throw ServingError(.badRequest, "Invalid input. inputs[\(i)] must be a tensor object, got \(input.kindName)") }
            guard case .string(let name)? = input["name"] else { throw ServingError(.badRequest, "Invalid input. inputs[\(i)] needs a string \"name\"") }
            guard case .string(let datatype)? = input["datatype"], datatypes.contains(datatype) else {
                throw ServingError(.badRequest, "Invalid input. input \(name): \"datatype\" must be one of \(datatypes.sorted().joined(separator: ", "))")
            }
            guard case .array(let shapeValues)? = input["shape"], !shapeValues.isEmpty else {
                throw ServingError(.badRequest, "Invalid input. input \(name): \"shape\" must be a non-empty list of sizes (shape[0] is the number of rows)")
            }
            var shape: [Int] = []
            var total = 1
            for s in shapeValues {
                guard case .int(let v) = s, v >= 0, v <= Int64(Int32.max) else {
                    throw ServingError(.badRequest, "Invalid input. input \(name): shape sizes must be non-negative integers, got \(s.shortDescription)")
                }
                shape.append(Int(v))
                let (t, overflow) = total.multipliedReportingOverflow(by: Int(v))
                guard !overflow, t <= Int(Int32.max) else { throw ServingError(.badRequest, "Invalid input. input \(name): shape \(shape) is too large") }
                total = t
            }
            guard shape.dropFirst().allSatisfy({ $0 == 1 }) else {
                throw ServingError(.invalidParameterValue, "input \(name): shape \(shape) has several values per row; each input is one column with one value per row ([n] or [n, 1])")
            }
            guard let data = input["data"] else { throw ServingError(.badRequest, "Invalid input. input \(name) has no \"data\"") }
            var flat: [JSONValue] = []
            flat.reserveCapacity(min(total, 1 << 16))  // the shape is the client's word, not yet checked against data
            flatten(data, into: &flat)
            guard flat.count == total else {
                throw ServingError(.badRequest, "Invalid input. input \(name): \"data\" has \(flat.count) values, shape \(shape) needs \(total)")
            }
            if let rowCount, rowCount != shape[0] {
                throw ServingError(.badRequest, "Invalid input. input \(name) has \(shape[0]) rows, \(names[0]) has \(rowCount)")
            }
            rowCount = shape[0]
            if let spec = schema.spec(schema.slot(name)), !accepts(spec.type, datatype) {
                throw ServingError(.invalidParameterValue,
                                   "input \(name): datatype \(datatype) does not match the signature, which wants \(InputSchema.typeName(spec.type)) (send \(self.datatype(spec.type)))")
            }
            names.append(name)
            columns.append(flat)
        }
        return try MLflowJSONInput.columnar(names: names, rowCount: rowCount ?? 0, field: "inputs", schema: schema) { r, c in columns[c][r] }
    }

    /// `{"model_name", "model_version", "id", "outputs": [...]}`.
    static func responseBody(_ records: [[String: ModelValue]], rowCount: Int, requested: [String]?, id: String?,
                             model: ServedModel) throws(ServingError) -> [UInt8] {
        let specs = model.predictor.signature?.outputs ?? []
        var available = specs.map(\.name)
        if let first = records.first {
            available += first.keys.filter { !available.contains($0) }.sorted()
        }
        let names: [String]
        if let requested {
            for n in requested where !available.contains(n) {
                throw ServingError(.invalidParameterValue, "unknown output \"\(n)\"; the model outputs \(available.joined(separator: ", "))")
            }
            names = requested
        } else {
            names = available
        }
        var w = JSONWriter(capacity: 128 + records.count * 48)
        w.raw("{\"model_name\": ")
        w.string(model.name)
        w.raw(", \"model_version\": ")
        w.string(model.versionLabel)
        if let id {
            w.raw(", \"id\": ")
            w.string(id)
        }
        w.raw(", \"outputs\": [")
        var first = true
        for name in names {
            let spec = specs.first { $0.name == name }
            let values = records.map { $0[name] ?? .null }
            var isArray = false
            if case .array? = spec?.type { isArray = true }
            if case .array? = values.first { isArray = true }
            let datatype = spec.map { self.datatype($0.type) } ?? values.first.map(inferredDatatype) ?? "BYTES"
            if !first { w.raw(", ") }
            first = false
            guard isArray else {
                tensor(&w, name: name, datatype: datatype, shape: [rowCount]) { w in
                    for (i, v) in values.enumerated() {
                        if i > 0 { w.raw(", ") }
                        w.value(v)
                    }
                }
                continue
            }
            let lists: [[ModelValue]] = values.map { if case .array(let a) = $0 { a } else { [$0] } }
            let lengths = lists.map(\.count)
            let even = lengths.allSatisfy { $0 == lengths.first }
            let shape = even ? [rowCount, lengths.first ?? 0] : [lengths.reduce(0, +)]
            tensor(&w, name: name, datatype: datatype, shape: shape) { w in
                var k = 0
                for list in lists {
                    for v in list {
                        if k > 0 { w.raw(", ") }
                        k += 1
                        w.value(v)
                    }
                }
            }
            if !even {
                w.raw(", ")
                tensor(&w, name: name + "_lengths", datatype: "INT64", shape: [rowCount]) { w in
                    for (i, n) in lengths.enumerated() {
                        if i > 0 { w.raw(", ") }
                        w.int(n)
                    }
                }
            }
        }
        w.raw("]}")
        return w.bytes
    }

    static func inferredDatatype(_ v: ModelValue) -> String {
        switch v {
        case .bool: "BOOL"
        case .int: "INT64"
        case .double: "FP64"
        case .array(let a): a.first.map(inferredDatatype) ?? "BYTES"
        default: "BYTES"
        }
    }

    private static func tensor(_ w: inout JSONWriter, name: String, datatype: String, shape: [Int], data: (inout JSONWriter) -> Void) {
        w.raw("{\"name\": ")
        w.string(name)
        w.raw(", \"datatype\": ")
        w.string(datatype)
        w.raw(", \"shape\": [")
        for (i, s) in shape.enumerated() {
            if i > 0 { w.raw(", ") }
            w.int(s)
        }
        w.raw("], \"data\": [")
        data(&w)
        w.raw("]}")
    }
}
