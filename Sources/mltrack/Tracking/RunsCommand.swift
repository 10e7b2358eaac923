import ArgumentParser
import Tracking

/// `mltrack runs …`: inspect, compare, search and administer runs.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show, compare, search, delete, restore and garbage-collect runs.",
        discussion: "RUN is a run's 32-character id.",
        subcommands: [RunsListCommand.self, RunsShowCommand.self, RunsCompareCommand.self, RunsSearchCommand.self,
                      RunsDeleteCommand.self, RunsRestoreCommand.self, RunsGCCommand.self, RunsReproduceCommand.self]
    )
}

/// Which experiments a run listing covers.
struct ExperimentSelection: ParsableArguments {
    @Option(name: .customLong("experiment"), help: "An experiment (name or id) to search. Repeatable (default: every experiment).")
    var experiments: [String] = []

    @Option(help: "Which runs: active, deleted or all.")
    var view: ViewOption = .active

    /// The experiment ids to search.
    func ids(in store: any TrackingStore) throws -> [String] {
        if experiments.isEmpty {
            return try cliErrors { try store.allExperiments(viewType: .all).map(\.experimentId) }
        }
        return try experiments.map { try resolveExperiment($0, in: store).experimentId }
    }
}

/// Prints a page of runs as a table (with the given metric columns) or as `runs/search`'s JSON.
func printRuns(_ page: Page<Run>, metricKeys: [String], options: TrackingOptions) throws {
    if options.json {
        try options.printJSON(TrackingJSON.RunsPage(runs: page.items, nextPageToken: page.nextPageToken))
        return
    }
    print(TrackingTables.runs(page.items, metricKeys: metricKeys), terminator: "")
    if let next = page.nextPageToken { print("more runs: --page-token \(next)") }
}
