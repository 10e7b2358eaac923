import ArgumentParser
import Tracking

/// `mltrack runs delete RUN…`.
struct RunsDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Mark runs deleted (reversible with restore; artifacts stay on disk)."
    )

    @OptionGroup var options: TrackingOptions

    @Argument(help: "One or more run ids.")
    var runs: [String]

    func validate() throws {
        if runs.isEmpty { throw ValidationError("Give at least one run id.") }
    }

    func run() throws {
        let store = try options.openStore()
        for id in runs {
            try cliErrors { try store.deleteRun(id: id) }
            if !options.json { print("deleted run \(id)") }
        }
        if options.json { try options.printJSON(["deleted": runs]) }
    }
}
