/// Evaluates a policy's gates for one alias against a candidate version. It never throws for a gate
/// that cannot be checked: a missing or non-finite metric, or a context call that fails, makes that
/// gate fail with the reason. It throws only when the question is wrong (a policy for another model,
/// an alias the policy does not list).
///
/// Semantics (see `docs/design/registry.md`):
/// - threshold: passes iff `min <= value <= max` for the bounds given (inclusive);
/// - beat_holder, mode max: passes iff `candidate − holder >= by`; mode min: `holder − candidate >= by`;
///   a difference of exactly `by` passes (compared with a relative tolerance of 1e-12 so `0.802 − 0.8`
///   counts as 0.002); no holder passes with "no current holder"; the candidate already holding the
///   alias passes with "candidate already holds the alias".
///
/// ```swift
/// let d = try await GateEvaluator.evaluate(policy: policy, alias: "champion", candidate: v3,
///                                          holder: v2, context: context)
/// d.passed
/// ```
public enum GateEvaluator {
    /// Relative tolerance of every comparison (ties within it count as met).
    public static let tolerance = 1e-12

    /// The decision for promoting `candidate` to `alias` (actor empty, timestamp 0, not forced: the
    /// ``Promoter`` fills those in). `holder` is the version currently holding the alias, if any.
    public static func evaluate(policy: PromotionPolicy, alias: String, candidate: ModelVersion,
                                holder: ModelVersion?, context: any GateContext) async throws -> PromotionDecision {
        guard policy.model == candidate.name else {
            throw RegistryError(.invalidParameterValue,
                                "\(policy.source ?? "policy"): the policy is for model '\(policy.model)', not '\(candidate.name)'")
        }
        guard let gates = policy.gates(for: alias) else {
            throw RegistryError(.invalidParameterValue,
                                "\(policy.source ?? "policy"): no gates for alias '\(alias)' of '\(policy.model)' (the policy lists: \(policy.aliases.keys.sorted().joined(separator: ", ")))")
        }
        let results = await evaluate(gates: gates, candidate: candidate, holder: holder, context: context)
        return PromotionDecision(model: candidate.name, version: candidate.version, alias: alias,
                                 previousHolder: holder?.version, gates: results, forced: false, actor: "",
                                 timestamp: 0, policySource: policy.source)
    }

    /// Each gate's result, in order.
    public static func evaluate(gates: [PromotionGate], candidate: ModelVersion, holder: ModelVersion?,
                                context: any GateContext) async -> [GateResult] {
        var memo = Scores(candidate: candidate, holder: holder, context: context)
        var out: [GateResult] = []
        for gate in gates {
            switch gate {
            case .threshold(let metric, let lo, let hi):
                out.append(await threshold(gate, metric, lo, hi, &memo))
            case .beatHolder(let metric, let by, let mode):
                out.append(await beatHolder(gate, metric, by, mode, &memo))
            }
        }
        return out
    }

    private static func threshold(_ gate: PromotionGate, _ metric: String, _ lo: Double?, _ hi: Double?,
                                  _ memo: inout Scores) async -> GateResult {
        func result(_ value: Double?, _ verdict: GateVerdict, _ reason: String) -> GateResult {
            GateResult(name: gate.name, kind: .threshold, metric: metric, candidate: value, min: lo, max: hi,
                       verdict: verdict, reason: reason)
        }
        let metrics: [String: Double]
        switch await memo.candidateMetrics() {
        case .success(let m): metrics = m
        case .failure(let why): return result(nil, .fail, "cannot read the candidate's metrics: \(why)")
        }
        guard let value = metrics[metric] else {
            return result(nil, .fail, "metric \(metric) missing for the candidate (it has: \(metrics.keys.sorted().joined(separator: ", ")))")
        }
        guard value.isFinite else { return result(nil, .fail, "the candidate's \(metric) is \(value)") }
        if let lo, !atLeast(value, lo) {
            return result(value, .fail, "\(metric) \(fmt(value)) is below the minimum \(fmt(lo))")
        }
        if let hi, !atLeast(hi, value) {
            return result(value, .fail, "\(metric) \(fmt(value)) is above the maximum \(fmt(hi))")
        }
        let bounds = [lo.map { ">= \(fmt($0))" }, hi.map { "<= \(fmt($0))" }].compactMap { $0 }.joined(separator: " and ")
        return result(value, .pass, "\(metric) \(fmt(value)) \(bounds)")
    }

    private static func beatHolder(_ gate: PromotionGate, _ metric: String, _ by: Double, _ mode: BeatHolderMode,
                                   _ memo: inout Scores) async -> GateResult {
        func result(_ c: Double?, _ h: Double?, _ verdict: GateVerdict, _ reason: String) -> GateResult {
            let bound = h.map { mode == .max ? $0 + by : $0 - by }
            return GateResult(name: gate.name, kind: .beatHolder, metric: metric, candidate: c, holder: h,
                              holderVersion: memo.holder?.version,
                              min: mode == .max ? bound : nil, max: mode == .min ? bound : nil,
                              verdict: verdict, reason: reason)
        }
        guard let holder = memo.holder else { return result(nil, nil, .pass, "no current holder") }
        if holder.version == memo.candidate.version {
            return result(nil, nil, .pass, "candidate already holds the alias")
        }
        let c: Double, h: Double
        switch await memo.candidateScore() {
        case .failure(let why): return result(nil, nil, .fail, "cannot score the candidate on its test split: \(why)")
        case .success(let m):
            guard let v = m[metric] else { return result(nil, nil, .fail, "metric \(metric) missing for the candidate on its test split") }
            guard v.isFinite else { return result(nil, nil, .fail, "the candidate's \(metric) on its test split is \(v)") }
            c = v
        }
        switch await memo.holderScore() {
        case .failure(let why):
            return result(c, nil, .fail, "cannot score the holder (version \(holder.version)) on the candidate's test split: \(why)")
        case .success(let m):
            guard let v = m[metric] else {
                return result(c, nil, .fail, "metric \(metric) missing for the holder (version \(holder.version)) on the candidate's test split")
            }
            guard v.isFinite else {
                return result(c, nil, .fail, "the holder's (version \(holder.version)) \(metric) on the candidate's test split is \(v); cannot compare")
            }
            h = v
        }
        let gain = mode == .max ? c - h : h - c
        let better = mode == .max ? "higher" : "lower"
        let text = "candidate \(fmt(c)) vs holder v\(holder.version) \(fmt(h)): \(fmt(gain)) \(better)"
        if gain >= by - tolerance * Swift.max(1, abs(c), abs(h)) {
            return result(c, h, .pass, "\(text), margin \(fmt(by)) met")
        }
        return result(c, h, .fail, "\(text), needs at least \(fmt(by)) \(better)")
    }

    /// `a >= b` within the relative tolerance.
    private static func atLeast(_ a: Double, _ b: Double) -> Bool {
        a >= b - tolerance * Swift.max(1, abs(a), abs(b))
    }

    static func fmt(_ x: Double) -> String {
        var s = String(format: "%.6f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// Asks the context at most once for each number.
    private struct Scores {
        let candidate: ModelVersion
        let holder: ModelVersion?
        let context: any GateContext
        var metrics: Result<[String: Double], ContextFailure>?
        var candidateScores: Result<[String: Double], ContextFailure>?
        var holderScores: Result<[String: Double], ContextFailure>?

        init(candidate: ModelVersion, holder: ModelVersion?, context: any GateContext) {
            self.candidate = candidate
            self.holder = holder
            self.context = context
        }

        mutating func candidateMetrics() async -> Result<[String: Double], ContextFailure> {
            if let metrics { return metrics }
            let r = await Self.run { [context, candidate] in try await context.candidateMetrics(candidate) }
            metrics = r
            return r
        }

        mutating func candidateScore() async -> Result<[String: Double], ContextFailure> {
            if let candidateScores { return candidateScores }
            let r = await Self.run { [context, candidate] in try await context.score(version: candidate, onTestSplitOf: candidate) }
            candidateScores = r
            return r
        }

        mutating func holderScore() async -> Result<[String: Double], ContextFailure> {
            if let holderScores { return holderScores }
            guard let holder else { return .failure(ContextFailure(description: "no holder")) }
            let r = await Self.run { [context, candidate] in try await context.score(version: holder, onTestSplitOf: candidate) }
            holderScores = r
            return r
        }

        static func run(_ body: () async throws -> [String: Double]) async -> Result<[String: Double], ContextFailure> {
            do { return .success(try await body()) } catch { return .failure(ContextFailure(description: "\(error)")) }
        }
    }

    struct ContextFailure: Error, CustomStringConvertible {
        var description: String
    }
}
