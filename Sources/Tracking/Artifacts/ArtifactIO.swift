import Foundation
import GoldTables
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX file work for ``LocalArtifactStore``: copies that hash while they write, fsync of files
/// and directories, the manifest lock. Errors are ``TrackingError``s naming the path.
enum ArtifactIO {
    static let chunk = 1 << 20

    static func errnoText(_ e: Int32 = errno) -> String { String(cString: strerror(e)) }

    static func failure(_ path: String, _ why: String) -> TrackingError {
        TrackingError(.internalError, "artifact path '\(ArtifactPath.printable(path))': \(why)")
    }

    static func sourceFailure(_ source: String, _ why: String) -> TrackingError {
        TrackingError(.invalidParameterValue, "source '\(ArtifactPath.printable(source))': \(why)")
    }

    /// A fresh hidden name in a directory: `.mltrack-tmp-<uuid>`.
    static func temporaryName(in dir: String, _ kind: String = "tmp") -> String {
        dir + "/" + ArtifactPath.reservedPrefix + kind + "-" + UUID().uuidString.lowercased()
    }

    /// Writes everything in `buffer` to `fd`.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        var off = 0
        while off < buffer.count {
            guard let base = buffer.baseAddress else { return }
            let n = systemWrite(fd, base + off, buffer.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(path, "write failed: \(errnoText())")
            }
            off += n
        }
    }

    /// Creates `destination` (which must not exist), fills it from the file at `source` and fsyncs
    /// it; returns the bytes written and their SHA-256. On any error `destination` is removed.
    static func copyFile(from source: String, toNew destination: String, label: String) throws -> (Int64, String) {
        let src = open(source, O_RDONLY | O_CLOEXEC)
        guard src >= 0 else { throw sourceFailure(source, "cannot open: \(errnoText())") }
        defer { close(src) }
        var st = stat()
        guard fstat(src, &st) == 0 else { throw sourceFailure(source, "cannot stat: \(errnoText())") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw sourceFailure(source, "is not a regular file") }
        return try writeNew(destination, label: label) { fd, sha in
            var total: Int64 = 0
            var buffer = [UInt8](repeating: 0, count: chunk)
            while true {
                let n = buffer.withUnsafeMutableBytes { b in read(src, b.baseAddress, b.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw sourceFailure(source, "read failed after \(total) bytes: \(errnoText())")
                }
                if n == 0 { break }
                try buffer.withUnsafeBytes { b in
                    let part = UnsafeRawBufferPointer(rebasing: b[0 ..< n])
                    sha.update(part)
                    try writeAll(fd, part, path: label)
                }
                total += Int64(n)
            }
            return total
        }
    }

    /// Creates `destination` with `data`, fsynced; returns size and SHA-256.
    static func writeData(_ data: Data, toNew destination: String, label: String) throws -> (Int64, String) {
        try writeNew(destination, label: label) { fd, sha in
            try data.withUnsafeBytes { b in
                sha.update(b)
                try writeAll(fd, b, path: label)
            }
            return Int64(data.count)
        }
    }

    private static func writeNew(_ destination: String, label: String,
                                 _ fill: (Int32, inout GoldSHA256) throws -> Int64) throws -> (Int64, String) {
        let fd = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(label, "cannot create a temporary file: \(errnoText())") }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(destination) }
        }
        var sha = GoldSHA256()
        let total = try fill(fd, &sha)
        guard fsync(fd) == 0 else { throw failure(label, "fsync failed: \(errnoText())") }
        ok = true
        return (total, GoldSHA256.hex(sha.finalize()))
    }

    /// Fsyncs a directory so the names created or renamed in it are durable.
    static func syncDirectory(_ path: String, label: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(label, "cannot open a directory to sync it: \(errnoText())") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(label, "fsync of a directory failed: \(errnoText())") }
    }

    /// Copies the tree at `source` into the existing empty directory `destination`; `prefix` is
    /// the artifact path of `destination` (for the returned entries and error messages). Only
    /// regular files and directories are copied; anything else (a symlink, a FIFO) is an error.
    static func copyTree(from source: String, into destination: String, prefix: String) throws -> [ArtifactFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: source)
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        } catch {
            throw sourceFailure(source, "cannot list the directory: \(error.localizedDescription)")
        }
        var out: [ArtifactFile] = []
        // The store's own names (a writer's temporary file, a manifest) are never artifacts.
        for name in names where !name.hasPrefix(ArtifactPath.reservedPrefix) {
            let rel = prefix.isEmpty ? name : prefix + "/" + name
            _ = try ArtifactPath(rel)
            let s = source + "/" + name, d = destination + "/" + name
            var st = stat()
            guard lstat(s, &st) == 0 else { throw sourceFailure(s, "cannot stat: \(errnoText())") }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                let (size, hash) = try copyFile(from: s, toNew: d, label: rel)
                out.append(ArtifactFile(path: rel, fileSize: size, sha256: hash))
            case S_IFDIR:
                guard mkdir(d, 0o755) == 0 else { throw failure(rel, "cannot create a directory: \(errnoText())") }
                out += try copyTree(from: s, into: d, prefix: rel)
            case S_IFLNK:
                throw sourceFailure(s, "is a symbolic link; only regular files and directories are logged")
            default:
                throw sourceFailure(s, "is not a regular file or directory")
            }
        }
        try syncDirectory(destination, label: prefix)
        return out
    }

    /// Runs `body` holding an exclusive `flock` on `lockPath` (between processes and threads: each
    /// call opens its own descriptor).
    static func withLock<T>(_ lockPath: String, label: String, _ body: () throws -> T) throws -> T {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(label, "cannot open the manifest lock: \(errnoText())") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw failure(label, "cannot lock the manifest: \(errnoText())")
        }
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }
}

/// `write(2)` (named apart from the Swift overloads above).
private func systemWrite(_ fd: Int32, _ buf: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buf, n)
    #else
    return Darwin.write(fd, buf, n)
    #endif
}
