import Foundation
import Testing

/// A tracking server in a child process on 127.0.0.1: the real `mlflow server` (MLTRACK_PYTHON's)
/// or the built `mltrack server`, each with an artifacts destination in a fresh directory. The
/// child is a process-group leader; ``stop()`` kills the group.
final class PeerServer: @unchecked Sendable {
    let process: Process
    let port: Int
    let dir: URL
    let log: URL

    private init(process: Process, port: Int, dir: URL, log: URL) {
        self.process = process
        self.port = port
        self.dir = dir
        self.log = log
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var destination: URL { dir.appendingPathComponent("artifacts") }
    var logText: String { String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self) }

    func stop() {
        if process.isRunning { kill(-process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Waits (bounded, 120 s) until `/health` answers, polling from Python.
    func waitUntilUp() throws {
        let up = (try? PythonPeer.run("""
            import time, urllib.request
            for _ in range(480):
                try:
                    if urllib.request.urlopen("http://127.0.0.1:\(port)/health", timeout=2).status == 200:
                        print("up"); break
                except Exception:
                    time.sleep(0.25)
            """))?.contains("up") == true
        try #require(up, "server did not start: \(logText)")
    }

    private static func start(_ executable: String, _ arguments: (Int, URL) -> [String], label: String) throws -> PeerServer {
        let dir = try TestPaths.tempDir(label)
        let port = try MLflowServerProcess.freePort()
        let log = dir.appendingPathComponent("log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments(port, dir)
        var env = ProcessInfo.processInfo.environment
        env["MLFLOW_DISABLE_TELEMETRY"] = "true"
        env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"
        p.environment = env
        p.standardOutput = try FileHandle(forWritingTo: log)
        p.standardError = try FileHandle(forWritingTo: log)
        try p.run()
        let server = PeerServer(process: p, port: port, dir: dir, log: log)
        do { try server.waitUntilUp() } catch { server.stop(); throw error }
        return server
    }

    static func mlflow() throws -> PeerServer {
        let python = try #require(PythonPeer.python)
        return try start(python, { port, dir in
            ["-m", "mlflow", "server", "--host", "127.0.0.1", "--port", String(port),
             "--backend-store-uri", "sqlite:///" + dir.appendingPathComponent("db.sqlite").path,
             "--artifacts-destination", dir.appendingPathComponent("artifacts").path, "--workers", "1"]
        }, label: "peer-mlflow")
    }

    static func mltrack(extra: [String] = []) throws -> PeerServer {
        let binary = try #require(MLTrackCLI.binary)
        return try start(binary, { port, dir in
            ["server", "--port", String(port), "--backend-store-uri", "sqlite://" + dir.appendingPathComponent("mltrack.db").path,
             "--artifacts-destination", dir.appendingPathComponent("artifacts").path, "--quiet"] + extra
        }, label: "peer-mltrack")
    }
}
