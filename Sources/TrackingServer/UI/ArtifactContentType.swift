/// The content type the web UI serves an artifact with, from its extension: text-like files as
/// `text/plain` (HTML too, so an artifact never runs in the UI's origin), JSON, SVG and common
/// images as themselves, everything else as a download (`application/octet-stream`).
///
/// ```swift
/// ArtifactContentType.of("plots/roc.svg")     // "image/svg+xml"
/// ArtifactContentType.of("model/MLmodel")     // "text/plain; charset=utf-8"
/// ArtifactContentType.isText("report.md")     // true
/// ```
public enum ArtifactContentType {
    static let textExtensions: Set<String> = ["txt", "log", "md", "csv", "tsv", "yaml", "yml", "json", "py", "toml", "ini", "cfg",
                                              "html", "htm", "xml", "sql", "sh", "swift", "r", "ipynb", "jsonl", "text"]
    static let textNames: Set<String> = ["MLmodel", "requirements.txt", "conda.yaml", "python_env.yaml", "LICENSE", "README"]

    static func fileExtension(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    static func name(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    /// True when the file is shown as a text preview.
    public static func isText(_ path: String) -> Bool {
        textNames.contains(name(path)) || textExtensions.contains(fileExtension(path))
    }

    /// True for an SVG image.
    public static func isSVG(_ path: String) -> Bool { fileExtension(path) == "svg" }

    /// True for an image the page shows with `<img>`.
    public static func isImage(_ path: String) -> Bool { ["svg", "png", "jpg", "jpeg", "gif", "webp"].contains(fileExtension(path)) }

    public static func of(_ path: String) -> String {
        switch fileExtension(path) {
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "json": return "application/json"
        default: return isText(path) ? "text/plain; charset=utf-8" : "application/octet-stream"
        }
    }
}
