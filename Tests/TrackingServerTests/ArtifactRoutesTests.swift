import Foundation
import Testing
import Tracking
import TrackingServer

/// The artifact proxy in-process: exact statuses and bodies of upload, download, listing, delete,
/// multipart, every kind of traversal attempt, the size limit, concurrent writers, metrics.
@Suite struct ArtifactRoutesTests {
    static let invalidPath = #"{"error_code":"INVALID_PARAMETER_VALUE","message":"Invalid path"}"#

    @Test func uploadDownloadListDelete() async throws {
        let fx = try ArtifactFixture.make()
        try await fx.test { api in
            let put = try await api.put("1/abc/artifacts/notes.txt", Array("hello\n".utf8))
            #expect(put.status == 200 && put.text == "{}")
            #expect(try await api.put("1/abc/artifacts/model/MLmodel", Array("flavors: {}\n".utf8)).status == 200)
            #expect(try await api.put("1/abc/artifacts/model/data/w.bin", [0, 1, 2, 255]).status == 200)
            #expect(try await api.put("1/abc/artifacts/my%20file.json", Array("{}".utf8)).status == 200)

            let got = try await api.get("1/abc/artifacts/notes.txt")
            #expect(got.status == 200 && got.text == "hello\n")
            #expect(got.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(got.headers[.contentDisposition] == "attachment; filename=notes.txt")
            #expect(got.headers[.xContentTypeOptions] == "nosniff")
            let bin = try await api.get("1/abc/artifacts/model/data/w.bin")
            #expect(bin.body == [0, 1, 2, 255] && bin.headers[.contentType] == "application/octet-stream")
            let spaced = try await api.get("1/abc/artifacts/my%20file.json")
            #expect(spaced.text == "{}" && spaced.headers[.contentType] == "application/json")
            #expect(spaced.headers[.contentDisposition] == "attachment; filename*=UTF-8''my%20file.json")
            // The ajax-api twin serves the same files.
            #expect(try await api.send(.get, "/ajax-api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/notes.txt").text == "hello\n")

            // Listing: basenames, sizes for files only, sorted.
            let listing = try await api.list("1/abc/artifacts")
            #expect(listing.status == 200)
            #expect(listing.text == #"{"files":[{"path":"model","is_dir":true},{"path":"my file.json","is_dir":false,"file_size":2},{"path":"notes.txt","is_dir":false,"file_size":6}]}"#)
            #expect(try await api.list("1/abc/artifacts/model").text == #"{"files":[{"path":"MLmodel","is_dir":false,"file_size":12},{"path":"data","is_dir":true}]}"#)
            #expect(try await api.list(nil).text == #"{"files":[{"path":"1","is_dir":true}]}"#)
            #expect(try await api.list("").text == #"{"files":[{"path":"1","is_dir":true}]}"#)
            #expect(try await api.list("1/abc/artifacts/notes.txt").text == "{}")
            #expect(try await api.list("1/nothing/here").text == "{}")
            #expect(try await api.list("1/abc/artifacts/my+file.json").text == "{}")   // '+' is a space: a file, so {}

            // Missing and directory downloads.
            let missing = try await api.get("1/abc/artifacts/nope.txt")
            #expect(missing.status == 404)
            #expect(missing.text == #"{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"No such artifact: '1/abc/artifacts/nope.txt'"}"#)
            let dir = try await api.get("1/abc/artifacts/model")
            #expect(dir.status == 400)
            #expect(dir.text == #"{"error_code":"INVALID_PARAMETER_VALUE","message":"Artifact path refers to a directory, not a file: '1/abc/artifacts/model'"}"#)

            // The run's directory keeps the same manifest a local run has.
            let run = try LocalArtifactStore(root: fx.destination.path + "/1/abc/artifacts")
            #expect(try run.verify() == [])
            #expect(try run.manifest().files.map(\.path) == ["model/MLmodel", "model/data/w.bin", "my file.json", "notes.txt"])
            #expect(try run.manifest().file("notes.txt")?.sha256 == "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")

            // Delete a file, a directory, something missing: {} each.
            #expect(try await api.delete("1/abc/artifacts/notes.txt").text == "{}")
            #expect(try await api.get("1/abc/artifacts/notes.txt").status == 404)
            #expect(try await api.delete("1/abc/artifacts/model").text == "{}")
            #expect(try await api.delete("1/abc/artifacts/never").text == "{}")
            #expect(try await api.delete("7/none/artifacts/x").text == "{}")
            #expect(try await api.list("1/abc/artifacts").text == #"{"files":[{"path":"my file.json","is_dir":false,"file_size":2}]}"#)
            #expect(try run.verify() == [])
            #expect(!fx.tree().contains("7"))
            // Overwrite replaces the file.
            #expect(try await api.put("1/abc/artifacts/my%20file.json", Array("[1]".utf8)).status == 200)
            #expect(try await api.get("1/abc/artifacts/my%20file.json").text == "[1]")
            // A file where a directory is, and under a file: 400.
            #expect(try await api.put("1/abc/artifacts", [1]).status == 400)
            #expect(try await api.put("1/abc/artifacts/my%20file.json/x", [1]).status == 400)
        }
    }

    @Test func multipartIsNotImplemented() async throws {
        let fx = try ArtifactFixture.make()
        try await fx.test { api in
            for op in ["create", "complete", "abort"] {
                for prefix in ["/api/2.0", "/ajax-api/2.0"] {
                    let r = try await api.send(.post, "\(prefix)/mlflow-artifacts/mpu/\(op)/1/abc/artifacts/big.bin", body: Array("{}".utf8))
                    #expect(r.status == 501)
                    #expect(r.text == #"{"error_code":"NOT_IMPLEMENTED","message":"Multipart upload is not supported for the current artifact repository"}"#)
                }
            }
            #expect(try await api.send(.post, "/api/2.0/mlflow-artifacts/mpu/create/..%2Fx", body: []).text == Self.invalidPath)
        }
    }

    static let traversals = [
        "..", "../x", "a/../../x", "a/..", "./x", "a/./b", "%2e%2e/x", "%2E%2E/x", "a/%2e%2e/%2e%2e/x", ".%2e/x",
        "a%2fb", "a%2F..%2F..%2Fx", "%2fetc/passwd", "%252e%252e/x", "a/%252f/b", "a%5cb", "a%5c..%5c..%5cx",
        "a\\b", "%00", "a%00b", "a/%0a", "a//b", "a/", "%2e", ".mltrack-manifest.json", "1/abc/artifacts/.mltrack-tmp-x",
        "%zz", "%e2%28%a1",
    ]

    @Test(arguments: traversals) func traversalIsInvalidPath(_ raw: String) async throws {
        let fx = try ArtifactFixture.make()
        try await fx.test { api in
            let put = try await api.put(raw, Array("pwned".utf8))
            #expect(put.status == 400 && put.text == Self.invalidPath, "PUT \(raw): \(put.status) \(put.text)")
            let get = try await api.get(raw)
            #expect(get.status == 400 && get.text == Self.invalidPath, "GET \(raw): \(get.status) \(get.text)")
            let del = try await api.delete(raw)
            #expect(del.status == 400 && del.text == Self.invalidPath, "DELETE \(raw): \(del.status) \(del.text)")
        }
        #expect(fx.tree().allSatisfy { !$0.contains("x") && !$0.contains("b") }, "\(fx.tree())")
        #expect(!FileManager.default.fileExists(atPath: fx.dir.appendingPathComponent("x").path))
    }

    @Test func listingRejectsUnsafePaths() async throws {
        let fx = try ArtifactFixture.make()
        try await fx.test { api in
            for q in ["..", "../x", "%2e%2e", "/etc", "a%5cb", "a/../..", "%252e%252e", "a%00"] {
                let r = try await api.list(q)
                #expect(r.status == 400 && r.text == Self.invalidPath, "?path=\(q): \(r.status) \(r.text)")
            }
        }
    }

    @Test func absolutePathsAreRefused() async throws {
        let fx = try ArtifactFixture.make()
        try await fx.test { api in
            // An extra slash after the prefix makes the path absolute.
            let r = try await api.send(.put, "/api/2.0/mlflow-artifacts/artifacts//tmp/x", body: [1])
            #expect(r.status == 400 && r.text == Self.invalidPath)
        }
    }

    @Test func symlinksLeadingOutsideAreInvalidPaths() async throws {
        let fx = try ArtifactFixture.make()
        let outside = fx.dir.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        try FileManager.default.createDirectory(at: fx.destination.appendingPathComponent("1"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: fx.destination.path + "/1/escape", withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: fx.destination.path + "/leak.txt", withDestinationPath: outside.path + "/secret.txt")
        try await fx.test { api in
            for path in ["1/escape/secret.txt", "1/escape/new.txt", "1/escape/artifacts/x", "leak.txt"] {
                let get = try await api.get(path)
                #expect(get.status == 400 && get.text == Self.invalidPath, "GET \(path): \(get.text)")
                let put = try await api.put(path, Array("pwned".utf8))
                #expect(put.status == 400 || put.status == 200, "PUT \(path): \(put.text)")
            }
            let del = try await api.delete("1/escape/secret.txt")
            #expect(del.status == 400 && del.text == Self.invalidPath)
            #expect(try await api.list("1/escape").text == Self.invalidPath)
        }
        // Nothing outside was touched.
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["secret.txt"])
        #expect(try String(contentsOf: outside.appendingPathComponent("secret.txt"), encoding: .utf8) == "secret")
    }

    @Test func sizeLimitStoresNothing() async throws {
        let fx = try ArtifactFixture.make(maxArtifactBytes: 100_000)
        try await fx.test { api in
            let big = [UInt8](repeating: 7, count: 100_001)
            let r = try await api.put("1/abc/artifacts/big.bin", big)
            #expect(r.status == 400)
            #expect(r.text == #"{"error_code":"INVALID_PARAMETER_VALUE","message":"Artifact '1/abc/artifacts/big.bin' is larger than the server's limit of 100000 bytes per file"}"#)
            // Without a Content-Length the limit is enforced while streaming.
            #expect(try await api.get("1/abc/artifacts/big.bin").status == 404)
            let exact = try await api.put("1/abc/artifacts/ok.bin", [UInt8](repeating: 1, count: 100_000))
            #expect(exact.status == 200)
            #expect(try await api.list("1/abc/artifacts").text == #"{"files":[{"path":"ok.bin","is_dir":false,"file_size":100000}]}"#)
        }
        #expect(fx.tree().allSatisfy { !$0.contains(".mltrack-tmp") }, "\(fx.tree())")
    }

    @Test func largeUploadStreamsPastTheJSONLimit() async throws {
        // 8 MB in-process (the JSON limit is 1 MB); the 64 MB case runs live in HTTPArtifactStoreTests.
        let fx = try ArtifactFixture.make()
        var bytes = [UInt8](repeating: 0, count: 8 << 20)
        var rng = SeededGenerator(seed: 42)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
        let payload = bytes
        try await fx.test { api in
            #expect(try await api.put("1/r/artifacts/big.bin", payload).status == 200)
            let got = try await api.get("1/r/artifacts/big.bin")
            #expect(got.status == 200 && got.body == payload)
            #expect(got.headers[.contentLength] == String(8 << 20))
            let metrics = try await api.send(.get, "/metrics").text
            #expect(metrics.contains("mltrack_tracking_artifact_bytes_total{direction=\"upload\"} \(8 << 20)"), "\(metrics)")
            #expect(metrics.contains("mltrack_tracking_artifact_bytes_total{direction=\"download\"} \(8 << 20)"), "\(metrics)")
        }
    }

    @Test func concurrentWritersOfOnePathLeaveOneWholeFile() async throws {
        let fx = try ArtifactFixture.make()
        let payloads: [[UInt8]] = (0 ..< 8).map { i in [UInt8](repeating: UInt8(i + 1), count: 300_000 + i) }
        try await fx.test { api in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for p in payloads { group.addTask { try await api.put("1/r/artifacts/same.bin", p).status } }
                for try await status in group { #expect(status == 200) }
            }
            let got = try await api.get("1/r/artifacts/same.bin").body
            #expect(payloads.contains(got))
            let store = try LocalArtifactStore(root: fx.destination.path + "/1/r/artifacts")
            #expect(try store.verify() == [])
            #expect(try store.manifest().file("same.bin")?.fileSize == Int64(got.count))
        }
        #expect(fx.tree().allSatisfy { !$0.contains(".mltrack-tmp") }, "\(fx.tree())")
    }

    @Test func pathDecoding() throws {
        #expect(try ProxyArtifactPath(encoded: "1/abc/artifacts/my%20notes.txt").path.description == "1/abc/artifacts/my notes.txt")
        #expect(try ProxyArtifactPath(encoded: "a/%C3%A9t%C3%A9.txt").path.description == "a/été.txt")
        #expect(try ProxyArtifactPath(encoded: "a/100%25.txt").path.description == "a/100%.txt")
        #expect(throws: MLflowAPIError.self) { try ProxyArtifactPath(encoded: "%2e%2e") }
        #expect(throws: MLflowAPIError.self) { try ProxyArtifactPath(encoded: "") }
        #expect(try ProxyArtifactPath(encoded: "", allowRoot: true).path.isRoot)
    }
}
