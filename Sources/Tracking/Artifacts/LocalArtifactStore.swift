import Foundation
import GoldTables
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run's artifacts as local files under one directory, `root` (the run's artifact root).
///
/// Layout under a tracking directory: `<artifact root>/<experiment_id>/<run_id>/artifacts/<path>`
/// (``init(artifactRoot:experimentID:runID:)``), the same relative layout MLflow's artifact proxy
/// uses, so the run's proxied URI is ``proxyURI(experimentID:runID:)``
/// (`mlflow-artifacts:/<exp>/<run>/artifacts`) and its local one ``uri`` (`file:///abs/…/artifacts`).
///
/// Every write goes to a hidden temporary name (`.mltrack-tmp-<uuid>`) in the destination
/// directory, is fsynced and renamed into place (a directory is built as a temporary sibling and
/// renamed), so a crash never leaves a partial artifact under its final name. The SHA-256 of each
/// file is computed while it is written and kept in `.mltrack-manifest.json` at the root, which
/// is rewritten atomically under an `flock` together with the rename (so concurrent writers of
/// one path leave the manifest agreeing with the file that won). Names starting `.mltrack-` are
/// the store's own and never listed.
///
/// ```swift
/// let store = try LocalArtifactStore(artifactRoot: "mltrack/artifacts", experimentID: "1", runID: runID)
/// let f = try store.log(data: Data("a,b\n".utf8), at: "tables/drivers.csv")
/// try store.list(path: "tables")     // [FileInfo(path: "tables/drivers.csv", isDir: false, fileSize: 4)]
/// try store.manifest().file("tables/drivers.csv")?.sha256 == f.sha256
/// ```
public struct LocalArtifactStore: ArtifactStore {
    /// Absolute path of the run's artifact root (need not exist until the first write).
    public let root: String

    static let manifestName = ArtifactPath.reservedPrefix + "manifest.json"
    static let lockName = ArtifactPath.reservedPrefix + "manifest.lock"

    /// A store over `root`: a directory path (relative ones resolve against the current
    /// directory) or a `file://` URI.
    public init(root: String) throws {
        var path = root
        if root.hasPrefix("file:") {
            guard let u = URL(string: root), u.isFileURL else {
                throw TrackingError(.invalidParameterValue, "artifact root '\(root)': not a valid file URI")
            }
            path = u.path
        } else if let scheme = root.range(of: "://"), root[..<scheme.lowerBound].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) {
            throw TrackingError(.invalidParameterValue, "artifact root '\(root)': only local paths and file:// URIs are supported by the local store")
        }
        guard !path.isEmpty, !path.utf8.contains(0) else {
            throw TrackingError(.invalidParameterValue, "artifact root '\(ArtifactPath.printable(root))': empty or contains NUL")
        }
        if !path.hasPrefix("/") { path = FileManager.default.currentDirectoryPath + "/" + path }
        self.root = URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The store of run `runID` of experiment `experimentID` under a tracking artifact root:
    /// `<artifactRoot>/<experimentID>/<runID>/artifacts`. The ids must be single path components.
    public init(artifactRoot: String, experimentID: String, runID: String) throws {
        let rel = try Self.runRelativePath(experimentID: experimentID, runID: runID)
        let base = try LocalArtifactStore(root: artifactRoot)
        try self.init(root: base.root + "/" + rel)
    }

    /// `<experimentID>/<runID>/artifacts`, validating both ids as path components.
    public static func runRelativePath(experimentID: String, runID: String) throws -> String {
        for (name, id) in [("experiment id", experimentID), ("run id", runID)] {
            guard (try? ArtifactPath(id))?.components.count == 1 else {
                throw TrackingError(.invalidParameterValue, "\(name) '\(ArtifactPath.printable(id))' cannot name an artifact directory")
            }
        }
        return "\(experimentID)/\(runID)/artifacts"
    }

    /// The run's artifact URI as MLflow's artifact proxy spells it.
    public static func proxyURI(experimentID: String, runID: String) -> String {
        "mlflow-artifacts:/\(experimentID)/\(runID)/artifacts"
    }

    /// `file:///abs/path/of/root`.
    public var uri: String { URL(fileURLWithPath: root, isDirectory: false).absoluteString }

    // MARK: Writing

    @discardableResult
    public func log(file: String, at path: String) throws -> ArtifactFile {
        try write(at: path) { tmp, label in try ArtifactIO.copyFile(from: file, toNew: tmp, label: label) }
    }

    @discardableResult
    public func log(data: Data, at path: String) throws -> ArtifactFile {
        try write(at: path) { tmp, label in try ArtifactIO.writeData(data, toNew: tmp, label: label) }
    }

    /// Writes a file through `fill` into a temporary name next to the destination, then renames it
    /// into place and records it in the manifest, both under the manifest lock.
    func write(at path: String, _ fill: (String, String) throws -> (Int64, String)) throws -> ArtifactFile {
        let p = try ArtifactPath(path)
        let rootReal = try resolvedRoot(create: true)
        guard let rootReal else { throw ArtifactIO.failure(path, "the artifact root is missing") }
        let loc = try locate(p, root: rootReal, createParents: true, followFinal: false)
        let tmp = ArtifactIO.temporaryName(in: loc.parent)
        let (size, hash) = try fill(tmp, p.description)
        var renamed = false
        defer { if !renamed { unlink(tmp) } }
        let entry = ArtifactFile(path: p.description, fileSize: size, sha256: hash)
        try ArtifactIO.withLock(rootReal + "/" + Self.lockName, label: p.description) {
            if Self.kind(loc.path) == S_IFDIR {
                throw TrackingError(.invalidParameterValue, "artifact path '\(p)': is a directory; delete it first to log a file there")
            }
            guard rename(tmp, loc.path) == 0 else {
                throw ArtifactIO.failure(p.description, "cannot rename the file into place: \(ArtifactIO.errnoText())")
            }
            renamed = true
            try ArtifactIO.syncDirectory(loc.parent, label: p.description)
            try updateManifest(rootReal) { m in
                m.remove(under: p.description)
                m.upsert([entry])
            }
        }
        return entry
    }

    @discardableResult
    public func log(directory: String, at path: String) throws -> [ArtifactFile] {
        let p = try ArtifactPath(path, allowRoot: true)
        guard Self.kind(directory) == S_IFDIR || (Self.kind(directory) == S_IFLNK && isDirectory(following: directory)) else {
            throw ArtifactIO.sourceFailure(directory, "is not a directory")
        }
        if p.isRoot {
            // The root itself cannot be renamed into place: each top-level entry is its own
            // atomic artifact.
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory)
                    .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            } catch {
                throw ArtifactIO.sourceFailure(directory, "cannot list the directory: \(error.localizedDescription)")
            }
            var out: [ArtifactFile] = []
            for name in names {
                let s = directory + "/" + name
                switch Self.kind(s) {
                case S_IFDIR: out += try log(directory: s, at: name)
                case S_IFREG: out.append(try log(file: s, at: name))
                default: throw ArtifactIO.sourceFailure(s, "is not a regular file or directory")
                }
            }
            return out.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        }
        let rootReal = try resolvedRoot(create: true)
        guard let rootReal else { throw ArtifactIO.failure(path, "the artifact root is missing") }
        let loc = try locate(p, root: rootReal, createParents: true, followFinal: false)
        let tmp = ArtifactIO.temporaryName(in: loc.parent)
        guard mkdir(tmp, 0o755) == 0 else {
            throw ArtifactIO.failure(p.description, "cannot create a temporary directory: \(ArtifactIO.errnoText())")
        }
        var placed = false
        defer { if !placed { try? FileManager.default.removeItem(atPath: tmp) } }
        let files = try ArtifactIO.copyTree(from: directory, into: tmp, prefix: p.description)
        var aside: String?
        try ArtifactIO.withLock(rootReal + "/" + Self.lockName, label: p.description) {
            switch Self.kind(loc.path) {
            case nil: break
            case S_IFDIR?:
                let old = ArtifactIO.temporaryName(in: loc.parent, "old")
                guard rename(loc.path, old) == 0 else {
                    throw ArtifactIO.failure(p.description, "cannot move the existing directory aside: \(ArtifactIO.errnoText())")
                }
                aside = old
            default:
                throw TrackingError(.invalidParameterValue, "artifact path '\(p)': is a file; delete it first to log a directory there")
            }
            guard rename(tmp, loc.path) == 0 else {
                let e = errno
                if let aside { _ = rename(aside, loc.path) }
                throw ArtifactIO.failure(p.description, "cannot rename the directory into place: \(ArtifactIO.errnoText(e))")
            }
            placed = true
            try ArtifactIO.syncDirectory(loc.parent, label: p.description)
            try updateManifest(rootReal) { m in
                m.remove(under: p.description)
                m.upsert(files)
            }
        }
        if let aside { try? FileManager.default.removeItem(atPath: aside) }
        return files
    }

    private func isDirectory(following path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    // MARK: Reading

    public func list(path: String = "") throws -> [FileInfo] {
        let p = try ArtifactPath(path, allowRoot: true)
        guard let rootReal = try resolvedRoot(create: false) else { return [] }
        let loc: Location
        do {
            loc = try locate(p, root: rootReal, createParents: false, followFinal: true, filesAsMissing: true)
        } catch let e as TrackingError where e.code == .resourceDoesNotExist {
            return []
        }
        guard loc.exists, isDirectory(following: loc.path) else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: loc.path)
        } catch {
            throw ArtifactIO.failure(path, "cannot list the directory: \(error.localizedDescription)")
        }
        var out: [FileInfo] = []
        for name in names where !name.hasPrefix(ArtifactPath.reservedPrefix) {
            let full = loc.path + "/" + name
            let rel = p.isRoot ? name : p.description + "/" + name
            var target = full
            if Self.kind(full) == S_IFLNK {
                // A link is listed as what it points to, and only when that stays inside the root.
                guard let r = realpath(full, nil) else { continue }
                target = String(cString: r)
                free(r)
                guard Self.contained(target, in: rootReal) else { continue }
            }
            var st = stat()
            guard stat(target, &st) == 0 else { continue }
            let isDir = (st.st_mode & S_IFMT) == S_IFDIR
            out.append(FileInfo(path: rel, isDir: isDir, fileSize: isDir ? nil : Int64(st.st_size)))
        }
        return out.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// The existing file or directory at `p`, resolved and checked.
    private func existing(_ path: String) throws -> (ArtifactPath, Location) {
        let p = try ArtifactPath(path)
        guard let rootReal = try resolvedRoot(create: false) else {
            throw TrackingError(.resourceDoesNotExist, "artifact path '\(p)': does not exist (the run has no artifacts)")
        }
        let loc = try locate(p, root: rootReal, createParents: false, followFinal: true)
        guard loc.exists else { throw TrackingError(.resourceDoesNotExist, "artifact path '\(p)': does not exist") }
        return (p, loc)
    }

    public func read(path: String) throws -> Data {
        let (p, loc) = try existing(path)
        guard !isDirectory(following: loc.path) else {
            throw TrackingError(.invalidParameterValue, "artifact path '\(p)': is a directory")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: loc.path))
        } catch {
            throw ArtifactIO.failure(p.description, "cannot read: \(error.localizedDescription)")
        }
    }

    public func download(path: String, to destination: String) throws {
        let (p, loc): (ArtifactPath, Location)
        if path.isEmpty {
            guard let rootReal = try resolvedRoot(create: false) else {
                throw TrackingError(.resourceDoesNotExist, "artifact path '': does not exist (the run has no artifacts)")
            }
            (p, loc) = (try ArtifactPath("", allowRoot: true), Location(parent: rootReal, path: rootReal, exists: true))
        } else {
            (p, loc) = try existing(path)
        }
        let destURL = URL(fileURLWithPath: destination)
        let parent = destURL.deletingLastPathComponent().path
        guard Self.kind(destination) == nil else {
            throw TrackingError(.invalidParameterValue, "download destination '\(destination)': already exists")
        }
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw TrackingError(.invalidParameterValue, "download destination '\(destination)': cannot create its directory: \(error.localizedDescription)")
        }
        let tmp = ArtifactIO.temporaryName(in: parent)
        var placed = false
        defer { if !placed { try? FileManager.default.removeItem(atPath: tmp) } }
        if isDirectory(following: loc.path) {
            guard mkdir(tmp, 0o755) == 0 else {
                throw TrackingError(.invalidParameterValue, "download destination '\(destination)': cannot create a directory: \(ArtifactIO.errnoText())")
            }
            _ = try ArtifactIO.copyTree(from: loc.path, into: tmp, prefix: p.description)
        } else {
            _ = try ArtifactIO.copyFile(from: loc.path, toNew: tmp, label: p.description)
        }
        // link(2)-free no-clobber: refuse if something appeared meanwhile, then rename.
        guard Self.kind(destination) == nil, rename(tmp, destination) == 0 else {
            throw TrackingError(.invalidParameterValue, "download destination '\(destination)': cannot move the copy into place: \(ArtifactIO.errnoText())")
        }
        placed = true
    }

    public func manifest() throws -> ArtifactManifest {
        guard let rootReal = try resolvedRoot(create: false) else { return ArtifactManifest() }
        return try readManifest(rootReal)
    }

    /// Re-hashes every file the manifest lists and walks the tree: returns the paths whose bytes
    /// are missing or differ from the manifest, and files present but not listed (sorted; empty
    /// when the artifacts are exactly what was logged).
    public func verify() throws -> [String] {
        guard let rootReal = try resolvedRoot(create: false) else { return [] }
        let m = try readManifest(rootReal)
        var problems: [String] = []
        var listed = Set<String>()
        for f in m.files {
            listed.insert(f.path)
            let full = rootReal + "/" + f.path
            guard Self.kind(full) == S_IFREG else { problems.append(f.path); continue }
            let h = try? GoldSHA256.hexDigest(ofFile: full)
            if h != f.sha256 { problems.append(f.path) }
        }
        func walk(_ dir: String, _ prefix: String) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            for n in names where !n.hasPrefix(ArtifactPath.reservedPrefix) {
                let rel = prefix.isEmpty ? n : prefix + "/" + n
                switch Self.kind(dir + "/" + n) {
                case S_IFDIR?: walk(dir + "/" + n, rel)
                default: if !listed.contains(rel) { problems.append(rel) }
                }
            }
        }
        walk(rootReal, "")
        return problems.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    // MARK: Deleting

    @discardableResult
    public func delete(path: String) throws -> Bool {
        let p = try ArtifactPath(path, allowRoot: true)
        guard let rootReal = try resolvedRoot(create: false) else { return false }
        var doomed: [String] = []
        try ArtifactIO.withLock(rootReal + "/" + Self.lockName, label: p.description) {
            var targets: [(parent: String, path: String)] = []
            if p.isRoot {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: rootReal)) ?? []
                for n in names where !n.hasPrefix(ArtifactPath.reservedPrefix) { targets.append((rootReal, rootReal + "/" + n)) }
            } else {
                let loc: Location
                do {
                    loc = try locate(p, root: rootReal, createParents: false, followFinal: false)
                } catch let e as TrackingError where e.code == .resourceDoesNotExist {
                    return
                }
                if loc.exists { targets.append((loc.parent, loc.path)) }
            }
            // Renamed away first, so the name disappears at once and no half-deleted tree is visible.
            for t in targets {
                let gone = ArtifactIO.temporaryName(in: t.parent, "del")
                guard rename(t.path, gone) == 0 else {
                    throw ArtifactIO.failure(p.description, "cannot remove: \(ArtifactIO.errnoText())")
                }
                doomed.append(gone)
            }
            if !targets.isEmpty {
                for parent in Set(targets.map(\.parent)) { try ArtifactIO.syncDirectory(parent, label: p.description) }
            }
            try updateManifest(rootReal) { $0.remove(under: p.description) }
        }
        for d in doomed { try? FileManager.default.removeItem(atPath: d) }
        return !doomed.isEmpty
    }

    /// Removes leftover temporary files and directories (`.mltrack-tmp-*`, `-old-*`, `-del-*`)
    /// of writers that died; call it only when no writer of this run is alive (`mltrack runs gc`).
    /// Returns how many were removed.
    @discardableResult
    public func removeStaleTemporaries() throws -> Int {
        guard let rootReal = try resolvedRoot(create: false) else { return 0 }
        var removed = 0
        func sweep(_ dir: String) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            for n in names {
                let full = dir + "/" + n
                if n.hasPrefix(ArtifactPath.reservedPrefix), n != Self.manifestName, n != Self.lockName {
                    if (try? FileManager.default.removeItem(atPath: full)) != nil { removed += 1 }
                } else if Self.kind(full) == S_IFDIR {
                    sweep(full)
                }
            }
        }
        sweep(rootReal)
        return removed
    }

    // MARK: Manifest

    private func readManifest(_ rootReal: String) throws -> ArtifactManifest {
        let path = rootReal + "/" + Self.manifestName
        guard Self.kind(path) != nil else { return ArtifactManifest() }
        do {
            return try JSONDecoder().decode(ArtifactManifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw TrackingError(.internalError, "artifact manifest \(path): cannot be read: \(error)")
        }
    }

    /// Read, change, write to a temporary name, fsync, rename: callers hold the manifest lock.
    private func updateManifest(_ rootReal: String, _ change: (inout ArtifactManifest) -> Void) throws {
        var m = try readManifest(rootReal)
        change(&m)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(m) } catch {
            throw TrackingError(.internalError, "artifact manifest: cannot encode: \(error)")
        }
        let tmp = ArtifactIO.temporaryName(in: rootReal)
        _ = try ArtifactIO.writeData(data, toNew: tmp, label: Self.manifestName)
        guard rename(tmp, rootReal + "/" + Self.manifestName) == 0 else {
            unlink(tmp)
            throw ArtifactIO.failure(Self.manifestName, "cannot rename the manifest into place: \(ArtifactIO.errnoText())")
        }
        try ArtifactIO.syncDirectory(rootReal, label: Self.manifestName)
    }
}
