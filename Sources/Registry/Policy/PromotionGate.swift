import Features

/// One gate of a promotion policy, written in YAML as a list entry:
///
/// ```yaml
/// - metric: roc_auc          # threshold: the candidate's roc_auc must be >= 0.75
///   min: 0.75
/// - metric: log_loss         # threshold: <= 0.5 (min and max may be combined)
///   max: 0.5
/// - beat_holder: {metric: roc_auc, by: 0.002, mode: max}   # beat the alias's holder by >= 0.002
/// ```
public enum PromotionGate: Sendable, Hashable, Codable {
    /// The candidate's metric must lie within `[min, max]` (either bound optional, at least one).
    case threshold(metric: String, min: Double?, max: Double?)
    /// The candidate must beat the alias's current holder on `metric` by at least `by` (≥ 0), both
    /// scored on the candidate's test split; `mode` says which direction is better.
    case beatHolder(metric: String, by: Double, mode: BeatHolderMode)

    public var metric: String {
        switch self {
        case .threshold(let m, _, _), .beatHolder(let m, _, _): m
        }
    }

    /// A short readable name: `roc_auc >= 0.75`, `0.1 <= x <= 0.2`, `beat holder on roc_auc by 0.002 (max)`.
    public var name: String {
        switch self {
        case .threshold(let m, let lo?, let hi?): "\(lo) <= \(m) <= \(hi)"
        case .threshold(let m, let lo?, nil): "\(m) >= \(lo)"
        case .threshold(let m, nil, let hi?): "\(m) <= \(hi)"
        case .threshold(let m, nil, nil): "\(m) (no bound)"
        case .beatHolder(let m, let by, let mode):
            "beat holder on \(m) by \(by) (\(mode == .max ? "higher is better" : "lower is better"))"
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: SpecKey.self)
        if c.contains(SpecKey("beat_holder")) {
            try c.rejectUnknownKeys(["beat_holder"], sortedByName: true)
            let b = try c.nestedContainer(keyedBy: SpecKey.self, forKey: SpecKey("beat_holder"))
            try b.rejectUnknownKeys(["metric", "by", "mode"], sortedByName: true)
            let metric = try b.requiredName("metric")
            let by = try b.finite("by") ?? 0
            guard by >= 0 else { throw b.bad("by", "must be >= 0 (the margin by which the candidate must beat the holder), got \(by)") }
            let modeText = try b.optional(String.self, "mode") ?? "max"
            guard let mode = BeatHolderMode(rawValue: modeText) else {
                throw b.bad("mode", "unknown value '\(modeText)' (expected max or min)")
            }
            self = .beatHolder(metric: metric, by: by, mode: mode)
            return
        }
        guard c.contains(SpecKey("metric")) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "a gate is either {metric, min and/or max} or {beat_holder: {metric, by, mode}}"))
        }
        try c.rejectUnknownKeys(["metric", "min", "max"], sortedByName: true)
        let metric = try c.requiredName("metric")
        let lo = try c.finite("min"), hi = try c.finite("max")
        guard lo != nil || hi != nil else { throw c.bad("metric", "a threshold gate on '\(metric)' needs min, max or both") }
        if let lo, let hi, lo > hi { throw c.bad("max", "max \(hi) is below min \(lo)") }
        self = .threshold(metric: metric, min: lo, max: hi)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        switch self {
        case .threshold(let m, let lo, let hi):
            try c.encode(m, forKey: SpecKey("metric"))
            if let lo { try c.encode(lo, forKey: SpecKey("min")) }
            if let hi { try c.encode(hi, forKey: SpecKey("max")) }
        case .beatHolder(let m, let by, let mode):
            var b = c.nestedContainer(keyedBy: SpecKey.self, forKey: SpecKey("beat_holder"))
            try b.encode(m, forKey: SpecKey("metric"))
            try b.encode(by, forKey: SpecKey("by"))
            try b.encode(mode, forKey: SpecKey("mode"))
        }
    }
}
