import Foundation

/// A checkpoint found in `_delta_log`.
struct CheckpointCandidate: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// `N.checkpoint.parquet` (may still be V2 spec inside).
        case classic(String)
        /// All parts of `N.checkpoint.o.p.parquet`, in order; `total` = p.
        case multiPart([String], total: Int)
        /// `N.checkpoint.<uuid>.json|parquet`.
        case v2(String)
    }
    var version: Int64
    var kind: Kind

    var isComplete: Bool {
        if case .multiPart(let parts, let total) = kind { return parts.count == total }
        return true
    }

    /// Preference among checkpoints of one version: v2, then classic, then multi-part.
    var rank: Int {
        switch kind {
        case .v2: 3
        case .classic: 2
        case .multiPart: 1
        }
    }
}

/// A listing of `_delta_log`.
struct LogListing: Sendable {
    /// version → commit file name.
    var commits: [Int64: String] = [:]
    /// version → mtime in ms.
    var commitMTimes: [Int64: Int64] = [:]
    var checkpoints: [CheckpointCandidate] = []

    var latestCommit: Int64? { commits.keys.max() }
    var sortedCommitVersions: [Int64] { commits.keys.sorted() }
}

/// Reading `_delta_log`: listing, checkpoint choice, replay.
struct DeltaLog: Sendable {
    let table: String
    var logDir: String { table + "/_delta_log" }

    static func isDigits(_ s: Substring, count: Int) -> Bool {
        s.utf8.count == count && s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    func list() throws -> LogListing {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: logDir, isDirectory: &isDir), isDir.boolValue else {
            throw DeltaError.notATable(table: table, message: "no _delta_log folder")
        }
        let names: [String]
        do {
            names = try fm.contentsOfDirectory(atPath: logDir)
        } catch {
            throw DeltaError.io(table: table, file: logDir, message: "cannot list: \(error.localizedDescription)")
        }
        var out = LogListing()
        var multi: [Int64: (parts: [Int: String], total: Int)] = [:]
        for name in names where !name.hasPrefix(".") {
            let comps = name.split(separator: ".", omittingEmptySubsequences: false)
            guard let first = comps.first, Self.isDigits(first, count: 20) else { continue }
            // Versions are Int64 and every version needs a successor (checkpoint + 1, commit + 1).
            guard let v = Int64(first), v < Int64.max else {
                throw DeltaError.corruptLog(table: table, file: "_delta_log/" + name, line: nil,
                                            message: "version \(first) is out of range (at most \(Int64.max - 1))")
            }
            if comps.count == 2 && comps[1] == "json" {
                out.commits[v] = name
                var st = stat()
                if stat(logDir + "/" + name, &st) == 0 {
                    out.commitMTimes[v] = Int64(st.st_mtim.tv_sec) * 1000 + Int64(st.st_mtim.tv_nsec) / 1_000_000
                }
            } else if comps.count >= 3 && comps[1] == "checkpoint" {
                if comps.count == 3 && comps[2] == "parquet" {
                    out.checkpoints.append(CheckpointCandidate(version: v, kind: .classic(name)))
                } else if comps.count == 5 && comps[4] == "parquet" && Self.isDigits(comps[2], count: 10) && Self.isDigits(comps[3], count: 10),
                          let o = Int(comps[2]), let p = Int(comps[3]), o >= 1, o <= p {
                    var e = multi[v] ?? (parts: [:], total: p)
                    if e.total == p { e.parts[o] = name }
                    multi[v] = e
                } else if comps.count == 4 && (comps[3] == "json" || comps[3] == "parquet") {
                    out.checkpoints.append(CheckpointCandidate(version: v, kind: .v2(name)))
                }
            }
        }
        for (v, e) in multi {
            let parts = (1 ... e.total).compactMap { e.parts[$0] }
            out.checkpoints.append(CheckpointCandidate(version: v, kind: .multiPart(parts, total: e.total)))
        }
        out.checkpoints.sort { ($0.version, $0.rank) > ($1.version, $1.rank) }
        return out
    }

    func readFile(_ name: String) throws -> [UInt8] {
        guard let d = deltaReadFile(logDir + "/" + name) else {
            throw DeltaError.io(table: table, file: "_delta_log/" + name, message: "cannot read the file")
        }
        return d
    }

    func commitActions(_ version: Int64, listing: LogListing) throws -> [DeltaAction] {
        guard let name = listing.commits[version] else {
            throw DeltaError.versionUnavailable(table: table, version: version, message: "commit file \(Self.commitName(version)) is missing")
        }
        return try ActionParser.parseLines(try readFile(name), table: table, file: "_delta_log/" + name)
    }

    static func commitName(_ v: Int64) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, 20 - s.count)) + s + ".json"
    }

    /// The replayed state at a version.
    struct State {
        var version: Int64
        var protocolAction: DeltaProtocol?
        var metadata: DeltaMetadata?
        var files: [String: DeltaFile] = [:]
        var order: [String] = []
        var txns: [String: Int64] = [:]
        var inCommitTimestamp: Int64?

        mutating func apply(_ a: DeltaAction) {
            switch a {
            case .add(let f):
                let k = f.key
                if files.updateValue(f, forKey: k) == nil { order.append(k) }
            case .remove(let path, let dvId):
                files.removeValue(forKey: path + "\u{0}" + dvId)
            case .metaData(let m): metadata = m
            case .protocolAction(let p): protocolAction = p
            case .txn(let app, let v): txns[app] = v
            case .commitInfo, .checkpointMetadata, .sidecar, .other: break
            }
        }

        var liveFiles: [DeltaFile] { order.compactMap { files[$0] } }
    }

    /// Replays the log up to `version` (nil = latest).
    func replay(version: Int64?, listing: LogListing) throws -> State {
        guard let latest = listing.latestCommit else {
            if let cp = listing.checkpoints.first, version == nil || version == cp.version {
                // Only a checkpoint survives (commits cleaned up): use it.
                var st = State(version: cp.version)
                for a in try checkpointActions(cp) { st.apply(a) }
                return st
            }
            throw DeltaError.notATable(table: table, message: "no commit files in _delta_log")
        }
        let target = version ?? latest
        guard target >= 0 else { throw DeltaError.versionUnavailable(table: table, version: target, message: "versions start at 0") }
        guard target <= latest || listing.checkpoints.contains(where: { $0.version == target }) else {
            throw DeltaError.versionUnavailable(table: table, version: target, message: "the latest version is \(latest)")
        }
        // Candidates ≤ target, newest first. The listing is authoritative: `_last_checkpoint` is only
        // a hint for stores where listing is costly, so a stale or corrupt one cannot mislead us.
        var lastError: Error?
        for cp in listing.checkpoints where cp.version <= target && cp.isComplete {
            guard commitsContiguous(from: cp.version + 1, to: target, listing: listing) else { continue }
            do {
                var st = State(version: target)
                for a in try checkpointActions(cp) { st.apply(a) }
                try replayCommits(from: cp.version + 1, to: target, into: &st, listing: listing)
                return st
            } catch let e as DeltaError {
                if case .corruptLog = e { throw e }
                lastError = e
                continue
            }
        }
        if commitsContiguous(from: 0, to: target, listing: listing) {
            var st = State(version: target)
            try replayCommits(from: 0, to: target, into: &st, listing: listing)
            return st
        }
        if let e = lastError { throw e }
        let missing = (0 ... target).first { listing.commits[$0] == nil } ?? 0
        throw DeltaError.versionUnavailable(
            table: table, version: target,
            message: "cannot reconstruct: commit \(Self.commitName(missing)) is missing and no complete checkpoint covers it")
    }

    func commitsContiguous(from: Int64, to: Int64, listing: LogListing) -> Bool {
        if from > to { return true }
        var v = from
        while v <= to {
            if listing.commits[v] == nil { return false }
            v += 1
        }
        return true
    }

    func replayCommits(from: Int64, to: Int64, into st: inout State, listing: LogListing) throws {
        guard from <= to else { return }
        for v in from ... to {
            for a in try commitActions(v, listing: listing) {
                if case .commitInfo(let ci) = a, v == to { st.inCommitTimestamp = ci.inCommitTimestamp }
                st.apply(a)
            }
        }
    }

    /// All actions of a checkpoint (sidecars included).
    func checkpointActions(_ cp: CheckpointCandidate) throws -> [DeltaAction] {
        var actions: [DeltaAction] = []
        switch cp.kind {
        case .classic(let name):
            actions = try DeltaCheckpointReader.read(path: logDir + "/" + name, table: table, file: "_delta_log/" + name)
        case .multiPart(let parts, _):
            for name in parts {
                actions += try DeltaCheckpointReader.read(path: logDir + "/" + name, table: table, file: "_delta_log/" + name)
            }
        case .v2(let name):
            if name.hasSuffix(".json") {
                actions = try ActionParser.parseLines(try readFile(name), table: table, file: "_delta_log/" + name)
            } else {
                actions = try DeltaCheckpointReader.read(path: logDir + "/" + name, table: table, file: "_delta_log/" + name)
            }
        }
        var sidecarActions: [DeltaAction] = []
        for a in actions {
            guard case .sidecar(let p) = a else { continue }
            let path = p.hasPrefix("/") ? p : logDir + "/_sidecars/" + p
            guard FileManager.default.fileExists(atPath: path) else {
                throw DeltaError.versionUnavailable(table: table, version: cp.version, message: "checkpoint sidecar \(p) is missing")
            }
            sidecarActions += try DeltaCheckpointReader.read(path: path, table: table, file: "_delta_log/_sidecars/" + p)
        }
        return actions + sidecarActions
    }
}
