import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import Tracking
import TrackingServer

/// `HTTPArtifactStore` against our server (live, over a socket) and against a real `mlflow
/// server`, with the same assertions; URI resolution; the 64 MB streamed round trip.
@Suite(.serialized) struct HTTPArtifactStoreTests {
    static let retry = RESTRetryPolicy(maxRetries: 0, timeout: 60)

    static func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    static func files(under dir: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let e = FileManager.default.enumerator(atPath: dir.path) else { return out }
        for case let rel as String in e {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir.path + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = FileManager.default.contents(atPath: dir.path + "/" + rel)
            }
        }
        return out
    }

    /// The same calls and checks against any MLflow-protocol artifact proxy.
    static func exercise(trackingURI: String, runPath: String) throws {
        let store = try HTTPArtifactStore(uri: "mlflow-artifacts:/\(runPath)", trackingURI: trackingURI, retry: retry)
        let scratch = try TestPaths.tempDir("http-art")
        let hello = try store.log(data: Data("hello\n".utf8), at: "notes.txt")
        #expect(hello == ArtifactFile(path: "notes.txt", fileSize: 6, sha256: "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"))
        let bin = scratch.appendingPathComponent("a.bin")
        try Data((0 ..< 70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: bin)
        #expect(try store.log(file: bin.path, at: "dir/sub/a.bin").fileSize == 70_000)
        let tree = scratch.appendingPathComponent("tree")
        try write("x", tree.appendingPathComponent("x.txt"))
        try write("y y", tree.appendingPathComponent("nested/y.txt"))
        try write("spaced", tree.appendingPathComponent("sp ace+plus.txt"))
        #expect(try store.log(directory: tree.path, at: "tree").map(\.path) == ["tree/nested/y.txt", "tree/sp ace+plus.txt", "tree/x.txt"])

        #expect(try store.list(path: "") == [
            FileInfo(path: "dir", isDir: true, fileSize: nil), FileInfo(path: "notes.txt", isDir: false, fileSize: 6),
            FileInfo(path: "tree", isDir: true, fileSize: nil),
        ])
        #expect(try store.list(path: "tree") == [
            FileInfo(path: "tree/nested", isDir: true, fileSize: nil), FileInfo(path: "tree/sp ace+plus.txt", isDir: false, fileSize: 6),
            FileInfo(path: "tree/x.txt", isDir: false, fileSize: 1),
        ])
        #expect(try store.list(path: "notes.txt") == [])
        #expect(try store.list(path: "missing") == [])
        #expect(try store.listAll().map(\.path) == ["dir", "dir/sub", "dir/sub/a.bin", "notes.txt", "tree", "tree/nested", "tree/nested/y.txt",
                                                    "tree/sp ace+plus.txt", "tree/x.txt"])
        #expect(try store.read(path: "tree/sp ace+plus.txt") == Data("spaced".utf8))
        #expect(try store.read(path: "notes.txt") == Data("hello\n".utf8))
        #expect { try store.read(path: "missing.txt") } throws: { ($0 as? TrackingError)?.code == .resourceDoesNotExist }

        try store.download(path: "tree", to: scratch.appendingPathComponent("out/tree").path)
        #expect(files(under: scratch.appendingPathComponent("out/tree")) == files(under: tree))
        try store.download(path: "dir/sub/a.bin", to: scratch.appendingPathComponent("out/a.bin").path)
        #expect(FileManager.default.contents(atPath: scratch.appendingPathComponent("out/a.bin").path) == FileManager.default.contents(atPath: bin.path))
        try store.download(path: "", to: scratch.appendingPathComponent("out/all").path)
        #expect(files(under: scratch.appendingPathComponent("out/all")).keys.sorted() == ["dir/sub/a.bin", "notes.txt", "tree/nested/y.txt", "tree/sp ace+plus.txt", "tree/x.txt"])
        #expect { try store.download(path: "tree", to: scratch.appendingPathComponent("out/tree").path) } throws: {
            ($0 as? TrackingError)?.code == .invalidParameterValue
        }
        #expect { try store.download(path: "gone.txt", to: scratch.appendingPathComponent("out/gone").path) } throws: {
            ($0 as? TrackingError)?.code == .resourceDoesNotExist
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("out/gone").path))

        let manifest = try store.manifest()
        #expect(manifest.files.map(\.path) == ["dir/sub/a.bin", "notes.txt", "tree/nested/y.txt", "tree/sp ace+plus.txt", "tree/x.txt"])
        #expect(manifest.file("notes.txt")?.sha256 == hello.sha256)

        #expect(try store.delete(path: "tree/nested"))
        #expect(try store.list(path: "tree").map(\.path) == ["tree/sp ace+plus.txt", "tree/x.txt"])
        #expect(try store.delete(path: "tree/nested") == false)
        #expect(try store.delete(path: "notes.txt"))
        #expect(try store.list(path: "").map(\.path) == ["dir", "tree"])
    }

    /// Runs our server live on a free port for `body` (called off the cooperative pool).
    static func withLiveServer(_ fx: ArtifactFixture, _ body: @escaping @Sendable (String) throws -> Void) async throws {
        try await fx.test(.live) { raw in
            let port = try #require(raw.client.port)
            try await blocking { try body("http://127.0.0.1:\(port)") }
        }
    }

    @Test func againstMltrackServer() async throws {
        let fx = try ArtifactFixture.make()
        try await Self.withLiveServer(fx) { url in try Self.exercise(trackingURI: url, runPath: "5/run123/artifacts") }
        // What the proxy wrote is a run directory with a manifest that matches the bytes.
        let run = try LocalArtifactStore(root: fx.destination.path + "/5/run123/artifacts")
        #expect(try run.verify() == [])
        #expect(try run.manifest().files.map(\.path) == ["dir/sub/a.bin", "tree/sp ace+plus.txt", "tree/x.txt"])
    }

    @Test(.enabled(if: MLflowClientTests.mlflowVersion != nil, "needs MLTRACK_PYTHON with mlflow"))
    func againstRealMLflowServer() async throws {
        let server = try PeerServer.mlflow()
        defer { server.stop() }
        try await blocking { try Self.exercise(trackingURI: server.url, runPath: "5/run123/artifacts") }
        #expect(FileManager.default.fileExists(atPath: server.destination.path + "/5/run123/artifacts/dir/sub/a.bin"))
    }

    @Test func streams64MegabytesBothWays() async throws {
        let fx = try ArtifactFixture.make()
        let scratch = try TestPaths.tempDir("http-art-64")
        let source = scratch.appendingPathComponent("big.bin")
        var bytes = [UInt64](repeating: 0, count: (64 << 20) / 8)
        var rng = SeededGenerator(seed: 64)
        for i in bytes.indices { bytes[i] = rng.next() }
        try bytes.withUnsafeBytes { try Data($0).write(to: source) }
        bytes = []
        let target = scratch.appendingPathComponent("copy.bin")
        let uploaded = Mutex<ArtifactFile?>(nil)
        try await Self.withLiveServer(fx) { url in
            let store = try HTTPArtifactStore(uri: "\(url)/api/2.0/mlflow-artifacts/artifacts/1/big/artifacts", retry: Self.retry)
            let f = try store.log(file: source.path, at: "model/big.bin")
            uploaded.withLock { $0 = f }
            #expect(try store.list(path: "model") == [FileInfo(path: "model/big.bin", isDir: false, fileSize: 64 << 20)])
            try store.download(path: "model/big.bin", to: target.path)
        }
        let f = try #require(uploaded.withLock { $0 })
        #expect(f.fileSize == 64 << 20)
        let sums = try PythonPeer.run("""
            import hashlib, sys
            for p in sys.argv[1:]:
                print(hashlib.sha256(open(p, 'rb').read()).hexdigest())
            """, args: [source.path, target.path]).split(separator: "\n").map(String.init)
        #expect(sums == [f.sha256, f.sha256])
        let served = try LocalArtifactStore(root: fx.destination.path + "/1/big/artifacts").manifest().file("model/big.bin")
        #expect(served?.sha256 == f.sha256)
    }

    @Test func abortedUploadLeavesNothing() async throws {
        let fx = try ArtifactFixture.make()
        try await fx.test(.live) { raw in
            let port = try #require(raw.client.port)
            // Half of a declared megabyte, then the connection closes.
            let out = try await blocking { try PythonPeer.run("""
                import socket, sys, time
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                s.sendall(b"PUT /api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/cut.bin HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 1048576\\r\\n\\r\\n")
                s.sendall(b"z" * 524288)
                time.sleep(0.3)
                s.close()
                print("sent")
                """, args: [String(port)]) }
            #expect(out.contains("sent"))
            // The server notices the closed connection; wait (bounded) until the upload is gone.
            for _ in 0 ..< 100 where fx.tree().contains(where: { $0.contains(".mltrack-tmp") }) {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await raw.get("1/r/artifacts/cut.bin").status == 404)
        }
        #expect(fx.tree().allSatisfy { !$0.contains(".mltrack-tmp") && !$0.hasSuffix("cut.bin") }, "\(fx.tree())")
    }

    @Test(.enabled(if: MLTrackCLI.binary != nil, "needs the mltrack binary"))
    func cliServerHonoursTheArtifactLimit() async throws {
        let server = try PeerServer.mltrack(extra: ["--max-artifact-bytes", "1000"])
        defer { server.stop() }
        let url = server.url
        let answers = try await blocking { () throws -> [String] in
            let store = try HTTPArtifactStore(uri: "mlflow-artifacts:/1/r/artifacts", trackingURI: url, retry: Self.retry)
            try store.log(data: Data(repeating: 1, count: 1000), at: "ok.bin")
            var out: [String] = []
            do {
                try store.log(data: Data(repeating: 2, count: 1001), at: "big.bin")
            } catch let e as TrackingError {
                out.append(e.description)
            }
            out.append(try store.list(path: "").map(\.path).joined(separator: ","))
            return out
        }
        #expect(answers == ["INVALID_PARAMETER_VALUE: Artifact '1/r/artifacts/big.bin' is larger than the server's limit of 1000 bytes per file", "ok.bin"])
        let metrics = try PythonPeer.run("import urllib.request, sys; print(urllib.request.urlopen(sys.argv[1] + '/metrics').read().decode())", args: [url])
        #expect(metrics.contains("mltrack_tracking_artifact_bytes_total{direction=\"upload\"} 2001"), "\(metrics)")
        #expect(FileManager.default.fileExists(atPath: server.destination.path + "/1/r/artifacts/ok.bin"))
        #expect(!FileManager.default.fileExists(atPath: server.destination.path + "/1/r/artifacts/big.bin"))
    }

    @Test func resolvesURIsAsMLflowDoes() throws {
        func r(_ uri: String, _ tracking: String?) throws -> String {
            let (base, root) = try HTTPArtifactStore.resolve(uri: uri, trackingURI: tracking)
            return base + " | " + root
        }
        #expect(try r("mlflow-artifacts:/1/abc/artifacts", "http://127.0.0.1:5000") == "http://127.0.0.1:5000 | 1/abc/artifacts")
        #expect(try r("mlflow-artifacts:/1/abc/artifacts", "https://ml.example.com/prefix/") == "https://ml.example.com/prefix | 1/abc/artifacts")
        #expect(try r("mlflow-artifacts:///1/x", "http://h:1") == "http://h:1 | 1/x")
        #expect(try r("mlflow-artifacts://other:8080/1/x", "https://h:1/p") == "https://other:8080/p | 1/x")
        #expect(try r("mlflow-artifacts://other:8080/1/x", nil) == "http://other:8080 | 1/x")
        #expect(try r("http://h:9/pre/api/2.0/mlflow-artifacts/artifacts/2/r/artifacts", nil) == "http://h:9/pre | 2/r/artifacts")
        #expect(try r("http://h:9/api/2.0/mlflow-artifacts/artifacts", nil) == "http://h:9 | ")
        #expect(try r("mlflow-artifacts:/a/my%20dir", "http://h") == "http://h | a/my dir")
        #expect(throws: TrackingError.self) { try r("mlflow-artifacts:/1/x", nil) }
        #expect(throws: TrackingError.self) { try r("mlflow-artifacts:/1/x", "sqlite:///tmp/x.db") }
        #expect(throws: TrackingError.self) { try r("mlflow-artifacts:/1/../../x", "http://h") }
        #expect(throws: TrackingError.self) { try r("http://h/other/1/x", nil) }
        #expect(throws: TrackingError.self) { try r("s3://bucket/x", "http://h") }
    }

    @Test func factoryPicksTheStore() throws {
        let dir = try TestPaths.tempDir("factory")
        #expect(try ArtifactStores.open(uri: "file://" + dir.path, trackingURI: nil) is LocalArtifactStore)
        #expect(try ArtifactStores.open(uri: dir.path, trackingURI: nil) is LocalArtifactStore)
        let http = try ArtifactStores.open(uri: "mlflow-artifacts:/1/r/artifacts", trackingURI: .http("http://127.0.0.1:5000"))
        #expect((http as? HTTPArtifactStore)?.baseURL.absoluteString == "http://127.0.0.1:5000")
        #expect(try ArtifactStores.open(uri: "http://h/api/2.0/mlflow-artifacts/artifacts/1", trackingURI: nil) is HTTPArtifactStore)
        #expect { try ArtifactStores.open(uri: "s3://bucket/1/r/artifacts", trackingURI: nil) } throws: {
            "\($0)".contains("s3://bucket/1/r/artifacts")
        }
        #expect { try ArtifactStores.open(uri: "mlflow-artifacts:/1/r/artifacts", trackingURI: .sqlite(path: "x.db")) } throws: {
            "\($0)".contains("mlflow-artifacts:/1/r/artifacts")
        }
    }
}
