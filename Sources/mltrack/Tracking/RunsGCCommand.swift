import ArgumentParser
import Tracking

/// `mltrack runs gc`.
struct RunsGCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Mark RUNNING runs whose process died FAILED.",
        discussion: """
            A run started by `mltrack run` records its process id and host (tags mltrack.pid, mltrack.host). A \
            RUNNING run of this host whose process is gone is ended FAILED, tagged mltrack.error with the reason, \
            and its artifact directory swept of half-written temporaries. Runs of other hosts and runs logged by \
            other clients are left alone and listed as skipped.
            """
    )

    @OptionGroup var options: TrackingOptions

    func run() throws {
        let store = try options.openStore()
        let report = try cliErrors { try TrackingMaintenance.failDeadRuns(store: store) }
        if options.json {
            try options.printJSON(report)
            return
        }
        for e in report.failed { print("failed   \(e.runId)  \(e.reason)") }
        for e in report.skipped { print("skipped  \(e.runId)  \(e.reason)") }
        print("\(report.failed.count) run(s) marked FAILED, \(report.skipped.count) RUNNING run(s) left alone")
    }
}
