/// The seam between run search and a filter language: a predicate over a whole ``Run`` (latest
/// metrics, params, tags, info, inputs). The search-filter parser builds one from MLflow's grammar
/// (`metrics.auc > 0.8 and tags.team = 'growth'`); tests and callers can build one directly.
///
/// ```swift
/// let finished = RunFilterPredicate("status = FINISHED") { $0.info.status == .finished }
/// let page = try store.searchRuns(experimentIds: ["1"], filter: finished)
/// ```
public struct RunFilterPredicate: Sendable {
    /// The source text, for messages.
    public var description: String
    public var matches: @Sendable (Run) -> Bool

    public init(_ description: String = "", _ matches: @escaping @Sendable (Run) -> Bool) {
        self.description = description
        self.matches = matches
    }
}
