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

        // A request in flight when SIGTERM arrives (head and half the body sent) is still answered.
        let payload = Array(try packages.recordsBody().readableBytesView)
        let socket = try RawHTTPSocket(port: port)
        try socket.send(Array("POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\n\r\n".utf8)
                        + payload.prefix(payload.count / 2))
        try await Task.sleep(for: .milliseconds(100))
        kill(p.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(100))
        try socket.send(Array(payload.suffix(from: payload.count / 2)))
        let answer = socket.receiveAll()
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        #expect(answer.contains("X-Mltrack-Model-Version: churn/2"), "\(answer)")
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

/// A blocking TCP client over POSIX sockets, to hold a request open across a signal.
final class RawHTTPSocket {
    let fd: Int32

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw Failure(description: "connect() failed") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(description: "write() failed") }
            offset += n
        }
    }

    /// Everything until the server closes the connection (or 10 s pass).
    func receiveAll() -> String {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += buffer[0 ..< n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
