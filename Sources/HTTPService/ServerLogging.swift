import Logging

/// How a server writes its log lines: `text` (swift-log's stream handler) or `json` (one
/// ``JSONLineLogHandler`` object per line), both on standard error.
///
/// ```swift
/// let logger = ServerLogging.logger(label: "mltrack.server", format: .json, level: .info, quiet: false)
/// ```
public enum ServerLogFormat: String, Sendable, CaseIterable {
    case text, json
}

/// Builds the logger of `mltrack serve` and `mltrack server`.
public enum ServerLogging {
    /// A logger writing `format` at `level`; `quiet` raises the level to `warning` so per-request
    /// lines are dropped (for benchmarks) while warnings and errors still show.
    public static func logger(label: String, format: ServerLogFormat, level: Logger.Level, quiet: Bool) -> Logger {
        var logger = Logger(label: label) { label -> any LogHandler in
            switch format {
            case .json: JSONLineLogHandler(label: label)
            case .text: StreamLogHandler.standardError(label: label)
            }
        }
        logger.logLevel = quiet ? max(level, .warning) : level
        return logger
    }
}
