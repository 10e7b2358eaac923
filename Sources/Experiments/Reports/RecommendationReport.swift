import Trainers

/// What an ALS run logs besides the model: the most popular items overall and a few sample users'
/// recommendations, as CSV.
///
/// ```swift
/// let report = RecommendationReport(model: result.model)
/// report.topItemsCSV(k: 20)                                   // rank,item,training_users
/// report.sampleUsers(count: 5)                                // the 5 most active users
/// report.recommendationsCSV(users: report.sampleUsers(count: 5), k: 10)   // user,rank,item,score
/// ```
public struct RecommendationReport: Sendable {
    public var model: ALSModel

    public init(model: ALSModel) { self.model = model }

    /// The `k` items most training users interacted with (ties by item index):
    /// `rank,item,training_users`.
    public func topItemsCSV(k: Int) -> String {
        var s = ReportFormat.csvLine(["rank", "item", "training_users"])
        for (i, e) in model.popular(k: k).enumerated() {
            s += ReportFormat.csvLine([String(i + 1), model.items.ids[e.item], String(model.itemPopularity[e.item])])
        }
        return s
    }

    /// `count` users with the most training interactions (ties by user id bytes): a
    /// deterministic sample of users the model knows well.
    public func sampleUsers(count: Int) -> [String] {
        let n = model.users.count
        let order = (0 ..< n).sorted { a, b in
            let (x, y) = (model.seenRowPointers[a + 1] - model.seenRowPointers[a], model.seenRowPointers[b + 1] - model.seenRowPointers[b])
            return x != y ? x > y : model.users.ids[a].utf8.lexicographicallyPrecedes(model.users.ids[b].utf8)
        }
        return order.prefix(max(count, 0)).map { model.users.ids[$0] }
    }

    /// Each user's top `k` recommendations (seen items excluded unless told otherwise; an
    /// unknown user gets the popular items): `user,rank,item,score`.
    public func recommendationsCSV(users: [String], k: Int, excludeSeen: Bool = true) -> String {
        var s = ReportFormat.csvLine(["user", "rank", "item", "score"])
        for u in users {
            for (i, r) in model.recommend(user: u, k: k, excludeSeen: excludeSeen).enumerated() {
                s += ReportFormat.csvLine([u, String(i + 1), r.item, ReportFormat.csvNumber(r.score)])
            }
        }
        return s
    }
}
