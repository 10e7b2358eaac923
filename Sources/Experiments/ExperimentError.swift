/// An error in an experiment spec or while running it: names the spec file and the field
/// (`trainer.params.l2`) or the step that failed.
public struct ExperimentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The spec file, when known.
    public var file: String?
    /// The field path (`source.version`, `features.numeric[0].impute`) or step concerned.
    public var field: String
    public var message: String

    public init(file: String? = nil, field: String, _ message: String) {
        self.file = file
        self.field = field
        self.message = message
    }

    public var description: String {
        (file.map { "\($0): " } ?? "") + "\(field): \(message)"
    }
}
