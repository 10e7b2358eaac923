import Foundation
import Tracking

extension WebUI {
    /// `/artifacts/{run}/{path…}`: the file's bytes with ``ArtifactContentType`` and headers that
    /// keep it inert (sandboxing CSP, nosniff; downloads as attachments).
    func rawArtifact(_ segments: ArraySlice<String>) throws -> WebUIResponse {
        guard let runId = segments.first, segments.count >= 2 else {
            throw TrackingError(.invalidParameterValue, "artifact URL must be /artifacts/<run id>/<path>")
        }
        let path = segments.dropFirst().joined(separator: "/")
        let run = try tracking.getRun(id: runId)
        guard let store = try artifacts(run.info) else {
            throw TrackingError(.resourceDoesNotExist, "the artifacts of run \(runId) (\(run.info.artifactUri)) are not browsable here")
        }
        let data = try store.read(path: path)
        let type = ArtifactContentType.of(path)
        let inline = type != "application/octet-stream"
        let name = ArtifactContentType.name(path).filter { $0 != "\"" && $0 != "\\" && !$0.isNewline }
        return WebUIResponse(status: 200, contentType: type, headers: [
            ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Disposition", (inline ? "inline" : "attachment") + "; filename=\"\(name)\""),
        ], body: data)
    }

    /// The artifacts section of a run page: every file and directory (recursively, at most 500
    /// entries) with sizes and links, SVG and other images shown through `<img>` (an image never
    /// runs scripts), text files previewed (the first ``previewBytes`` bytes, escaped).
    func artifactsSection(_ run: Run) -> String {
        var s = "<h2 id=\"artifacts\">Artifacts</h2>\n<p class=\"muted\">\(HTML.escape(run.info.artifactUri))</p>\n"
        let store: (any ArtifactStore)?
        do { store = try artifacts(run.info) } catch {
            return s + "<p class=\"error\">\(HTML.escape("cannot open the artifacts: \(error)"))</p>\n"
        }
        guard let store else { return s + HTML.empty("The artifacts of this run are not stored where this server can read them.") }
        let files: [FileInfo]
        do { files = try store.listAll() } catch {
            return s + "<p class=\"error\">\(HTML.escape("cannot list the artifacts: \(error)"))</p>\n"
        }
        guard !files.isEmpty else { return s + HTML.empty("No artifacts logged.") }
        let base = "/artifacts/" + HTML.pathSegment(run.info.runId) + "/"
        var rows: [[String]] = []
        for f in files.prefix(500) {
            let depth = f.path.split(separator: "/").count - 1
            let indent = String(repeating: "&nbsp;&nbsp;&nbsp;", count: depth)
            let name = ArtifactContentType.name(f.path) + (f.isDir ? "/" : "")
            let cell = f.isDir ? indent + HTML.escape(name) : indent + HTML.link(base + HTML.path(f.path), name)
            rows.append([cell, f.fileSize.map { "\($0)" } ?? "", f.isDir ? "directory" : HTML.escape(ArtifactContentType.of(f.path))])
        }
        s += HTML.table(["Path", "Size (bytes)", "Type"], rows, cssClass: "grid artifacts")
        if files.count > 500 { s += HTML.empty("\(files.count - 500) more entries not shown.") }
        var previews = 0
        for f in files where !f.isDir && previews < 20 {
            if ArtifactContentType.isImage(f.path) {
                previews += 1
                s += "<h3>\(HTML.escape(f.path))</h3>\n<img class=\"preview\" alt=\"\(HTML.escape(f.path))\" src=\"\(HTML.escape(base + HTML.path(f.path)))\">\n"
            } else if ArtifactContentType.isText(f.path) {
                previews += 1
                guard let data = try? store.read(path: f.path) else { continue }
                let cut = data.count > previewBytes
                let text = String(decoding: data.prefix(previewBytes), as: UTF8.self)
                s += "<h3>\(HTML.escape(f.path))</h3>\n<pre class=\"preview\">\(HTML.escape(text))\(cut ? "\n…" : "")</pre>\n"
            }
        }
        return s
    }
}
