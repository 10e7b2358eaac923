import Foundation
import Tracking

/// Promotion decisions over MLflow's protocol, which has no endpoint for them: each decision is a
/// tag of the registered model, key `mltrack.promotion.<seq>.<nonce>` (`seq` zero-padded, so keys
/// sort in commit order; the random `nonce` keeps two concurrent writers from overwriting each
/// other), value the decision as JSON. The tags move with a rename and go with a delete.
///
/// ```swift
/// try await registry.commitPromotion(decision)   // alias moved (if applied) and decision tagged
/// let history = try await registry.promotionDecisions(name: "churn")
/// ```
extension RESTRegistryStore {
    /// Checks the alias's holder, moves the alias if the decision is applied, then records the
    /// decision. Not atomic over REST: the holder is read (`registered-models/get`) and the alias
    /// set (`registered-models/alias`) in two requests, so another client can move the alias in
    /// between (the later write wins); and if recording fails after the alias moved, the error says
    /// so. A holder that differs from `previousHolder` is `INVALID_STATE` and changes nothing.
    @discardableResult
    public func commitPromotion(_ decision: PromotionDecision) async throws -> PromotionDecision {
        if decision.applied {
            try RegistryValidation.alias(decision.alias)
            try RegistryValidation.version(decision.version, model: decision.model)
        }
        let model = try await wireModel(name: decision.model)
        let value = try Self.promotionTagValue(decision)
        if decision.applied {
            let holder = model.model.aliases[decision.alias]
            guard holder == decision.previousHolder else {
                throw RegistryError(.invalidState,
                                    "Alias '\(decision.alias)' of '\(decision.model)' moved from \(decision.previousHolder.map { "version \($0)" } ?? "nobody") to \(holder.map { "version \($0)" } ?? "nobody") while the gates were evaluated; evaluate again.")
            }
            _ = try await modelVersion(name: decision.model, version: decision.version)
            try await setAlias(name: decision.model, alias: decision.alias, version: decision.version)
        }
        let sequence = model.rawTags.filter { $0.key.hasPrefix(Self.promotionTagPrefix) }.count + 1
        let nonce = String(UInt32.random(in: 0 ... UInt32.max), radix: 16)
        let key = Self.promotionTagPrefix + String(repeating: "0", count: max(0, 6 - String(sequence).count)) + "\(sequence).\(nonce)"
        do {
            try await send("POST", "registered-models/set-tag", RegistryWire.SetModelTag(name: decision.model, key: key, value: value))
        } catch let e as RegistryError where decision.applied {
            throw RegistryError(e.code, "alias '\(decision.alias)' of '\(decision.model)' now points at version \(decision.version), but recording the decision failed: \(e.message)")
        }
        return decision
    }

    /// Every recorded decision (read from the tags of every registered model), oldest first, for
    /// the model that had `name` when deciding, or all (nil).
    public func promotionDecisions(name: String?) async throws -> [PromotionDecision] {
        var found: [(key: String, decision: PromotionDecision)] = [], token: String? = nil
        repeat {
            let page = try await searchWireModels(filter: nil, orderBy: [], maxResults: 1000, pageToken: token)
            for m in page.items {
                for tag in m.rawTags where tag.key.hasPrefix(Self.promotionTagPrefix) {
                    let d: PromotionDecision
                    do {
                        d = try JSONDecoder.promotion.decode(PromotionDecision.self, from: Data(tag.value.utf8))
                    } catch {
                        throw RegistryError(.internalError, "tag '\(tag.key)' of registered model '\(m.model.name)' is not a promotion decision: \(error)")
                    }
                    if name == nil || d.model == name { found.append((tag.key, d)) }
                }
            }
            token = page.nextPageToken
        } while token != nil
        return found.sorted { ($0.decision.timestamp, $0.key) < ($1.decision.timestamp, $1.key) }.map(\.decision)
    }

    /// The decision as a tag value within ``RegistryValidation/maxTagValueLength``: gate reasons
    /// are shortened when the whole is too long; still too long is `INVALID_PARAMETER_VALUE`.
    static func promotionTagValue(_ decision: PromotionDecision) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        func text(_ d: PromotionDecision) throws -> String {
            do { return String(decoding: try encoder.encode(d), as: UTF8.self) } catch {
                throw RegistryError(.internalError, "cannot encode the promotion decision as JSON: \(error)")
            }
        }
        let full = try text(decision)
        if full.count <= RegistryValidation.maxTagValueLength { return full }
        var short = decision
        short.gates = short.gates.map { g in
            var g = g
            if g.reason.count > 80 { g.reason = String(g.reason.prefix(79)) + "…" }
            return g
        }
        let shortened = try text(short)
        guard shortened.count <= RegistryValidation.maxTagValueLength else {
            throw RegistryError(.invalidParameterValue,
                                "the promotion decision for '\(decision.model)' v\(decision.version) is \(shortened.count) characters as JSON; a registered-model tag holds at most \(RegistryValidation.maxTagValueLength)")
        }
        return shortened
    }
}

extension JSONDecoder {
    /// Reads decisions written by ``RESTRegistryStore/promotionTagValue(_:)``.
    static var promotion: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return d
    }
}
