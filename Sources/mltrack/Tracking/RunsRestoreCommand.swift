import ArgumentParser
import Tracking

/// `mltrack runs restore RUN…`.
struct RunsRestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore deleted runs."
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
            try cliErrors { try store.restoreRun(id: id) }
            if !options.json { print("restored run \(id)") }
        }
        if options.json { try options.printJSON(["restored": runs]) }
    }
}
