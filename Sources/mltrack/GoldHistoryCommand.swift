import ArgumentParser
import Foundation
import GoldTables

/// `mltrack gold history PATH`: the commits of a Delta table.
struct GoldHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Print a Delta table's versions: version, commit time (UTC), operation and parameters."
    )

    @Argument(help: "The Delta table folder.")
    var path: String

    @Option(help: "Show at most this many commits (newest first).")
    var limit: Int?

    func validate() throws {
        if let l = limit, l <= 0 { throw ValidationError("--limit must be > 0 (got \(l)).") }
    }

    func run() throws {
        let t = try GoldTable.open(path)
        var commits = try t.history().sorted { $0.version > $1.version }
        if let limit { commits = Array(commits.prefix(limit)) }
        var cells: [[String]] = [["version", "timestamp", "operation", "parameters"]]
        for c in commits {
            let micros = Int64((c.timestamp.timeIntervalSince1970 * 1000).rounded()) * 1000
            let params = c.operationParameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            cells.append([String(c.version), TableRenderer.text(.timestamp(micros, .microseconds, utc: true)),
                          c.operation ?? "-", params])
        }
        let widths = (0 ..< 4).map { i in cells.map { $0[i].count }.max() ?? 0 }
        var out = StdoutWriter()
        for row in cells {
            var line = ""
            for i in 0 ..< 4 {
                let s = row[i]
                line += i == 0 ? String(repeating: " ", count: widths[i] - s.count) + s : s + String(repeating: " ", count: widths[i] - s.count)
                if i < 3 { line += "  " }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out.write(line + "\n")
        }
        out.flush()
    }
}
