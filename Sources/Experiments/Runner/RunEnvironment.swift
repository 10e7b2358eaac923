import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about the process and its surroundings that a run records: the git commit of a folder,
/// the host, the process id, whether a process is alive, the peak resident memory, the user.
///
/// ```swift
/// RunEnvironment.gitCommit(directory: "Experiments")   // "9fceb02…" or nil outside a repository
/// RunEnvironment.peakRSSMegabytes()                     // 412.5
/// ```
public enum RunEnvironment {
    /// `git rev-parse HEAD` run in `directory`; nil when git is missing or the folder is not in a
    /// repository (or the repository has no commit yet).
    public static func gitCommit(directory: String) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "rev-parse", "HEAD"]
        p.currentDirectoryURL = URL(fileURLWithPath: directory.isEmpty ? "." : directory, isDirectory: true)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count == 40 || text.count == 64, text.allSatisfy(\.isHexDigit) else { return nil }
        return text
    }

    /// This machine's host name.
    public static var host: String { ProcessInfo.processInfo.hostName }

    public static var pid: Int32 { getpid() }

    /// True when a process with this id exists on this host (also when it belongs to another user).
    public static func isAlive(pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) == 0 { return true }
        return errno == EPERM
    }

    /// Peak resident set size of this process so far, in MiB (`getrusage` `ru_maxrss`).
    public static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return .nan }
        #if canImport(Darwin)
        return Double(usage.ru_maxrss) / (1024 * 1024)   // bytes on macOS
        #else
        return Double(usage.ru_maxrss) / 1024            // KiB on Linux
        #endif
    }

    /// `$USER`, else `$LOGNAME`, else "unknown".
    public static var user: String {
        let env = ProcessInfo.processInfo.environment
        return env["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LOGNAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
    }

    /// Milliseconds since the epoch.
    public static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
