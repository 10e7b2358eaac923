import Foundation
import GoldTables
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file streamed into a ``LocalArtifactStore`` chunk by chunk (the artifact proxy's PUT): the
/// bytes go to a hidden temporary file in the destination directory, hashed as they arrive;
/// ``LocalArtifactStore/commit(_:)`` renames it into place (readers see the old file or the new
/// one, never part of one) and ``abort()`` — or dropping the upload — removes it, leaving nothing.
///
/// ```swift
/// let upload = try store.beginUpload(at: "model/weights.bin")
/// try upload.write(chunk)          // as many times as needed
/// let file = try store.commit(upload)   // file.sha256, file.fileSize
/// ```
public final class ArtifactUpload: Sendable {
    /// The validated artifact path the file will have.
    public let path: String
    /// Where the bytes are written until the commit (`<dir>/.mltrack-tmp-<uuid>`).
    public let temporaryPath: String

    private struct State {
        var fd: Int32
        var size: Int64 = 0
        var sha = GoldSHA256()
        var finished = false
    }
    private let state: Mutex<State>

    init(path: String, temporaryPath: String) throws {
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ArtifactIO.failure(path, "cannot create a temporary file: \(ArtifactIO.errnoText())") }
        self.path = path
        self.temporaryPath = temporaryPath
        state = Mutex(State(fd: fd))
    }

    deinit { abort() }

    /// Bytes written so far.
    public var size: Int64 { state.withLock { $0.size } }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try state.withLock { s in
            guard !s.finished else { throw ArtifactIO.failure(path, "the upload is already finished") }
            try ArtifactIO.writeAll(s.fd, bytes, path: path)
            s.sha.update(bytes)
            s.size += Int64(bytes.count)
        }
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Fsyncs and closes the temporary file; returns its size and SHA-256.
    func finish() throws -> (Int64, String) {
        try state.withLock { s in
            guard !s.finished else { throw ArtifactIO.failure(path, "the upload is already finished") }
            s.finished = true
            let fd = s.fd
            s.fd = -1
            let synced = fsync(fd) == 0
            let e = errno
            close(fd)
            guard synced else {
                unlink(temporaryPath)
                throw ArtifactIO.failure(path, "fsync failed: \(ArtifactIO.errnoText(e))")
            }
            return (s.size, GoldSHA256.hex(s.sha.finalize()))
        }
    }

    /// Drops the upload: closes and removes the temporary file (nothing happens after a commit).
    public func abort() {
        state.withLock { s in
            guard !s.finished else { return }
            s.finished = true
            close(s.fd)
            s.fd = -1
            unlink(temporaryPath)
        }
    }
}

extension LocalArtifactStore {
    /// Starts a streamed write of the file at `path`: validates it, creates the parent
    /// directories (never through a symlink leading outside the root) and opens a temporary file
    /// next to the destination.
    public func beginUpload(at path: String) throws -> ArtifactUpload {
        let p = try ArtifactPath(path)
        guard let rootReal = try resolvedRoot(create: true) else { throw ArtifactIO.failure(path, "the artifact root is missing") }
        let loc = try locate(p, root: rootReal, createParents: true, followFinal: false)
        if Self.kind(loc.path) == S_IFDIR {
            throw TrackingError(.invalidParameterValue, "artifact path '\(p)': is a directory; delete it first to log a file there")
        }
        return try ArtifactUpload(path: p.description, temporaryPath: ArtifactIO.temporaryName(in: loc.parent))
    }

    /// Finishes `upload`: renames its file into place and records it in the manifest (under the
    /// manifest lock, so of concurrent writers of one path the last rename wins, whole).
    @discardableResult
    public func commit(_ upload: ArtifactUpload) throws -> ArtifactFile {
        let (size, hash) = try upload.finish()
        var moved = false
        defer { if !moved { unlink(upload.temporaryPath) } }
        return try write(at: upload.path) { tmp, label in
            // Same directory as the upload's file: a rename, no copy.
            guard rename(upload.temporaryPath, tmp) == 0 else {
                throw ArtifactIO.failure(label, "cannot move the uploaded file: \(ArtifactIO.errnoText())")
            }
            moved = true
            return (size, hash)
        }
    }

    /// The absolute path of the existing regular file at `path` (symlinks resolved, staying inside
    /// the root): `RESOURCE_DOES_NOT_EXIST` when nothing is there, `INVALID_PARAMETER_VALUE` for a
    /// directory.
    public func existingFile(_ path: String) throws -> String {
        let p = try ArtifactPath(path)
        guard let rootReal = try resolvedRoot(create: false) else {
            throw TrackingError(.resourceDoesNotExist, "artifact path '\(p)': does not exist")
        }
        let loc: Location
        do {
            loc = try locate(p, root: rootReal, createParents: false, followFinal: true, filesAsMissing: true)
        } catch let e as TrackingError where e.code == .resourceDoesNotExist {
            throw TrackingError(.resourceDoesNotExist, "artifact path '\(p)': does not exist")
        }
        guard loc.exists else { throw TrackingError(.resourceDoesNotExist, "artifact path '\(p)': does not exist") }
        var st = stat()
        guard stat(loc.path, &st) == 0 else { throw TrackingError(.resourceDoesNotExist, "artifact path '\(p)': does not exist") }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return loc.path
        case S_IFDIR: throw TrackingError(.invalidParameterValue, "artifact path '\(p)': is a directory")
        default: throw TrackingError(.invalidParameterValue, "artifact path '\(p)': is not a regular file")
        }
    }

    /// The resolved absolute path of directory `path` under the root (every existing component
    /// checked as ``ArtifactPath`` requires: no symlink leading outside). `create` makes it when
    /// missing; without it a missing path, or one that is not a directory, is nil.
    public func directory(_ path: String, create: Bool) throws -> String? {
        let p = try ArtifactPath(path, allowRoot: true)
        guard let rootReal = try resolvedRoot(create: create) else { return nil }
        if p.isRoot { return rootReal }
        let loc: Location
        do {
            loc = try locate(p, root: rootReal, createParents: create, followFinal: true, filesAsMissing: !create)
        } catch let e as TrackingError where e.code == .resourceDoesNotExist && !create {
            return nil
        }
        if !loc.exists {
            guard create else { return nil }
            if mkdir(loc.path, 0o755) != 0, errno != EEXIST {
                throw ArtifactIO.failure(path, "cannot create the directory: \(ArtifactIO.errnoText())")
            }
        }
        var st = stat()
        guard stat(loc.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            guard create else { return nil }
            throw TrackingError(.invalidParameterValue, "artifact path '\(p)': is a file, not a directory")
        }
        return loc.path
    }
}
