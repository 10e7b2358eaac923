import Foundation
import Testing

/// The built `mltrack server` binary on a free port over a fresh SQLite file and artifact folder,
/// logging JSON lines, for the real-client suites that also check its log and its SIGTERM exit.
struct ServerBinaryProcess {
    let process: Process
    let err: URL
    let url: String

    /// Starts the server and waits (bounded) for the port it prints.
    static func start(label: String) async throws -> ServerBinaryProcess {
        let dir = try TestPaths.tempDir(label)
        let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(MLTrackCLI.binary))
        p.arguments = ["server", "--port", "0", "--backend-store-uri", "sqlite://" + dir.appendingPathComponent("mltrack.db").path,
                       "--artifacts-destination", dir.appendingPathComponent("artifacts").path, "--log-format", "json"]
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        var port: Int?
        for _ in 0 ..< 600 where port == nil && p.isRunning {
            let text = String(decoding: try Data(contentsOf: out), as: UTF8.self)
            if let r = text.range(of: "listening on http://127.0.0.1:") {
                port = Int(text[r.upperBound...].prefix { $0.isNumber })
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        guard let port else {
            if p.isRunning { p.terminate() }
            throw PythonPeer.Failure(description: "no port printed; stderr: \(String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))")
        }
        return ServerBinaryProcess(process: p, err: err, url: "http://127.0.0.1:\(port)")
    }

    /// Everything the server wrote to standard error so far.
    var log: String { String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self) }

    /// Sends SIGTERM and waits (bounded) for the exit; returns whether it exited with status 0.
    func terminate() async throws -> Bool {
        kill(process.processIdentifier, SIGTERM)
        for _ in 0 ..< 400 where process.isRunning { try await Task.sleep(for: .milliseconds(25)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationReason == .exit && process.terminationStatus == 0
    }

    /// Kills the server if it still runs (for `defer`).
    func stop() { if process.isRunning { process.terminate() } }
}
