import Foundation

/// Where the tracking store lives. Parsed from `MLTRACK_TRACKING_URI` or a `--tracking-uri` option:
/// `sqlite:///abs/path/mltrack.db` (absolute), `sqlite:relative.db` (relative to the working
/// directory), or a bare path; the default is `./mltrack/mltrack.db`. `http(s)://host:port` opens a
/// ``RESTTrackingStore`` on an MLflow-protocol tracking server; `postgresql://` is recognised but
/// not supported yet and fails with a clear error.
///
/// ```swift
/// let uri = try TrackingURI.resolve()   // MLTRACK_TRACKING_URI or ./mltrack/mltrack.db
/// let store = try SQLiteTrackingStore(uri: uri)
/// ```
public enum TrackingURI: Sendable, Hashable, CustomStringConvertible {
    /// A SQLite file (the path as given; relative paths resolve against the working directory).
    case sqlite(path: String)
    /// A tracking server speaking MLflow's REST protocol (``RESTTrackingStore``).
    case http(String)
    /// A PostgreSQL database (not supported yet).
    case postgresql(String)

    public static let environmentVariable = "MLTRACK_TRACKING_URI"
    public static let defaultPath = "./mltrack/mltrack.db"

    /// Parses a URI or bare path.
    public static func parse(_ text: String) throws -> TrackingURI {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { throw TrackingError(.invalidParameterValue, "empty tracking URI") }
        let lower = t.lowercased()
        if lower.hasPrefix("sqlite:") {
            var rest = String(t.dropFirst("sqlite:".count))
            if rest.hasPrefix("//") {
                rest = String(rest.dropFirst(2))   // sqlite:///abs → /abs ; sqlite:////abs → //abs
                while rest.hasPrefix("//") { rest.removeFirst() }
                guard rest.hasPrefix("/") else {
                    throw TrackingError(.invalidParameterValue, "tracking URI '\(text)': sqlite:// URIs take an absolute path (sqlite:///abs/path.db); use sqlite:relative.db for a relative one")
                }
            }
            guard !rest.isEmpty else { throw TrackingError(.invalidParameterValue, "tracking URI '\(text)' names no database file") }
            return .sqlite(path: rest)
        }
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return .http(t) }
        if lower.hasPrefix("postgresql:") || lower.hasPrefix("postgres:") || lower.hasPrefix("postgresql+") { return .postgresql(t) }
        if let colon = t.firstIndex(of: ":"), t[..<colon].count > 1,
           t[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }),
           t[t.index(after: colon)...].hasPrefix("//") {
            throw TrackingError(.invalidParameterValue, "tracking URI '\(text)': unknown scheme '\(t[..<colon])'; expected sqlite:, http(s):, postgresql: or a file path")
        }
        return .sqlite(path: t)
    }

    /// `explicit` if given, else `MLTRACK_TRACKING_URI`, else `./mltrack/mltrack.db`.
    public static func resolve(explicit: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TrackingURI {
        if let explicit, !explicit.isEmpty { return try parse(explicit) }
        if let env = environment[environmentVariable], !env.isEmpty { return try parse(env) }
        return .sqlite(path: defaultPath)
    }

    public var description: String {
        switch self {
        case let .sqlite(path): path.hasPrefix("/") ? "sqlite://\(path)" : "sqlite:\(path)"
        case let .http(u), let .postgresql(u): u
        }
    }

    /// Opens the store this URI names (SQLite or a tracking server).
    public func openStore() throws -> any TrackingStore {
        switch self {
        case .sqlite: return try SQLiteTrackingStore(uri: self)
        case let .http(u): return try RESTTrackingStore(uri: u)
        case let .postgresql(u):
            throw TrackingError(.invalidParameterValue, "tracking URI '\(u)': PostgreSQL stores are not supported yet; use a sqlite: URI or a file path")
        }
    }
}
