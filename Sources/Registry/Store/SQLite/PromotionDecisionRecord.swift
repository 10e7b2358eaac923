import Foundation
import GRDB
import Tracking

/// A row of `promotion_decisions`: the decision as JSON plus the columns it is looked up by.
///
/// ```swift
/// try PromotionDecisionRecord(decision).insert(db)
/// ```
struct PromotionDecisionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "promotion_decisions"

    var id: Int64?
    var model: String
    var version: Int
    var alias: String
    var applied: Bool
    var actor: String
    var timestamp: Int64
    /// The ``PromotionDecision`` encoded as a JSON object with sorted keys.
    var decision: String

    init(_ d: PromotionDecision) {
        id = nil
        model = d.model
        version = d.version
        alias = d.alias
        applied = d.applied
        actor = d.actor
        timestamp = d.timestamp
        decision = StoreWriteContext.json(d)
    }

    /// The stored decision; a row that does not decode is `INTERNAL_ERROR` naming its id.
    func decoded() throws -> PromotionDecision {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return try decoder.decode(PromotionDecision.self, from: Data(decision.utf8))
        } catch {
            throw RegistryError(.internalError, "promotion_decisions row \(id.map(String.init) ?? "?") does not decode: \(error)")
        }
    }
}
