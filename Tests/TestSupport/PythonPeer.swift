import Foundation

/// Runs the Python peers (pyarrow, deltalake) for interoperability tests. The interpreter comes
/// from `MLTRACK_PYTHON` (`make test` sets it to the project's virtualenv); tests that need it are
/// disabled with a reason when it is unset.
public enum PythonPeer {
    public static var python: String? {
        guard let p = ProcessInfo.processInfo.environment["MLTRACK_PYTHON"], !p.isEmpty,
              FileManager.default.isExecutableFile(atPath: p) else { return nil }
        return p
    }

    public static var available: Bool { python != nil }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Runs `script` with `args`; returns stdout. Throws with stderr when it exits non-zero.
    @discardableResult
    public static func run(_ script: String, args: [String] = []) throws -> String {
        guard let python else { throw Failure(description: "MLTRACK_PYTHON is not set") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        // The script ends with os._exit after flushing: deltalake's and pyarrow's native thread
        // pools sometimes abort at interpreter teardown under load ("terminate called without an
        // active exception", exit 6) after the script has done its work. A script that fails
        // earlier still exits non-zero through its uncaught exception.
        let teardown = "\nimport sys as _mt_sys, os as _mt_os\n_mt_sys.stdout.flush(); _mt_sys.stderr.flush(); _mt_os._exit(0)\n"
        p.arguments = ["-c", script + teardown] + args
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes before waiting so a large output cannot block the child.
        let errData = ReadAll(err)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let stderr = errData.wait()
        guard p.terminationStatus == 0 else {
            throw Failure(description: "python exited \(p.terminationStatus): \(String(decoding: stderr, as: UTF8.self))")
        }
        return String(decoding: outData, as: UTF8.self)
    }

    /// Runs `script` and parses its stdout as JSON.
    public static func json(_ script: String, args: [String] = []) throws -> Any {
        let s = try run(script, args: args)
        return try JSONSerialization.jsonObject(with: Data(s.utf8), options: [.fragmentsAllowed])
    }
}

/// Drains a pipe on a background thread.
private final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    init(_ pipe: Pipe) {
        let h = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = h.readDataToEndOfFile()
            done.signal()
        }
    }
    func wait() -> Data {
        done.wait()
        return data
    }
}

/// Locations of test inputs.
public enum TestPaths {
    /// The package root (two levels above this file's folder).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/fixtures/delta-golden` beside the checkout, or nil when absent (a clone outside
    /// this workplace); tests using it are disabled then.
    public static let deltaGolden: URL? = {
        let candidates = [
            packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/delta-golden"),
            URL(fileURLWithPath: "/work/shared/fixtures/delta-golden"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }()

    /// Committed peer-written fixtures (Tests/Fixtures).
    public static let fixtures: URL = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// A fresh temporary directory.
    public static func tempDir(_ label: String = "mltrack-test") throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}
