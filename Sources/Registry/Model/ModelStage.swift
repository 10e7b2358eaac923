/// A legacy MLflow model-version stage. Deprecated in MLflow in favour of aliases but still accepted
/// for compatibility (`models:/churn/Production`, `get_latest_versions`). Parsing is
/// case-insensitive; the stored and printed spelling is canonical.
///
/// ```swift
/// let stage = try ModelStage(parsing: "production")   // .production, printed "Production"
/// ```
public enum ModelStage: String, Sendable, Hashable, Codable, CaseIterable {
    case none = "None"
    case staging = "Staging"
    case production = "Production"
    case archived = "Archived"

    /// Parses a stage name in any case; anything else is `INVALID_PARAMETER_VALUE` naming the value.
    public init(parsing text: String) throws {
        guard let stage = Self.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
            throw RegistryError(.invalidParameterValue,
                                "Invalid Model Version stage: \(text). Value must be one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        self = stage
    }
}
