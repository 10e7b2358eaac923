import Foundation
import GoldTables
import Testing
@testable import Tracking

#if canImport(Glibc)
import Glibc
#endif

@Suite struct LocalArtifactStoreTests {
    static func sha(_ data: Data) -> String {
        var s = GoldSHA256()
        data.withUnsafeBytes { s.update($0) }
        return GoldSHA256.hex(s.finalize())
    }

    static func makeStore() throws -> (LocalArtifactStore, URL) {
        let dir = try TestPaths.tempDir("artifacts")
        let store = try LocalArtifactStore(artifactRoot: dir.appendingPathComponent("artifacts").path,
                                           experimentID: "1", runID: "0123456789abcdef0123456789abcdef")
        return (store, dir)
    }

    /// Every name under `dir`, hidden ones included, relative, sorted.
    static func allNames(_ dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        return (e.allObjects as? [String] ?? []).sorted()
    }

    @Test func roundTrips() throws {
        let (store, dir) = try Self.makeStore()
        #expect(store.root == dir.appendingPathComponent("artifacts/1/0123456789abcdef0123456789abcdef/artifacts").standardizedFileURL.path)
        #expect(store.uri == "file://" + store.root)
        #expect(LocalArtifactStore.proxyURI(experimentID: "1", runID: "abc") == "mlflow-artifacts:/1/abc/artifacts")

        let f = try store.log(data: Data("hello".utf8), at: "notes/hello.txt")
        #expect(f == ArtifactFile(path: "notes/hello.txt", fileSize: 5,
                                  sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"))
        #expect(try store.read(path: "notes/hello.txt") == Data("hello".utf8))

        let src = dir.appendingPathComponent("spec.yaml")
        try Data("abc".utf8).write(to: src)
        let g = try store.log(file: src.path, at: "spec.yaml")
        #expect(g.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try store.read(path: "spec.yaml") == Data("abc".utf8))

        // Overwriting a file replaces it and its manifest entry.
        try store.log(data: Data("hello!".utf8), at: "notes/hello.txt")
        let m = try store.manifest()
        #expect(m.files.map(\.path) == ["notes/hello.txt", "spec.yaml"])
        #expect(m.file("notes/hello.txt")?.sha256 == Self.sha(Data("hello!".utf8)))
        #expect(m.file("notes/hello.txt")?.fileSize == 6)

        // A store opened from the file URI sees the same artifacts.
        let again = try LocalArtifactStore(root: store.uri)
        #expect(try again.read(path: "spec.yaml") == Data("abc".utf8))
        #expect(throws: TrackingError.self) { try LocalArtifactStore(root: "s3://bucket/x") }
        #expect(throws: TrackingError.self) { try LocalArtifactStore(artifactRoot: dir.path, experimentID: "..", runID: "r") }
    }

    @Test func listingMatchesMLflowFileInfo() throws {
        let (store, dir) = try Self.makeStore()
        #expect(try store.list(path: "") == [])  // no root yet
        try store.log(data: Data("abc".utf8), at: "a.txt")
        let pkg = dir.appendingPathComponent("pkg")
        try FileManager.default.createDirectory(at: pkg.appendingPathComponent("weights"), withIntermediateDirectories: true)
        try Data("flavor".utf8).write(to: pkg.appendingPathComponent("MLmodel"))
        try Data(repeating: 7, count: 10).write(to: pkg.appendingPathComponent("weights/w.bin"))
        let logged = try store.log(directory: pkg.path, at: "model")
        #expect(logged.map(\.path) == ["model/MLmodel", "model/weights/w.bin"])
        #expect(logged.map(\.fileSize) == [6, 10])

        #expect(try store.list(path: "") == [
            FileInfo(path: "a.txt", isDir: false, fileSize: 3),
            FileInfo(path: "model", isDir: true, fileSize: nil),
        ])
        #expect(try store.list(path: "model") == [
            FileInfo(path: "model/MLmodel", isDir: false, fileSize: 6),
            FileInfo(path: "model/weights", isDir: true, fileSize: nil),
        ])
        #expect(try store.list(path: "model/weights") == [FileInfo(path: "model/weights/w.bin", isDir: false, fileSize: 10)])
        // A file or a missing path lists as nothing, as MLflow answers.
        #expect(try store.list(path: "a.txt") == [])
        #expect(try store.list(path: "missing/deeper") == [])
        #expect(try store.list(path: "a.txt/x") == [])

        // MLflow's JSON field names; no file_size for a directory.
        let enc = JSONEncoder()
        enc.outputFormatting = .sortedKeys
        #expect(String(decoding: try enc.encode(FileInfo(path: "model", isDir: true, fileSize: nil)), as: UTF8.self)
            == #"{"is_dir":true,"path":"model"}"#)
        #expect(String(decoding: try enc.encode(FileInfo(path: "a.txt", isDir: false, fileSize: 3)), as: UTF8.self)
            == #"{"file_size":3,"is_dir":false,"path":"a.txt"}"#)

        // Logging a directory again replaces it whole.
        try FileManager.default.removeItem(at: pkg.appendingPathComponent("weights"))
        try Data("v2".utf8).write(to: pkg.appendingPathComponent("MLmodel"))
        try store.log(directory: pkg.path, at: "model")
        #expect(try store.list(path: "model") == [FileInfo(path: "model/MLmodel", isDir: false, fileSize: 2)])
        #expect(try store.manifest().files.map(\.path) == ["a.txt", "model/MLmodel"])
        #expect(try store.manifest().file("model/MLmodel")?.sha256 == Self.sha(Data("v2".utf8)))

        // The manifest and lock never show up.
        #expect(!(try store.list(path: "")).contains { $0.path.hasPrefix(".mltrack") })
    }

    static let nastyPaths: [String] = [
        "a/../../b", "../x", "..", ".", "./a", "a/./b", "a/..", "/etc/passwd", "/", "a//b", "a/", "//a",
        "a\u{0}b", "a\\..\\b", "~/x", ".mltrack-manifest.json", "d/.mltrack-tmp-x", String(repeating: "x", count: 256),
    ]

    @Test(arguments: nastyPaths)
    func traversalAttemptsAreRejected(path: String) throws {
        let (store, _) = try Self.makeStore()
        try store.log(data: Data("ok".utf8), at: "d/ok.txt")
        func isPathError(_ body: () throws -> Void) -> Bool {
            do { try body() } catch let e as TrackingError {
                return e.code == .invalidParameterValue && e.message.hasPrefix("artifact path '")
            } catch { return false }
            return false
        }
        #expect(isPathError { try store.log(data: Data("x".utf8), at: path) })
        #expect(isPathError { _ = try store.read(path: path) })
        #expect(isPathError { _ = try store.list(path: path) })
        #expect(isPathError { try store.delete(path: path) })
        #expect(isPathError { try store.download(path: path, to: "/tmp/never-\(UUID().uuidString)") })
        #expect(try store.list(path: "") == [FileInfo(path: "d", isDir: true, fileSize: nil)])
        #expect(try store.manifest().files.map(\.path) == ["d/ok.txt"])
    }

    @Test func emptyPathIsOnlyTheRootForListAndDelete() throws {
        let (store, _) = try Self.makeStore()
        #expect(throws: TrackingError.self) { try store.log(data: Data(), at: "") }
        #expect(throws: TrackingError.self) { try store.read(path: "") }
        #expect(try store.list(path: "") == [])
    }

    @Test func symlinksLeadingOutsideTheRunAreRejected() throws {
        let (store, dir) = try Self.makeStore()
        try store.log(data: Data("m".utf8), at: "model/MLmodel")
        let outside = dir.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: store.root + "/evil", withDestinationPath: outside.path)
        try fm.createSymbolicLink(atPath: store.root + "/passwd", withDestinationPath: "/etc/passwd")
        try fm.createSymbolicLink(atPath: store.root + "/model/up", withDestinationPath: "../..")
        try fm.createSymbolicLink(atPath: store.root + "/alias", withDestinationPath: "model")

        func rejected(_ body: () throws -> Void) -> Bool {
            do { try body() } catch let e as TrackingError {
                return e.code == .invalidParameterValue && e.message.contains("outside the run's artifact root")
            } catch { return false }
            return false
        }
        #expect(rejected { try store.log(data: Data("x".utf8), at: "evil/planted.txt") })
        #expect(rejected { try store.log(data: Data("x".utf8), at: "evil/new/deeper.txt") })
        #expect(rejected { _ = try store.read(path: "evil/secret.txt") })
        #expect(rejected { _ = try store.read(path: "passwd") })
        #expect(rejected { _ = try store.list(path: "evil") })
        #expect(rejected { _ = try store.read(path: "model/up/artifacts/model/MLmodel") })
        #expect(rejected { try store.log(data: Data("x".utf8), at: "model/up/escape.txt") })
        #expect(rejected { try store.download(path: "evil", to: dir.appendingPathComponent("dl").path) })
        #expect(Self.allNames(outside.path) == ["secret.txt"])

        // Listing hides links leading outside; a link that stays inside works like its target.
        #expect(try store.list(path: "").map(\.path) == ["alias", "model"])
        #expect(try store.read(path: "alias/MLmodel") == Data("m".utf8))
        // Replacing the escaping link itself (not writing through it) is allowed: rename swaps the link.
        try store.log(data: Data("now a file".utf8), at: "passwd")
        #expect(try store.read(path: "passwd") == Data("now a file".utf8))
        #expect(FileManager.default.fileExists(atPath: "/etc/passwd"))
    }

    @Test func failedWritesLeaveNothingVisible() throws {
        let (store, dir) = try Self.makeStore()
        try store.log(data: Data("v1".utf8), at: "keep.txt")
        let before = Self.allNames(store.root)

        // Reading the source fails after the temporary file was created (EIO on /proc/self/mem).
        #expect(throws: TrackingError.self) { try store.log(file: "/proc/self/mem", at: "keep.txt") }
        #expect(throws: TrackingError.self) { try store.log(file: "/proc/self/mem", at: "new/broken.bin") }
        #expect(throws: TrackingError.self) { try store.log(file: dir.appendingPathComponent("missing").path, at: "x.bin") }
        #expect(throws: TrackingError.self) { try store.log(file: dir.path, at: "x.bin") }

        // A directory whose second entry cannot be copied (a FIFO) after the first one was.
        let src = dir.appendingPathComponent("pkg")
        try FileManager.default.createDirectory(at: src, withIntermediateDirectories: true)
        try Data("first".utf8).write(to: src.appendingPathComponent("a.txt"))
        #expect(mkfifo(src.appendingPathComponent("b.fifo").path, 0o644) == 0)
        #expect(throws: TrackingError.self) { try store.log(directory: src.path, at: "model") }

        #expect(try store.read(path: "keep.txt") == Data("v1".utf8))
        #expect(try store.list(path: "").map(\.path) == ["keep.txt", "new"])  // the parent made on the way stays, empty
        #expect(try store.list(path: "new") == [])
        #expect(try store.manifest().files.map(\.path) == ["keep.txt"])
        #expect(try store.verify() == [])
        let after = Self.allNames(store.root).filter { $0 != "new" }
        #expect(after == before)
        #expect(!after.contains { $0.contains(".mltrack-tmp") })
    }

    @Test func concurrentWritersOfOnePathNeverMix() throws {
        let (store, _) = try Self.makeStore()
        let writers = 8, rounds = 6, size = 96 * 1024
        DispatchQueue.concurrentPerform(iterations: writers) { w in
            for r in 0 ..< rounds {
                _ = try? store.log(data: Data(repeating: UInt8(w * rounds + r), count: size), at: "same.bin")
                _ = try? store.log(data: Data("w\(w)r\(r)".utf8), at: "per-writer/\(w)-\(r).txt")
            }
        }
        let final = try store.read(path: "same.bin")
        #expect(final.count == size)
        let first = final.first ?? 0
        #expect(final.allSatisfy { $0 == first })
        let m = try store.manifest()
        #expect(m.file("same.bin")?.sha256 == Self.sha(final))
        #expect(m.files.count == 1 + writers * rounds)
        #expect(try store.list(path: "per-writer").count == writers * rounds)
        #expect(try store.verify() == [])  // every file matches its manifest hash, none unlisted
        #expect(!Self.allNames(store.root).contains { $0.contains(".mltrack-tmp") })
    }

    @Test func verifyFindsTamperedMissingAndUnlistedFiles() throws {
        let (store, _) = try Self.makeStore()
        try store.log(data: Data("1".utf8), at: "a.txt")
        try store.log(data: Data("2".utf8), at: "d/b.txt")
        try store.log(data: Data("3".utf8), at: "d/c.txt")
        #expect(try store.verify() == [])
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: store.root + "/a.txt"))
        try FileManager.default.removeItem(atPath: store.root + "/d/b.txt")
        try Data("x".utf8).write(to: URL(fileURLWithPath: store.root + "/d/stray.txt"))
        #expect(try store.verify() == ["a.txt", "d/b.txt", "d/stray.txt"])
    }

    @Test func deleteRemovesFilesDirectoriesAndEverything() throws {
        let (store, _) = try Self.makeStore()
        #expect(try store.delete(path: "nothing") == false)
        try store.log(data: Data("1".utf8), at: "a.txt")
        try store.log(data: Data("2".utf8), at: "model/MLmodel")
        try store.log(data: Data("3".utf8), at: "model/w/x.bin")
        try store.log(data: Data("4".utf8), at: "modelx.txt")
        #expect(try store.delete(path: "model"))
        #expect(try store.manifest().files.map(\.path) == ["a.txt", "modelx.txt"])
        #expect(try store.list(path: "").map(\.path) == ["a.txt", "modelx.txt"])
        #expect(try store.delete(path: "missing/x") == false)
        #expect(try store.delete(path: "a.txt"))
        #expect(throws: TrackingError.self) { try store.read(path: "a.txt") }
        #expect(try store.delete(path: ""))
        #expect(try store.list(path: "") == [])
        #expect(try store.manifest().files == [])
        #expect(Self.allNames(store.root).allSatisfy { $0.hasPrefix(".mltrack-manifest") })
    }

    @Test func missingAndMismatchedPaths() throws {
        let (store, dir) = try Self.makeStore()
        do {
            _ = try store.read(path: "nope.txt")
            Issue.record("no error")
        } catch let e as TrackingError {
            #expect(e.code == .resourceDoesNotExist)
        }
        try store.log(data: Data("f".utf8), at: "f")
        try store.log(data: Data("g".utf8), at: "d/g")
        #expect(throws: TrackingError.self) { try store.log(data: Data("x".utf8), at: "f/under") }    // a file as parent
        #expect(throws: TrackingError.self) { try store.log(data: Data("x".utf8), at: "d") }          // over a directory
        #expect(throws: TrackingError.self) { try store.log(directory: dir.path, at: "f") }           // a directory over a file
        #expect(throws: TrackingError.self) { try store.read(path: "d") }
        #expect(try store.read(path: "d/g") == Data("g".utf8))
    }

    @Test func downloadCopiesFilesAndTrees() throws {
        let (store, dir) = try Self.makeStore()
        try store.log(data: Data("m".utf8), at: "model/MLmodel")
        try store.log(data: Data("w".utf8), at: "model/weights/w.bin")
        let out = dir.appendingPathComponent("out/model").path
        try store.download(path: "model", to: out)
        #expect(Self.allNames(out) == ["MLmodel", "weights", "weights/w.bin"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/weights/w.bin")) == Data("w".utf8))
        let file = dir.appendingPathComponent("MLmodel").path
        try store.download(path: "model/MLmodel", to: file)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data("m".utf8))
        // The whole run, without the store's manifest, lock or a writer's temporary file.
        try Data("partial".utf8).write(to: URL(fileURLWithPath: store.root + "/model/.mltrack-tmp-writer"))
        let all = dir.appendingPathComponent("all").path
        try store.download(path: "", to: all)
        #expect(Self.allNames(all) == ["model", "model/MLmodel", "model/weights", "model/weights/w.bin"])
        #expect(throws: TrackingError.self) { try store.download(path: "model", to: out) }   // exists
        #expect(throws: TrackingError.self) { try store.download(path: "none", to: out + "2") }
    }

    @Test func logDirectoryAtTheRootAndStaleTemporaries() throws {
        let (store, dir) = try Self.makeStore()
        let src = dir.appendingPathComponent("src")
        try FileManager.default.createDirectory(at: src.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("a".utf8).write(to: src.appendingPathComponent("a.txt"))
        try Data("b".utf8).write(to: src.appendingPathComponent("sub/b.txt"))
        let files = try store.log(directory: src.path, at: "")
        #expect(files.map(\.path) == ["a.txt", "sub/b.txt"])
        // What a killed writer leaves: hidden, never listed, swept by removeStaleTemporaries.
        try Data("partial".utf8).write(to: URL(fileURLWithPath: store.root + "/sub/.mltrack-tmp-dead"))
        #expect(try store.list(path: "sub").map(\.path) == ["sub/b.txt"])
        #expect(try store.removeStaleTemporaries() == 1)
        #expect(Self.allNames(store.root + "/sub") == ["b.txt"])
    }
}
