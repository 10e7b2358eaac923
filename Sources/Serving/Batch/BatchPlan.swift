import GoldTables
import Trainers

/// The columns a batch job reads and writes, checked against the input table before any row is
/// scored: every id column and model input exists (errors name the table and column), id columns
/// are flat, and no id column clashes with an output column.
struct BatchPlan: Sendable {
    /// The input columns to decode, in order: ids, then model inputs not already listed.
    var scanColumns: [String]
    /// The id columns as the table spells them (for a recommender, the user column first).
    var idColumns: [String]
    var outputSchema: Schema
    /// Recommenders: the user column as the table spells it.
    var userColumn: String?

    static let logisticOutputs: [Field] = [
        Field("probability", .float64, nullable: false), Field("label", .int64, nullable: false),
    ]
    static let recommenderOutputs: [Field] = [
        Field("rank", .int64, nullable: false), Field("item_id", .string, nullable: false),
        Field("score", .float64, nullable: false), Field("cold_start", .bool, nullable: false),
    ]
    static let trailer: [Field] = [
        Field("model_name", .string, nullable: false), Field("model_version", .string, nullable: false),
        Field("scored_at", .timestamp(unit: .microseconds, utc: true), nullable: false),
    ]

    init(model: BatchScorer.Model, input: GoldTable, job: BatchScoringJob) throws {
        let schema = input.schema
        let table = input.path
        func field(_ name: String, role: String) throws -> Field {
            guard let i = schema.index(of: name) else {
                throw ServingError(.invalidParameterValue,
                                   "input table \(table): no \(role) column '\(name)' (columns: \(schema.names.joined(separator: ", ")))")
            }
            return schema.fields[i]
        }
        var ids: [Field] = []
        var user: String? = nil
        switch model {
        case .logistic:
            break
        case .recommender:
            let f = try field(job.userColumn, role: "user id")
            switch f.type {
            case .string, .int8, .int16, .int32, .int64: break
            default:
                throw ServingError(.invalidParameterValue,
                                   "input table \(table): user id column '\(f.name)' is \(f.type.description); user ids must be strings or integers")
            }
            ids.append(f)
            user = f.name
        }
        for name in job.idColumns {
            let f = try field(name, role: "id")
            if ids.contains(where: { $0.name.lowercased() == f.name.lowercased() }) { continue }
            if case .json = f.type {
                throw ServingError(.invalidParameterValue,
                                   "input table \(table): id column '\(f.name)' is nested (\(f.type.description)); id columns must be flat")
            }
            ids.append(f)
        }
        var scan = ids.map(\.name)
        let outputs: [Field]
        switch model {
        case .logistic(_, let pipeline):
            for input in pipeline.inputs {
                let f = try field(input.name, role: "model input")
                if !scan.contains(where: { $0.lowercased() == f.name.lowercased() }) { scan.append(f.name) }
            }
            outputs = Self.logisticOutputs
        case .recommender:
            outputs = Self.recommenderOutputs
        }
        for id in ids where (outputs + Self.trailer).contains(where: { $0.name.lowercased() == id.name.lowercased() }) {
            throw ServingError(.invalidParameterValue,
                               "input table \(table): id column '\(id.name)' has the name of an output column (\((outputs + Self.trailer).map(\.name).joined(separator: ", ")))")
        }
        // Id columns may hold nulls in a later file even if this schema says NOT NULL.
        let idFields = ids.map { Field($0.name, $0.type, nullable: true, metadata: $0.metadata) }
        scanColumns = scan
        idColumns = ids.map(\.name)
        userColumn = user
        outputSchema = Schema(idFields + outputs + Self.trailer)
    }

    /// Refuses an existing output table whose columns differ from this job's (by name or type),
    /// before anything is scored: the writer does not change a table's schema, even in overwrite mode.
    func checkOutput(_ existing: Schema, table: String) throws {
        let same = existing.fields.count == outputSchema.fields.count && outputSchema.fields.allSatisfy { f in
            existing[f.name].map { $0.type == f.type } ?? false
        }
        guard !same else { return }
        func describe(_ s: Schema) -> String { s.fields.map { "\($0.name) \($0.type.description)" }.joined(separator: ", ") }
        throw ServingError(.invalidParameterValue,
                           "output table \(table) has columns (\(describe(existing))) but this job writes (\(describe(outputSchema))); the table's schema cannot change: write to another table or delete it first")
    }

    /// The id columns of `batch`, with the output's (nullable) fields.
    func ids(of batch: Table) throws -> [Column] {
        try idColumns.enumerated().map { i, name in
            guard let c = batch.column(named: name) else {
                throw ServingError(.internalError, "a batch lacks the id column '\(name)'")
            }
            return Column(outputSchema.fields[i], data: c.data, validity: c.validity)
        }
    }
}
