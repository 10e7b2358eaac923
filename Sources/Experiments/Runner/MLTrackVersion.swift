/// The mltrack version: printed by `mltrack --version` and recorded on every run (tag `mltrack.version`).
///
/// ```swift
/// print(MLTrackVersion.current)   // "0.1.0"
/// ```
public enum MLTrackVersion {
    public static let current = "0.1.0"
}
