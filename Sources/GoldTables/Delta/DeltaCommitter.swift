import Foundation

/// Atomic commit files: write a temporary file, then `link()` it to the version's name, which
/// fails if that version already exists. Never overwrites a committed version.
enum DeltaCommitter {
    /// Tries to commit `lines` as `version`. Returns false when the version already exists (a lost race).
    static func tryCommit(table: String, version: Int64, lines: [String]) throws -> Bool {
        let logDir = table + "/_delta_log"
        let finalName = DeltaLog.commitName(version)
        let tmp = logDir + "/.tmp-\(UUID().uuidString.lowercased()).json"
        var text = lines.joined(separator: "\n")
        text += "\n"
        let bytes = Array(text.utf8)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw DeltaError.io(table: table, file: tmp, message: "cannot create temporary commit file (errno \(errno))")
        }
        defer { unlink(tmp) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                write(fd, buf.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                close(fd)
                throw DeltaError.io(table: table, file: tmp, message: "write failed (errno \(errno))")
            }
            written += n
        }
        if fsync(fd) != 0 {
            close(fd)
            throw DeltaError.io(table: table, file: tmp, message: "fsync failed (errno \(errno))")
        }
        close(fd)
        if link(tmp, logDir + "/" + finalName) == 0 { return true }
        let e = errno
        if e == EEXIST { return false }
        throw DeltaError.io(table: table, file: "_delta_log/" + finalName, message: "cannot link the commit file (errno \(e))")
    }

    /// A JSON string literal.
    static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// A JSON object from already-encoded values, keys in the given order.
    static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    static func stringMap(_ m: [String: String]) -> String {
        object(m.sorted { $0.key < $1.key }.map { ($0.key, quote($0.value)) })
    }
}
