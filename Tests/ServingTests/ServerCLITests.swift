import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `mltrack serve` as a subprocess: it prints the port it bound, answers over HTTP, follows the
/// alias, and exits 0 on SIGTERM after saying it is shutting down.
@Suite struct ServerCLITests {
    @Test(.enabled(if: MLTrackCLI.binary != nil))
    func serveAnswersFollowsTheAliasAndStopsOnSIGTERM() async throws {
        let packages = try ServerPackages.get()
        let registry = try await ServerRegistry.make(packages)
        let dir = try TestPaths.tempDir("serve-cli")
        let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: MLTrackCLI.binary ?? "")
        p.arguments = ["serve", "models:/churn@champion", "--model", "recs=models:/recs/1", "--tracking-uri", registry.path,
                       "--port", "0", "--poll-interval", "0.05", "--log-format", "json"]
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        defer { if p.isRunning { p.terminate() } }

        // Bounded wait for the line naming the port.
        var port: Int?
        for _ in 0 ..< 600 where port == nil && p.isRunning {
            let text = String(decoding: try Data(contentsOf: out), as: UTF8.self)
            if let r = text.range(of: "listening on http://127.0.0.1:") {
                port = Int(text[r.upperBound...].prefix { $0.isNumber })
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let stderrText = { String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self) }
        guard let port else {
            Issue.record("no port printed; stderr: \(stderrText())")
            return
        }
        let url = URL(string: "http://127.0.0.1:\(port)/invocations")
        var request = URLRequest(url: try #require(url))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(try packages.recordsBody().readableBytesView)
        let (body, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        #expect(http.value(forHTTPHeaderField: "X-Mltrack-Model-Version") == "churn/1")
        #expect(try predictedProbabilities(.init(bytes: body)) == packages.probabilities(packages.churnV1))

        // Promote v2: the server swaps within a few polls (bounded wait, not a timing check).
        try registry.store.setAlias(name: "churn", alias: "champion", version: 2)
        var version: String?
        for _ in 0 ..< 200 where version != "churn/2" {
            try await Task.sleep(for: .milliseconds(25))
            let (_, r) = try await URLSession.shared.data(from: try #require(URL(string: "http://127.0.0.1:\(port)/version")))
            version = (r as? HTTPURLResponse)?.value(forHTTPHeaderField: "X-Mltrack-Model-Version")
        }
        #expect(version == "churn/2")

        kill(p.processIdentifier, SIGTERM)
        for _ in 0 ..< 400 where p.isRunning { try await Task.sleep(for: .milliseconds(25)) }
        #expect(!p.isRunning)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 0, "stderr: \(stderrText())")
        let log = stderrText()
        #expect(log.contains("\"msg\":\"shutting down\""), "\(log)")
        #expect(log.contains("\"msg\":\"request\"") && log.contains("\"path\":\"/invocations\""), "\(log)")
        #expect(log.contains("\"msg\":\"model swapped\""), "\(log)")
    }
}
