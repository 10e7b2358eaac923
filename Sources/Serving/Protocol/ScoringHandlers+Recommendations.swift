import Features
import Trainers

/// Recommendation routes of ALS models (another kind of model answers 400 naming its kind).
///
/// - one user: `{"user_id": "u1", "k": 10, "exclude_seen": true}` →
///   `{"user_id": "u1", "items": [{"item_id": "i7", "score": 0.93}, ...], "cold_start": false}`;
/// - a batch: `{"user_ids": ["u1", "u2"], "k": 10, "exclude_seen": true}` →
///   `{"recommendations": [<one answer per user, as above, in request order>]}`;
/// - similar items: `{"item_id": "i3", "k": 10}` → `{"item_id": "i3", "items": [...]}` (cosine
///   similarity of item factors, the item itself excluded).
///
/// `k` defaults to 10 and must be an integer in 1...10000; `exclude_seen` defaults to true. User
/// and item ids are strings; JSON integers are accepted as their decimal text (`7` is user `"7"`).
/// A batch takes at most ``maxBatchUsers`` ids and at most ``maxBatchItems`` answered items in
/// all. Scores are written in Float32's shortest round-trip form (`Float(text)` gives the model's
/// bits).
///
/// **Cold start:** a user the model does not know, or one without any training interaction, gets
/// the `k` most popular items (most training users first, ties by item index) with score = that
/// popularity (the number of training users of the item), and `"cold_start": true`.
/// An unknown item for similar items is 404 `RESOURCE_DOES_NOT_EXIST` naming it.
///
/// ```swift
/// let r = try ScoringHandlers.recommend(body: Array(#"{"user_id": "u1", "k": 3}"#.utf8), model: recs)
/// ```
extension ScoringHandlers {
    /// Most user ids in one batch request.
    public static let maxBatchUsers = 10_000
    /// Most items (users × k) one batch request may answer.
    public static let maxBatchItems = 1_000_000
    /// Largest `k`.
    public static let maxK = 10_000

    /// POST recommendations for one user.
    public static func recommend(body: [UInt8], model: ServedModel) throws(ServingError) -> ScoringResponse {
        let als = try recommender(model)
        let request = try RecommendationRequest(body)
        let user = try request.id("user_id")
        let k = try request.k(default: model.defaultK)
        let exclude = try request.excludeSeen()
        let index = als.users.index(of: user)
        let items = als.recommend(userIndex: index ?? -1, k: k, excludeSeen: exclude)
        var w = JSONWriter(capacity: 64 + items.count * 40)
        writeUser(&w, als, user: user, index: index, items: items)
        return ScoringResponse(body: w.bytes, rows: 1)
    }

    /// POST recommendations for many users (scored together, one BLAS product per block).
    public static func recommendBatch(body: [UInt8], model: ServedModel) throws(ServingError) -> ScoringResponse {
        let als = try recommender(model)
        let request = try RecommendationRequest(body)
        guard let value = request.root["user_ids"] else {
            throw ServingError(.invalidParameterValue, "missing \"user_ids\" (a list of user ids)")
        }
        guard case .array(let list) = value else {
            throw ServingError(.invalidParameterValue, "\"user_ids\" must be a list of user ids, got \(value.kindName)")
        }
        guard list.count <= maxBatchUsers else {
            throw ServingError(.invalidParameterValue, "\"user_ids\" has \(list.count) ids; at most \(maxBatchUsers) per request")
        }
        let k = try request.k(default: model.defaultK)
        let exclude = try request.excludeSeen()
        let answered = min(k, als.items.count) * list.count
        guard answered <= maxBatchItems else {
            throw ServingError(.invalidParameterValue,
                               "\(list.count) users × k \(min(k, als.items.count)) = \(answered) items; at most \(maxBatchItems) per request (lower k or split the batch)")
        }
        var users: [String] = []
        users.reserveCapacity(list.count)
        for (i, v) in list.enumerated() { users.append(try RecommendationRequest.id(v, field: "user_ids[\(i)]")) }
        let indexes = users.map { als.users.index(of: $0) }
        let lists = als.recommend(userIndexes: indexes.map { $0 ?? -1 }, k: k, excludeSeen: exclude)
        var w = JSONWriter(capacity: 32 + answered * 40)
        w.raw("{\"recommendations\": [")
        for (i, user) in users.enumerated() {
            if i > 0 { w.raw(", ") }
            writeUser(&w, als, user: user, index: indexes[i], items: lists[i])
        }
        w.raw("]}")
        return ScoringResponse(body: w.bytes, rows: users.count)
    }

    /// POST items similar to one item.
    public static func similarItems(body: [UInt8], model: ServedModel) throws(ServingError) -> ScoringResponse {
        let als = try recommender(model)
        let request = try RecommendationRequest(body)
        let item = try request.id("item_id")
        let k = try request.k(default: model.defaultK)
        guard let index = als.items.index(of: item) else {
            throw ServingError(.resourceDoesNotExist, "item \"\(item)\" is not in model '\(model.name)' (not in its training interactions)")
        }
        let similar: [(item: Int, score: Float)]
        do {
            similar = try als.similarItems(itemIndex: index, k: k)
        } catch {
            throw ServingError(.internalError, "similar items of \"\(item)\": \(error)")
        }
        var w = JSONWriter(capacity: 64 + similar.count * 40)
        w.raw("{\"item_id\": ")
        w.string(item)
        w.raw(", \"items\": ")
        writeItems(&w, als, similar)
        w.byte(UInt8(ascii: "}"))
        return ScoringResponse(body: w.bytes, rows: 1)
    }

    private static func recommender(_ model: ServedModel) throws(ServingError) -> ALSModel {
        guard let als = model.recommender else {
            throw ServingError(.badRequest,
                               "model '\(model.name)' is a \(model.modelKind) model; recommendation routes need an \(ALSModel.flavor) model")
        }
        return als
    }

    private static func writeUser(_ w: inout JSONWriter, _ als: ALSModel, user: String, index: Int?,
                                  items: [(item: Int, score: Float)]) {
        let cold = index.map { als.seenRowPointers[$0 + 1] == als.seenRowPointers[$0] } ?? true
        w.raw("{\"user_id\": ")
        w.string(user)
        w.raw(", \"items\": ")
        writeItems(&w, als, items)
        w.raw(", \"cold_start\": ")
        w.bool(cold)
        w.byte(UInt8(ascii: "}"))
    }

    private static func writeItems(_ w: inout JSONWriter, _ als: ALSModel, _ items: [(item: Int, score: Float)]) {
        w.byte(UInt8(ascii: "["))
        for (i, it) in items.enumerated() {
            if i > 0 { w.raw(", ") }
            w.raw("{\"item_id\": ")
            w.string(als.items.ids[it.item])
            w.raw(", \"score\": ")
            w.float(it.score)
            w.byte(UInt8(ascii: "}"))
        }
        w.byte(UInt8(ascii: "]"))
    }
}

/// The JSON object of a recommendation request, with its field readers.
struct RecommendationRequest {
    let root: JSONValue

    init(_ body: [UInt8]) throws(ServingError) {
        root = try JSONParser.request(body)
        guard case .object = root else {
            throw ServingError(.badRequest, "Invalid input. A recommendation request must be a JSON object, got \(root.kindName)")
        }
    }

    /// A required id field.
    func id(_ field: String) throws(ServingError) -> String {
        guard let v = root[field] else { throw ServingError(.invalidParameterValue, "missing \"\(field)\"") }
        return try Self.id(v, field: field)
    }

    /// A string id, or an integer as its decimal text.
    static func id(_ v: JSONValue, field: String) throws(ServingError) -> String {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        default: throw ServingError(.invalidParameterValue, "\"\(field)\" must be a string or an integer id, got \(v.shortDescription)")
        }
    }

    /// `k`: `fallback` (the model's `serving.default_k`, 10 unless set) when absent or null, else an
    /// integer in 1...maxK.
    func k(default fallback: Int) throws(ServingError) -> Int {
        switch root["k"] ?? .null {
        case .null: return min(max(fallback, 1), ScoringHandlers.maxK)
        case .int(let i) where i >= 1 && i <= Int64(ScoringHandlers.maxK): return Int(i)
        case .double(let d) where d >= 1 && d <= Double(ScoringHandlers.maxK) && d == d.rounded(): return Int(d)
        case let v: throw ServingError(.invalidParameterValue, "\"k\" must be an integer in 1...\(ScoringHandlers.maxK), got \(v.shortDescription)")
        }
    }

    /// `exclude_seen`: true when absent or null.
    func excludeSeen() throws(ServingError) -> Bool {
        switch root["exclude_seen"] ?? .null {
        case .null: return true
        case .bool(let b): return b
        case let v: throw ServingError(.invalidParameterValue, "\"exclude_seen\" must be true or false, got \(v.shortDescription)")
        }
    }
}
