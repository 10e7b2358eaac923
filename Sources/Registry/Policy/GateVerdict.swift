/// The outcome of one promotion gate.
///
/// ```swift
/// if decision.gates.allSatisfy({ $0.verdict == .pass }) { … }
/// ```
public enum GateVerdict: String, Sendable, Hashable, Codable {
    case pass
    case fail
}
