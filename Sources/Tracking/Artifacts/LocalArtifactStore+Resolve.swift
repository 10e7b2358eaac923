import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LocalArtifactStore {
    /// Where a validated path lands on disk: its (resolved) parent directory and its final name.
    struct Location {
        /// Resolved absolute directory holding the entry.
        var parent: String
        /// Absolute path of the entry (the symlink's target when the final symlink was followed).
        var path: String
        var exists: Bool
    }

    /// The root with every symlink resolved; nil when it does not exist (and `create` is false).
    func resolvedRoot(create: Bool) throws -> String? {
        if create {
            do {
                try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            } catch {
                throw ArtifactIO.failure("", "cannot create the artifact root \(root): \(error.localizedDescription)")
            }
        }
        guard let r = realpath(root, nil) else {
            if errno == ENOENT, !create { return nil }
            throw ArtifactIO.failure("", "cannot resolve the artifact root \(root): \(ArtifactIO.errnoText())")
        }
        defer { free(r) }
        return String(cString: r)
    }

    static func contained(_ path: String, in root: String) -> Bool {
        path == root || path.hasPrefix(root == "/" ? "/" : root + "/")
    }

    /// Walks `p` from the resolved root. Every existing component is checked: a symlink must
    /// resolve inside the root (and be a directory when not last), a file cannot be a parent.
    /// `createParents` makes missing parent directories; `followFinal` resolves a final symlink
    /// (reads) instead of addressing the link itself (writes and deletes replace the link).
    /// `filesAsMissing` answers "does not exist" for a path under a file (MLflow's listing).
    func locate(_ p: ArtifactPath, root rootReal: String, createParents: Bool, followFinal: Bool,
                filesAsMissing: Bool = false) throws -> Location {
        let text = p.description
        func fail(_ why: String) -> TrackingError {
            TrackingError(.invalidParameterValue, "artifact path '\(ArtifactPath.printable(text))': \(why)")
        }
        var current = rootReal
        for (i, comp) in p.components.enumerated() {
            let isLast = i == p.components.count - 1
            let shown = p.components[0 ... i].joined(separator: "/")
            let next = current + "/" + comp
            var st = stat()
            var attempts = 0
            while true {
                if lstat(next, &st) == 0 { break }
                let e = errno
                guard e == ENOENT else { throw ArtifactIO.failure(text, "cannot stat '\(shown)': \(ArtifactIO.errnoText(e))") }
                if isLast { return Location(parent: current, path: next, exists: false) }
                guard createParents else {
                    throw TrackingError(.resourceDoesNotExist, "artifact path '\(ArtifactPath.printable(text))': '\(shown)' does not exist")
                }
                if mkdir(next, 0o755) != 0, errno != EEXIST {
                    throw ArtifactIO.failure(text, "cannot create the directory '\(shown)': \(ArtifactIO.errnoText())")
                }
                attempts += 1
                if attempts > 3 { throw ArtifactIO.failure(text, "'\(shown)' keeps changing while it is created") }
            }
            switch st.st_mode & S_IFMT {
            case S_IFLNK:
                if isLast, !followFinal { return Location(parent: current, path: next, exists: true) }
                guard let r = realpath(next, nil) else {
                    throw fail("'\(shown)' is a symbolic link that does not resolve (\(ArtifactIO.errnoText()))")
                }
                let target = String(cString: r)
                free(r)
                guard Self.contained(target, in: rootReal) else {
                    throw fail("'\(shown)' is a symbolic link leading outside the run's artifact root")
                }
                var tst = stat()
                guard stat(target, &tst) == 0 else { throw ArtifactIO.failure(text, "cannot stat '\(shown)': \(ArtifactIO.errnoText())") }
                if isLast { return Location(parent: current, path: target, exists: true) }
                guard (tst.st_mode & S_IFMT) == S_IFDIR else {
                    if filesAsMissing { return Location(parent: current, path: next, exists: false) }
                    throw fail("'\(shown)' is a file, not a directory")
                }
                current = target
            case S_IFDIR:
                if isLast { return Location(parent: current, path: next, exists: true) }
                current = next
            default:
                if isLast { return Location(parent: current, path: next, exists: true) }
                if filesAsMissing { return Location(parent: current, path: next, exists: false) }
                throw fail("'\(shown)' is a file, not a directory")
            }
        }
        return Location(parent: rootReal, path: rootReal, exists: true)
    }

    /// The kind of what is at an absolute path (not following a final symlink).
    static func kind(_ path: String) -> mode_t? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return st.st_mode & S_IFMT
    }
}
