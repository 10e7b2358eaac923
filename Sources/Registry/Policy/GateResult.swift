/// One gate's evaluation: which gate, the numbers it compared and its verdict with a reason a person
/// can read (`"roc_auc 0.7968 >= 0.75"`, `"no current holder"`, `"metric log_loss missing for the
/// candidate"`). Values are nil when absent or not finite (the reason then says which).
///
/// ```swift
/// for g in decision.gates { print(g.name, g.verdict, g.reason) }
/// ```
public struct GateResult: Sendable, Hashable, Codable {
    /// `threshold` or `beat_holder`.
    public enum Kind: String, Sendable, Hashable, Codable {
        case threshold
        case beatHolder = "beat_holder"
    }

    /// A short name of the gate, e.g. `roc_auc >= 0.75` or `beat holder on roc_auc by 0.002 (max)`.
    public var name: String
    public var kind: Kind
    public var metric: String
    /// The candidate's value of the metric (for `beat_holder`, scored on its own test split).
    public var candidate: Double?
    /// The current holder's value on the candidate's test split (`beat_holder` only).
    public var holder: Double?
    /// The holder's version (`beat_holder` only, when there is a holder).
    public var holderVersion: Int?
    /// The lower bound the candidate had to reach (`min`, or holder + δ in max mode).
    public var min: Double?
    /// The upper bound the candidate had to stay under (`max`, or holder − δ in min mode).
    public var max: Double?
    public var verdict: GateVerdict
    public var reason: String

    public init(name: String, kind: Kind, metric: String, candidate: Double? = nil, holder: Double? = nil,
                holderVersion: Int? = nil, min: Double? = nil, max: Double? = nil, verdict: GateVerdict, reason: String) {
        self.name = name
        self.kind = kind
        self.metric = metric
        self.candidate = candidate.flatMap { $0.isFinite ? $0 : nil }
        self.holder = holder.flatMap { $0.isFinite ? $0 : nil }
        self.holderVersion = holderVersion
        self.min = min
        self.max = max
        self.verdict = verdict
        self.reason = reason
    }
}
