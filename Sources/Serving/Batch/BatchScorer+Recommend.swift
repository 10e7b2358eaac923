import GoldTables
import Trainers

/// What a recommender job remembers across batches: the users already answered (so each user
/// gets one list even if the input repeats it) and how many were cold starts. Grows with the
/// number of distinct users, not rows.
struct RecommenderState: Sendable {
    var seen = Set<[UInt8]>()
    var coldStart = 0
}

extension BatchScorer {
    /// The output rows of one input batch for an ALS model: for each user not seen before, the
    /// top-k items, rank 1…k: per user as the real-time route (`ALSModel.recommend(user:…)`) unless
    /// ``BatchScoringJob/exactRecommendations`` is off (then a block of users per BLAS call).
    static func recommend(_ batch: Table, model: ALSModel, plan: BatchPlan, job: BatchScoringJob,
                          constants: BatchConstants, firstRow: Int, state: inout RecommenderState) throws -> Table {
        guard let userName = plan.userColumn, let users = batch.column(named: userName) else {
            throw ServingError(.internalError, "a batch lacks the user column '\(plan.userColumn ?? "")'")
        }
        var rows: [Int] = []        // input row of each distinct new user
        var indexes: [Int] = []     // its model index, -1 when unknown
        for r in 0 ..< batch.rowCount {
            if users.isNull(r) {
                throw ServingError(.invalidParameterValue,
                                   "input table \(job.input): column \(userName), row \(firstRow + r): null user id")
            }
            let id = Self.idBytes(users, row: r)
            guard state.seen.insert(id).inserted else { continue }
            rows.append(r)
            indexes.append(model.users.index(of: String(decoding: id, as: UTF8.self)) ?? -1)
        }
        let lists = job.exactRecommendations
            ? indexes.map { model.recommend(userIndex: $0, k: job.k, excludeSeen: job.excludeSeen) }
            : model.recommend(userIndexes: indexes, k: job.k, excludeSeen: job.excludeSeen)
        var gather: [Int] = []
        var rank: [Int64] = [], score: [Double] = [], cold: [Bool] = []
        var items = ByteArrayBuffer()
        for (j, list) in lists.enumerated() {
            let u = indexes[j]
            let isCold = u < 0 || model.seenRowPointers[u + 1] == model.seenRowPointers[u]
            if isCold { state.coldStart += 1 }
            for (i, rec) in list.enumerated() {
                gather.append(rows[j])
                rank.append(Int64(i + 1))
                items.append(model.items.ids[rec.item])
                score.append(Double(rec.score))
                cold.append(isCold)
            }
        }
        var columns = try plan.ids(of: batch).map { $0.gather(gather) }
        columns.append(Column(BatchPlan.recommenderOutputs[0], data: .int64(rank)))
        columns.append(Column(BatchPlan.recommenderOutputs[1], data: .bytes(items)))
        columns.append(Column(BatchPlan.recommenderOutputs[2], data: .double(score)))
        columns.append(Column(BatchPlan.recommenderOutputs[3], data: .bool(cold)))
        columns += constants.columns(rows: gather.count)
        return try Table(columns)
    }

    /// A user id's bytes: the string's UTF-8, or an integer's decimal text (as ALS id maps hold it).
    static func idBytes(_ c: Column, row: Int) -> [UInt8] {
        switch c.data {
        case .bytes(let b): return Array(b.slice(row))
        case .dictionary(let idx, let dict): return Array(dict.slice(Int(idx[row])))
        case .int32(let v): return Array(String(v[row]).utf8)
        case .int64(let v): return Array(String(v[row]).utf8)
        default:
            if case .int(let i) = c.value(at: row) { return Array(String(i).utf8) }
            return Array("\(c.value(at: row))".utf8)
        }
    }
}
