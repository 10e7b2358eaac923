import Foundation

/// Where a model version's package is on this machine: its `source` is a `file://` URI or a plain
/// path (what the local artifact store records). Other schemes are refused with an error naming the
/// source; remote sources (`mlflow-artifacts:/…`, http(s)) are downloaded first by ``PackageCache``.
///
/// ```swift
/// let dir = try PackageLocation.localURL("file:///srv/mltrack/artifacts/1/ab12/artifacts/model")
/// ```
public enum PackageLocation {
    public static func localURL(_ source: String) throws -> URL {
        if source.hasPrefix("file:") {
            guard let u = URL(string: source), u.isFileURL else {
                throw RegistryError(.invalidParameterValue, "model source '\(source)' is not a valid file URI")
            }
            return u
        }
        if source.hasPrefix("/") || !source.contains(":") { return URL(fileURLWithPath: source) }
        throw RegistryError(.invalidParameterValue, "model source '\(source)': only local packages (file:// or a path) can be loaded")
    }
}
