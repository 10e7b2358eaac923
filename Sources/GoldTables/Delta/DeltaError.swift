import Foundation

/// An error reading or writing a Delta table. Every message names the table path and, where it
/// applies, the version and the file (and line) at fault.
public enum DeltaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The folder is not a Delta table (no `_delta_log`, or no commit in it).
    case notATable(table: String, message: String)
    /// A log file (commit, checkpoint, `_last_checkpoint`) is malformed; `line` is 1-based when known.
    case corruptLog(table: String, file: String, line: Int?, message: String)
    /// The requested version cannot be reconstructed (missing commit, gap, no such version).
    case versionUnavailable(table: String, version: Int64?, message: String)
    /// The table needs a reader feature or protocol version this reader does not support.
    case unsupportedFeature(table: String, version: Int64, message: String)
    /// A data file or deletion vector is missing or malformed.
    case dataFile(table: String, version: Int64, file: String, message: String)
    /// Another writer committed first and the change cannot be retried.
    case concurrentModification(table: String, version: Int64, message: String)
    /// A caller mistake (bad column name, mode, partition column, …).
    case invalidArgument(table: String, message: String)
    /// An I/O failure.
    case io(table: String, file: String, message: String)

    public var description: String {
        switch self {
        case .notATable(let t, let m): return "Delta table \(t): not a Delta table: \(m)"
        case .corruptLog(let t, let f, let line, let m):
            let at = line.map { "\(f):\($0)" } ?? f
            return "Delta table \(t): corrupt log file \(at): \(m)"
        case .versionUnavailable(let t, let v, let m):
            return "Delta table \(t)\(v.map { " version \($0)" } ?? ""): \(m)"
        case .unsupportedFeature(let t, let v, let m): return "Delta table \(t) version \(v): unsupported: \(m)"
        case .dataFile(let t, let v, let f, let m): return "Delta table \(t) version \(v): data file \(f): \(m)"
        case .concurrentModification(let t, let v, let m):
            return "Delta table \(t): concurrent modification at version \(v): \(m)"
        case .invalidArgument(let t, let m): return "Delta table \(t): \(m)"
        case .io(let t, let f, let m): return "Delta table \(t): \(f): \(m)"
        }
    }
}
