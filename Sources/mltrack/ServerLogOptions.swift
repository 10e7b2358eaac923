import ArgumentParser
import HTTPService
import Logging

/// The logging options `mltrack serve` and `mltrack server` share.
struct ServerLogOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(help: "Log format: text or json (one JSON object per line on standard error).")
    var logFormat = "text"

    @Flag(help: "No per-request log lines (for benchmarks); warnings and errors still go to standard error.")
    var quiet = false

    func validate() throws {
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(logLevel)').")
        }
        if ServerLogFormat(rawValue: logFormat) == nil { throw ValidationError("--log-format must be text or json (got '\(logFormat)').") }
    }

    /// The logger these options describe.
    func logger(label: String) -> Logger {
        ServerLogging.logger(label: label, format: ServerLogFormat(rawValue: logFormat) ?? .text,
                             level: Logger.Level(rawValue: logLevel) ?? .info, quiet: quiet)
    }
}
