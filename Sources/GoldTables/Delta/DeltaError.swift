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

/// Reads a whole file with POSIX calls (nil when it cannot be opened or read).
func deltaReadFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_size >= 0 else { return nil }
    var out = [UInt8](repeating: 0, count: Int(st.st_size))
    var got = 0
    while got < out.count {
        let n = out.withUnsafeMutableBytes { buf in read(fd, buf.baseAddress.map { $0 + got }, buf.count - got) }
        if n < 0 { if errno == EINTR { continue }; return nil }
        if n == 0 { break }
        got += n
    }
    if got < out.count { out.removeLast(out.count - got) }
    return out
}
