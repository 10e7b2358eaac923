import Foundation

/// Who a mutation is attributed to: an explicit name, else `$USER` (then `$LOGNAME`), else
/// `unknown`.
///
/// ```swift
/// AuditActor.resolve(nil)        // "alice" when USER=alice
/// AuditActor.resolve("ci-bot")   // "ci-bot"
/// ```
public enum AuditActor {
    public static func resolve(_ explicit: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        for k in ["USER", "LOGNAME"] { if let v = environment[k], !v.isEmpty { return v } }
        return "unknown"
    }
}
