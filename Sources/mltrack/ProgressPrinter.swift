import Foundation
import Trainers

/// Prints training progress to standard error, one aligned line per iteration (iteration, loss,
/// elapsed seconds, the trainer's detail), so standard output stays clean for results.
enum ProgressPrinter {
    /// A handler for a trainer; `label` prefixes each line (e.g. "logistic", "als").
    static func handler(_ label: String, quiet: Bool = false) -> ProgressHandler? {
        if quiet { return nil }
        return { p in
            let loss = p.loss.map { String(format: "%.6g", $0) } ?? "-"
            let iter = String(format: "%3d", p.iteration), secs = String(format: "%7.2f", p.elapsed)
            let line = "\(label) iter \(iter)  loss \(loss.padding(toLength: 14, withPad: " ", startingAt: 0)) \(secs)s  \(p.detail)\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// A one-off status line on standard error (rows read, split sizes, …).
    static func status(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
