import Foundation
import Testing

/// A real `mlflow server` (MLTRACK_PYTHON's) on a free 127.0.0.1 port over a fresh SQLite file and
/// artifact folder, for peer comparisons; stopped (its whole process group) by ``stop()``.
struct MLflowPeerServer {
    let port: Int
    let process: Process
    let log: URL

    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts the server and waits (at most 120 s) until `/health` answers.
    static func start() throws -> MLflowPeerServer {
        let python = try #require(PythonPeer.python)
        let dir = try TestPaths.tempDir("tsrv-peer")
        let port = try #require(Int(try PythonPeer.run(
            "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])").trimmingCharacters(in: .whitespacesAndNewlines)))
        let log = dir.appendingPathComponent("log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        // Foundation starts the child as a process-group leader: the server and its uvicorn worker
        // form one group, stopped together.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-m", "mlflow", "server", "--host", "127.0.0.1", "--port", String(port),
                       "--backend-store-uri", "sqlite:///" + dir.appendingPathComponent("db.sqlite").path,
                       "--artifacts-destination", dir.appendingPathComponent("artifacts").path, "--workers", "1"]
        var env = ProcessInfo.processInfo.environment
        env["MLFLOW_DISABLE_TELEMETRY"] = "true"
        env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"
        p.environment = env
        p.standardOutput = try FileHandle(forWritingTo: log)
        p.standardError = try FileHandle(forWritingTo: log)
        try p.run()
        let server = MLflowPeerServer(port: port, process: p, log: log)
        let up = (try? PythonPeer.run("""
            import time, urllib.request
            for _ in range(480):
                try:
                    if urllib.request.urlopen("http://127.0.0.1:\(port)/health", timeout=2).status == 200:
                        print("up"); break
                except Exception:
                    time.sleep(0.25)
            """))?.contains("up") == true
        if !up {
            server.stop()
            throw PythonPeer.Failure(description: "mlflow server did not start: \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))")
        }
        return server
    }

    func stop() {
        kill(-process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
