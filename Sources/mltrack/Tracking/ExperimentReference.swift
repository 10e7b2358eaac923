import Tracking

/// Resolves an experiment given by name or by id (a name wins when both could match).
func resolveExperiment(_ ref: String, in store: any TrackingStore) throws -> Experiment {
    try cliErrors {
        if let byName = try store.getExperimentByName(ref) { return byName }
        guard Int64(ref) != nil else { throw CLIFailure("no experiment named '\(ref)'") }
        return try store.getExperiment(id: ref)
    }
}
