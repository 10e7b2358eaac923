/// What an experiment learns: a 0/1 label from feature columns, or items for users from an
/// interactions table. Decides which sections, trainers, splits and metrics are valid.
///
/// ```yaml
/// task: binary_classification    # or: recommendation
/// ```
public enum ExperimentTask: String, Sendable, Hashable, Codable, CaseIterable {
    case binaryClassification = "binary_classification"
    case recommendation
}
