/// An `Experiment` as `SearchGrammar.experiments` sees it: `name`, `experiment_id` (text, as
/// MLflow compares it), numeric `creation_time` and `last_update_time`, and its tags.
///
/// ```swift
/// let filter = try RunFilter.parse("tags.team = 'growth'", grammar: .experiments)
/// let hits = experiments.filter { filter.matches($0, grammar: .experiments) }
/// ```
extension Experiment: SearchableEntity {
    public func searchAttribute(_ key: String) -> SearchAttributeValue? {
        switch key {
        case "name": return .string(name)
        case "experiment_id": return .string(experimentId)
        case "creation_time": return .number(Double(creationTime))
        case "last_update_time": return .number(Double(lastUpdateTime))
        default: return nil
        }
    }

    public func searchTag(_ key: String) -> String? { tag(key) }
}
