extension PromotionDecision {
    /// The decision as lines for people: the summary, then one line per gate with its verdict, name
    /// and reason (which carries the values), then who forced it if so.
    ///
    /// ```text
    /// churn v3 → champion: refused (2/3 gates passed)
    ///   PASS  roc_auc >= 0.75: roc_auc 0.797 >= 0.75
    ///   PASS  log_loss <= 0.5: log_loss 0.457 <= 0.5
    ///   FAIL  beat holder on roc_auc by 0.002 (higher is better): candidate 0.797 vs holder v2 0.796: 0.001 higher, needs at least 0.002 higher
    /// ```
    public var report: String {
        var lines = [summary]
        for g in gates {
            lines.append("  \(g.verdict == .pass ? "PASS" : "FAIL")  \(g.name): \(g.reason)")
        }
        if gates.isEmpty { lines.append("  (no gates)") }
        if forced { lines.append("  forced by \(actor.isEmpty ? "an unnamed actor" : actor)") }
        return lines.joined(separator: "\n")
    }
}
