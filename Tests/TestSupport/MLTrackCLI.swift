import Foundation

/// Runs the built `mltrack` binary for end-to-end CLI tests: the one beside the test bundle, or
/// `.build/debug/mltrack`; tests needing it are disabled when neither exists.
public enum MLTrackCLI {
    public static let binary: String? = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent().appendingPathComponent("mltrack").path,
            TestPaths.packageRoot.appendingPathComponent(".build/debug/mltrack").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Exit status and both output streams of one run.
    public struct Run: Sendable {
        public var status: Int32
        public var out: String
        public var err: String
    }

    /// Runs `mltrack args…`; stdout and stderr go through files, so no pipe can fill up.
    public static func run(_ args: [String]) throws -> Run {
        guard let bin = binary else { throw PythonPeer.Failure(description: "no mltrack binary") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = args
        let dir = try TestPaths.tempDir("cli-io")
        let outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outH = try FileHandle(forWritingTo: outURL), errH = try FileHandle(forWritingTo: errURL)
        p.standardOutput = outH
        p.standardError = errH
        try p.run()
        p.waitUntilExit()
        try outH.close()
        try errH.close()
        return Run(status: p.terminationStatus,
                   out: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                   err: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
