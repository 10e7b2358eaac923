/// What a promotion attempt decided, kept in the registry's decision history and written by the
/// caller into the audit log: the candidate, the alias, who asked, every gate with its values and
/// verdict, whether all passed, whether `force` overrode a failure, and whether the alias moved.
/// A plain Codable record (timestamps in ms since the epoch).
///
/// ```swift
/// let d = try await promoter.promote(name: "churn", version: 3, alias: "champion", actor: "ci")
/// if !d.applied { print(d.summary) }
/// let json = try JSONEncoder().encode(d)   // into the audit log
/// ```
public struct PromotionDecision: Sendable, Hashable, Codable {
    public var model: String
    public var version: Int
    public var alias: String
    /// The version that held the alias when the gates were evaluated (nil: nobody).
    public var previousHolder: Int?
    public var gates: [GateResult]
    /// Every gate passed (true for an alias whose policy lists no gates).
    public var passed: Bool
    /// The caller asked to promote regardless of the gates.
    public var forced: Bool
    /// The alias was moved to `version` (passed, or forced).
    public var applied: Bool
    /// Who asked (user name, `ci`, `mltrack run --auto`).
    public var actor: String
    public var timestamp: Int64
    /// The policy file the gates came from, if any.
    public var policySource: String?
    /// One line: `churn v3 → champion: promoted (3/3 gates passed)`.
    public var summary: String

    public init(model: String, version: Int, alias: String, previousHolder: Int?, gates: [GateResult], forced: Bool,
                actor: String, timestamp: Int64, policySource: String?) {
        self.model = model
        self.version = version
        self.alias = alias
        self.previousHolder = previousHolder
        self.gates = gates
        self.passed = gates.allSatisfy { $0.verdict == .pass }
        self.forced = forced
        self.applied = passed || forced
        self.actor = actor
        self.timestamp = timestamp
        self.policySource = policySource
        let passedCount = gates.filter { $0.verdict == .pass }.count
        let tally = "\(passedCount)/\(gates.count) gates passed"
        let outcome = forced && gates.isEmpty ? "FORCED without gates"
            : passed ? (previousHolder == version ? "already held, kept" : "promoted")
            : forced ? "FORCED despite failing gates" : "refused"
        summary = "\(model) v\(version) → \(alias): \(outcome) (\(tally))"
    }
}
