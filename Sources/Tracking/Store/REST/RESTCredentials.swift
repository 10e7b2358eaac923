import Foundation

/// How the REST store authenticates: a bearer token (`MLTRACK_TRACKING_TOKEN`, else
/// `MLFLOW_TRACKING_TOKEN`) or HTTP Basic (`MLTRACK_TRACKING_USERNAME`/`PASSWORD`, else the
/// `MLFLOW_TRACKING_*` pair); the token wins when both are set.
///
/// ```swift
/// let creds = RESTCredentials.fromEnvironment()
/// creds.authorizationHeader   // "Bearer …", "Basic …" or nil
/// ```
public enum RESTCredentials: Sendable, Hashable {
    case none
    case basic(username: String, password: String)
    case bearer(String)

    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> RESTCredentials {
        func value(_ suffix: String) -> String? {
            for prefix in ["MLTRACK_TRACKING_", "MLFLOW_TRACKING_"] {
                if let v = env[prefix + suffix], !v.isEmpty { return v }
            }
            return nil
        }
        if let token = value("TOKEN") { return .bearer(token) }
        if let user = value("USERNAME") { return .basic(username: user, password: value("PASSWORD") ?? "") }
        return .none
    }

    /// The `Authorization` header value, nil for ``none``.
    public var authorizationHeader: String? {
        switch self {
        case .none: nil
        case let .basic(u, p): "Basic " + Data("\(u):\(p)".utf8).base64EncodedString()
        case let .bearer(t): "Bearer " + t
        }
    }
}
