import Foundation
import GoldTables
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Size and SHA-256 of one file of a package, as listed in the manifest.
public struct FileChecksum: Sendable, Hashable, Codable {
    /// Path relative to the package root, `/`-separated.
    public var path: String
    public var bytes: Int
    /// Lowercase hex SHA-256 of the file's bytes.
    public var sha256: String

    public init(path: String, bytes: Int, sha256: String) {
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// Low-level file access for packages: durable writes (fsync) and bounded reads through POSIX
/// descriptors, with errors that name the file.
enum PackageFile {
    /// Writes `chunks` to a new file at `path` and fsyncs it; returns its size and SHA-256.
    static func write(_ path: String, chunks: [UnsafeRawBufferPointer]) throws -> (bytes: Int, sha256: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ModelPackageError(path: path, "cannot create the file: \(errnoText())") }
        defer { close(fd) }
        var sha = GoldSHA256()
        var total = 0
        for chunk in chunks {
            sha.update(chunk)
            var off = 0
            while off < chunk.count {
                guard let base = chunk.baseAddress else { break }
                let n = posixWrite(fd, base + off, min(chunk.count - off, 1 << 30))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ModelPackageError(path: path, "write failed: \(errnoText())")
                }
                off += n
            }
            total += chunk.count
        }
        guard fsync(fd) == 0 else { throw ModelPackageError(path: path, "fsync failed: \(errnoText())") }
        return (total, GoldSHA256.hex(sha.finalize()))
    }

    static func write(_ path: String, data: Data) throws -> (bytes: Int, sha256: String) {
        try data.withUnsafeBytes { try write(path, chunks: [$0]) }
    }

    /// Fsyncs a directory so the names created in it are durable.
    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ModelPackageError(path: path, "cannot open the directory to sync it: \(errnoText())") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw ModelPackageError(path: path, "fsync of the directory failed: \(errnoText())") }
    }

    /// A file opened for reading, with its size.
    struct Reader: ~Copyable {
        let path: String
        let fd: Int32
        let size: Int

        init(_ path: String) throws {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let e = errno
                throw ModelPackageError(path: path, e == ENOENT ? "file is missing" : "cannot open the file: \(errnoText(e))")
            }
            var st = stat()
            guard fstat(fd, &st) == 0 else {
                close(fd)
                throw ModelPackageError(path: path, "cannot stat the file: \(errnoText())")
            }
            guard (st.st_mode & S_IFMT) == S_IFREG else {
                close(fd)
                throw ModelPackageError(path: path, "is not a regular file")
            }
            self.path = path
            self.fd = fd
            self.size = Int(st.st_size)
        }

        deinit { close(fd) }

        /// Fills `buffer` from `offset`; throws if the file ends first.
        func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
            var done = 0
            while done < buffer.count {
                guard let base = buffer.baseAddress else { return }
                let n = pread(fd, base + done, min(buffer.count - done, 1 << 30), off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ModelPackageError(path: path, "read failed: \(errnoText())")
                }
                if n == 0 {
                    throw ModelPackageError(path: path, "file ended after \(offset + done) bytes (truncated)")
                }
                done += n
            }
        }

        func readBytes(count: Int, at offset: Int) throws -> [UInt8] {
            var out = [UInt8](repeating: 0, count: count)
            try out.withUnsafeMutableBytes { try read(into: $0, at: offset) }
            return out
        }
    }

    /// The whole file, refusing files larger than `limit` bytes (manifests and JSON state).
    static func readAll(_ path: String, limit: Int) throws -> Data {
        let r = try Reader(path)
        guard r.size <= limit else {
            throw ModelPackageError(path: path, "file is \(r.size) bytes, more than the \(limit) bytes allowed")
        }
        var data = Data(count: r.size)
        try data.withUnsafeMutableBytes { try r.read(into: $0, at: 0) }
        return data
    }

    static func sha256Hex(_ data: Data) -> String {
        var s = GoldSHA256()
        data.withUnsafeBytes { s.update($0) }
        return GoldSHA256.hex(s.finalize())
    }

    static func errnoText(_ e: Int32 = errno) -> String {
        String(cString: strerror(e))
    }
}

/// `write(2)` (named apart from ``PackageFile/write(_:chunks:)``).
private func posixWrite(_ fd: Int32, _ buf: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buf, n)
    #else
    Darwin.write(fd, buf, n)
    #endif
}
