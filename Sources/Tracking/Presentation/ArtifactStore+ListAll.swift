extension ArtifactStore {
    /// Every file and directory under `path` ("" is the root), depth first in path order: the
    /// recursive listing `mltrack runs show` and `artifacts list --recursive` print.
    ///
    /// ```swift
    /// try LocalArtifactStore(root: run.info.artifactUri).listAll()   // model/, model/MLmodel, plots/roc.svg, …
    /// ```
    public func listAll(path: String = "") throws -> [FileInfo] {
        var out: [FileInfo] = []
        for f in try list(path: path) {
            out.append(f)
            if f.isDir { out += try listAll(path: f.path) }
        }
        return out
    }
}
