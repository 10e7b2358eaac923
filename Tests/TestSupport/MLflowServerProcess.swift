import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A real `mlflow server` (sqlite backend, proxied artifacts, one worker, telemetry off) on a free
/// 127.0.0.1 port, from the venv that holds `$MLTRACK_PYTHON`, for tests that check mltrack's
/// clients against the reference implementation. Starting takes tens of seconds on a busy machine.
/// Foundation starts the child as the leader of its own process group, so ``stop()`` ends the
/// server, its uvicorn worker and job runners together.
///
/// ```swift
/// let server = try MLflowServerProcess()
/// defer { server.stop() }
/// let store = try RESTTrackingStore(uri: server.url)
/// ```
public final class MLflowServerProcess: @unchecked Sendable {
    // @unchecked: every stored property is set once in init.
    /// `mlflow` next to `$MLTRACK_PYTHON`, or nil (tests needing it are disabled then).
    public static var executable: String? {
        guard let python = PythonPeer.python else { return nil }
        let mlflow = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("mlflow").path
        return FileManager.default.isExecutableFile(atPath: mlflow) ? mlflow : nil
    }

    public static var available: Bool { executable != nil }

    /// `http://127.0.0.1:<port>`.
    public let url: String
    /// The server's folder: `db.sqlite`, `art/` (artifacts), `server.log`.
    public let dir: URL
    private let process: Process

    public init() throws {
        guard let executable = Self.executable else { throw PythonPeer.Failure(description: "no mlflow next to $MLTRACK_PYTHON") }
        dir = try TestPaths.tempDir("mlflow-server")
        let port = try Self.freePort()
        url = "http://127.0.0.1:\(port)"
        process = Process()
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
        } catch {
            stop()
            throw error
        }
    }

    /// Starts the server from an async test on a thread of its own: the start-up wait (tens of
    /// seconds) must not hold one of the few cooperative-pool threads the in-process servers of
    /// other suites need to answer.
    public static func start() async throws -> MLflowServerProcess {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<MLflowServerProcess, any Error>) in
            Thread { c.resume(with: Result { try MLflowServerProcess() }) }.start()
        }
    }

    private func waitForHealth(log: URL) throws {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 5
        let session = URLSession(configuration: config)
        defer { session.finishTasksAndInvalidate() }
        for _ in 0 ..< 900 {   // up to 3 minutes: the first start migrates the database
            guard process.isRunning, let health = URL(string: url + "/health") else { break }
            if Self.status(of: health, session: session) == 200 { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw PythonPeer.Failure(description: "mlflow server did not come up at \(url):\n\(text.suffix(2000))")
    }

    private static func status(of url: URL, session: URLSession) -> Int? {
        final class Box: @unchecked Sendable { var status: Int? }
        let box = Box(), done = DispatchSemaphore(value: 0)
        session.dataTask(with: url) { _, response, _ in
            box.status = (response as? HTTPURLResponse)?.statusCode
            done.signal()
        }.resume()
        done.wait()
        return box.status
    }

    /// SIGTERM to the server's process group, then (the server waits for its job runners) SIGKILL
    /// to whatever of the group is left.
    public func stop() {
        let group = -process.processIdentifier
        kill(group, SIGTERM)
        for _ in 0 ..< 50 where process.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        kill(group, SIGKILL)
        process.waitUntilExit()
    }

    /// A port the kernel says is free now (bind to port 0, read it back, close).
    public static func freePort() throws -> Int {
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
