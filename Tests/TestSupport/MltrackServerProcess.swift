import Foundation

/// `mltrack server` (the built binary) on a free 127.0.0.1 port with a fresh SQLite store and
/// artifact directory, for tests that talk to it over HTTP like any client.
///
/// ```swift
/// let server = try await MltrackServerProcess()
/// defer { server.stop() }
/// let store = try RESTTrackingStore(uri: server.url)
/// ```
public final class MltrackServerProcess: @unchecked Sendable {
    // @unchecked: every stored property is set once in init.
    /// `http://127.0.0.1:<port>`.
    public let url: String
    /// The server's folder: `mltrack.db`, `artifacts/`, `out` (its stdout).
    public let dir: URL
    private let process: Process

    public init() async throws {
        guard let binary = MLTrackCLI.binary else { throw PythonPeer.Failure(description: "no mltrack binary") }
        dir = try TestPaths.tempDir("mltrack-server")
        let out = dir.appendingPathComponent("out")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["server", "--port", "0", "--quiet", "--backend-store-uri", "sqlite://" + dir.appendingPathComponent("mltrack.db").path,
                             "--artifacts-destination", dir.appendingPathComponent("artifacts").path]
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = FileHandle.nullDevice
        try process.run()
        var port: Int?
        for _ in 0 ..< 1200 where port == nil && process.isRunning {
            let text = String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self)
            if let r = text.range(of: "listening on http://127.0.0.1:") {
                port = Int(text[r.upperBound...].prefix { $0.isNumber })
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        guard let port else {
            process.terminate()
            process.waitUntilExit()
            throw PythonPeer.Failure(description: "mltrack server printed no port")
        }
        url = "http://127.0.0.1:\(port)"
    }

    /// SIGTERM (the server drains and exits), then waits.
    public func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
