import Foundation
import GRDB
import Testing
@testable import Tracking
#if canImport(Glibc)
import Glibc
#endif

/// A real `mlflow server` (sqlite backend, proxied artifacts) on a free 127.0.0.1 port, from the
/// venv that holds `$MLTRACK_PYTHON`. Starting one takes tens of seconds on a busy machine, so
/// one server serves every check: ``reset()`` puts its database back to the state it had when it
/// came up (only the `Default` experiment), which is what "a fresh, empty store" means for it.
final class MLflowServerPeer: @unchecked Sendable {
    static var executable: String? {
        guard let python = PythonPeer.python else { return nil }
        let mlflow = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("mlflow").path
        return FileManager.default.isExecutableFile(atPath: mlflow) ? mlflow : nil
    }

    let url: String
    let dir: URL
    private let process: Process
    private var db: String { dir.appendingPathComponent("db.sqlite").path }
    private var template: String { dir.appendingPathComponent("template.sqlite").path }

    init(executable: String) throws {
        dir = try TestPaths.tempDir("mlflow-server")
        let port = try Self.freePort()
        url = "http://127.0.0.1:\(port)"
        process = Process()
        // Foundation starts the child as the leader of its own process group: the server, its
        // uvicorn worker and job runners are stopped together through it.
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["server", "--host", "127.0.0.1", "--port", "\(port)", "--workers", "1",
                             "--backend-store-uri", "sqlite:///" + dir.appendingPathComponent("db.sqlite").path,
                             "--artifacts-destination", dir.appendingPathComponent("art").path]
        var env = ProcessInfo.processInfo.environment
        env["MLFLOW_DISABLE_TELEMETRY"] = "true"
        process.environment = env
        let log = dir.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        do {
            try waitForHealth(log: log)
            try FileManager.default.copyItem(atPath: db, toPath: template)
        } catch {
            stop()
            throw error
        }
    }

    private func waitForHealth(log: URL) throws {
        let transport = URLSessionTransport(timeout: 5)
        for _ in 0 ..< 900 {   // up to 3 minutes: the first start migrates the database
            guard process.isRunning, let health = URL(string: url + "/health") else { break }
            if let r = try? transport.send(RESTRequest(method: "GET", url: health)), r.status == 200 { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw PythonPeer.Failure(description: "mlflow server did not come up at \(url):\n\(text.suffix(2000))")
    }

    /// Every table back to its rows at start-up.
    func reset() throws {
        var config = Configuration()
        config.foreignKeysEnabled = false
        config.busyMode = .timeout(10)
        let q = try DatabaseQueue(path: db, configuration: config)
        try q.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS t", arguments: [template])
            try db.inTransaction {
                let tables = try String.fetchAll(db, sql: "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name != 'alembic_version'")
                for t in tables {
                    try db.execute(sql: "DELETE FROM main.\"\(t)\"")
                    // Only a few tables had rows at start-up (experiment 0); `SELECT *` would
                    // trip over generated columns of others.
                    if try Int.fetchOne(db, sql: "SELECT count(*) FROM t.\"\(t)\"") ?? 0 > 0 {
                        try db.execute(sql: "INSERT INTO main.\"\(t)\" SELECT * FROM t.\"\(t)\"")
                    }
                }
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE t")
        }
    }

    /// SIGTERM to the server's process group, then (the server waits for its job runners) SIGKILL
    /// to whatever of the group is left.
    func stop() {
        let group = -process.processIdentifier
        kill(group, SIGTERM)
        for _ in 0 ..< 50 where process.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        kill(group, SIGKILL)
        process.waitUntilExit()
    }

    /// A port the kernel says is free now (bind to port 0, read it back, close).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PythonPeer.Failure(description: "socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, len) == 0 && getsockname(fd, sa, &len) == 0
            }
        }
        guard ok else { throw PythonPeer.Failure(description: "cannot bind a free port") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

/// The store conformance suite run through ``RESTTrackingStore`` against a real `mlflow server`
/// (skipped when the venv of `$MLTRACK_PYTHON` has no `mlflow`). Differences of MLflow's server
/// are the suite's ``TrackingStoreConformance/Capabilities/mlflowServer``.
@Suite(.serialized) struct RESTConformanceTests {
    @Test(.enabled(if: MLflowServerPeer.executable != nil, "no mlflow next to $MLTRACK_PYTHON: the REST store is not checked against a real mlflow server"))
    func conformanceAgainstRealMLflowServer() throws {
        let server = try MLflowServerPeer(executable: try #require(MLflowServerPeer.executable))
        defer { server.stop() }
        let store = try RESTTrackingStore(uri: server.url)
        for check in TrackingStoreConformance.Check.allCases {
            try server.reset()
            let suite = TrackingStoreConformance(makeStore: { store }, capabilities: .mlflowServer)
            do {
                try suite.run(check)
            } catch {
                Issue.record("check \(check.rawValue): \(error)")
            }
        }
    }
}
