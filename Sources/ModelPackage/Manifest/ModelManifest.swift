import Foundation
import Yams

/// The `MLmodel` file of a package: MLflow's top-level keys (`artifact_path`, `flavors`,
/// `model_uuid`, `utc_time_created`, `run_id`, `model_size_bytes`, `signature`,
/// `saved_input_example_info`, `metadata`) with mltrack's part in `flavors.mltrack` and the
/// training lineage in `metadata.mltrack_lineage`. No `python_function` flavor and no
/// `mlflow_version` are written: no Python loader exists and MLflow did not write the file (see
/// docs/design/model-package.md).
///
/// ```swift
/// let m = try ModelManifest.parse(yaml: text, path: "/models/churn/MLmodel")
/// print(m.mltrack.modelKind, m.signature?.inputs.map(\.name) ?? [])
/// let back = try m.yaml()
/// ```
public struct ModelManifest: Sendable, Hashable {
    /// Where the package sits among the run's artifacts (e.g. `model`), when logged; nil when
    /// saved to a plain directory (MLflow's `save_model` leaves it out too).
    public var artifactPath: String?
    /// 32 lowercase hex digits (a UUID4 without dashes, as MLflow's `save_model` writes).
    public var modelUUID: String
    /// `YYYY-MM-DD HH:MM:SS.ffffff` in UTC.
    public var utcTimeCreated: String
    /// The training run, when known (MLflow's `run_id`).
    public var runId: String?
    /// Sum of the listed files' sizes (MLflow's `model_size_bytes`; `MLmodel` itself not counted).
    public var modelSizeBytes: Int?
    public var mltrack: MltrackFlavor
    public var signature: ModelSignature?
    public var inputExample: InputExampleInfo?
    public var lineage: TrainingLineage?

    public init(artifactPath: String? = nil, modelUUID: String, utcTimeCreated: String, runId: String? = nil,
                modelSizeBytes: Int? = nil, mltrack: MltrackFlavor, signature: ModelSignature? = nil,
                inputExample: InputExampleInfo? = nil, lineage: TrainingLineage? = nil) {
        self.artifactPath = artifactPath
        self.modelUUID = modelUUID
        self.utcTimeCreated = utcTimeCreated
        self.runId = runId
        self.modelSizeBytes = modelSizeBytes
        self.mltrack = mltrack
        self.signature = signature
        self.inputExample = inputExample
        self.lineage = lineage
    }

    public static let fileName = "MLmodel"
    /// The largest `MLmodel` read (a manifest is a few kilobytes).
    static let maxBytes = 16 << 20

    // MARK: writing

    /// The manifest as YAML, keys sorted as MLflow's `yaml.safe_dump` writes them.
    public func yaml() throws -> String {
        var root: [(String, Node)] = []
        if let artifactPath { root.append(("artifact_path", str(artifactPath))) }
        root.append(("flavors", map([("mltrack", flavorNode())])))
        if let lineage, !lineage.isEmpty {
            root.append(("metadata", map([("mltrack_lineage", lineageNode(lineage))])))
        }
        if let modelSizeBytes { root.append(("model_size_bytes", int(modelSizeBytes))) }
        root.append(("model_uuid", str(modelUUID)))
        if let runId { root.append(("run_id", str(runId))) }
        if let inputExample {
            var e: [(String, Node)] = [("artifact_path", str(inputExample.artifactPath)),
                                       ("pandas_orient", str(inputExample.pandasOrient))]
            if let s = inputExample.servingInputPath { e.append(("serving_input_path", str(s))) }
            e.append(("type", str(inputExample.type)))
            root.append(("saved_input_example_info", map(e)))
        }
        if let signature {
            root.append(("signature", map([("inputs", str(signature.inputsJSON)),
                                            ("outputs", str(signature.outputsJSON)),
                                            ("params", Node("null", Tag(.null)))])))
        }
        root.append(("utc_time_created", str(utcTimeCreated)))
        return try Yams.serialize(node: map(root), width: -1)
    }

    private func flavorNode() -> Node {
        let f = mltrack
        var pairs: [(String, Node)] = [
            ("files", Node(f.files.map { c in
                map([("bytes", int(c.bytes)), ("path", str(c.path)), ("sha256", str(c.sha256))])
            })),
            ("format_version", int(f.formatVersion)),
            ("model_kind", str(f.modelKind)),
            ("package_format_version", int(f.packageFormatVersion)),
        ]
        if let p = f.pipelineFile { pairs.append(("pipeline", str(p))) }
        pairs.append(("state", str(f.stateFile)))
        pairs.append(("tensors", map(f.tensors.keys.sorted().compactMap { name in
            guard let t = f.tensors[name] else { return nil }
            return (name, map([("dtype", str(t.dtype.name)), ("path", str(t.path)),
                               ("shape", Node(t.shape.map { int($0) }, Tag(.implicit), .flow))]))
        })))
        return map(pairs)
    }

    private func lineageNode(_ l: TrainingLineage) -> Node {
        var p: [(String, Node)] = []
        if let v = l.deltaVersion { p.append(("delta_version", Node(String(v)))) }
        if let v = l.rowCount { p.append(("row_count", int(v))) }
        if let v = l.schemaFingerprint { p.append(("schema_fingerprint", str(v))) }
        if let v = l.tableFormat { p.append(("table_format", str(v))) }
        if let v = l.tablePath { p.append(("table_path", str(v))) }
        if let v = l.trainingRunId { p.append(("training_run_id", str(v))) }
        return map(p)
    }

    private func str(_ s: String) -> Node { .scalar(s.represented()) }
    private func int(_ i: Int) -> Node { Node(String(i)) }
    private func map(_ pairs: [(String, Node)]) -> Node { Node(pairs.map { (Node($0.0), $0.1) }) }

    // MARK: reading

    /// Parses an `MLmodel` file's text; `path` names the file in errors. Throws for YAML that is
    /// not a mapping, a package without the `mltrack` flavor (an MLflow sklearn model, say), a
    /// package format newer than this build reads, and any missing or malformed field.
    public static func parse(yaml text: String, path: String) throws -> ModelManifest {
        func fail(_ m: String) -> ModelPackageError { ModelPackageError(path: path, m) }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw fail("is not valid YAML: \(error)")
        }
        guard let root, let top = root.mapping else { throw fail("is not a YAML mapping") }
        guard let flavors = top["flavors"]?.mapping else { throw fail("has no `flavors` mapping") }
        guard let flavor = flavors["mltrack"] else {
            let names = flavors.keys.compactMap(\.string).sorted()
            throw fail("is not an mltrack model package: its flavors are [\(names.joined(separator: ", "))]; "
                + "mltrack loads only packages with the `mltrack` flavor")
        }
        let r = FieldReader(path: path, prefix: "flavors.mltrack")
        guard let fm = flavor.mapping else { throw r.fail("", "is not a mapping") }
        let packageVersion = try r.int(fm, "package_format_version")
        guard packageVersion >= 1 else { throw r.fail("package_format_version", "must be at least 1") }
        guard packageVersion <= ModelPackage.formatVersion else {
            throw r.fail("package_format_version", "is \(packageVersion), newer than this mltrack reads (\(ModelPackage.formatVersion)); upgrade mltrack")
        }
        let kind = try r.string(fm, "model_kind")
        let formatVersion = try r.int(fm, "format_version")
        guard formatVersion >= 1 else { throw r.fail("format_version", "must be at least 1") }
        let state = try r.relativePath(fm, "state")
        let pipeline: String? = fm["pipeline"].map { $0.null != nil } ?? true ? nil : try r.relativePath(fm, "pipeline")

        var tensors: [String: TensorEntry] = [:]
        if let tn = fm["tensors"], tn.null == nil {
            guard let tm = tn.mapping else { throw r.fail("tensors", "is not a mapping") }
            for (k, v) in tm {
                guard let name = k.string, TensorName.isValid(name) else {
                    throw r.fail("tensors", "has an invalid tensor name \(k.string ?? "?")")
                }
                let tr = FieldReader(path: path, prefix: "flavors.mltrack.tensors.\(name)")
                guard let e = v.mapping else { throw tr.fail("", "is not a mapping") }
                let dname = try tr.string(e, "dtype")
                guard let dtype = TensorData.DType(name: dname) else { throw tr.fail("dtype", "unknown dtype \(dname)") }
                guard let shapeNode = e["shape"]?.sequence else { throw tr.fail("shape", "is missing or not a list") }
                var shape: [Int] = []
                for d in shapeNode {
                    guard let i = d.int, i >= 0 else { throw tr.fail("shape", "has a dimension that is not a non-negative integer") }
                    shape.append(i)
                }
                guard shape.count <= TensorData.maxRank, TensorData.elementCount(shape) != nil else {
                    throw tr.fail("shape", "\(shape) is not a valid tensor shape")
                }
                tensors[name] = TensorEntry(path: try tr.relativePath(e, "path"), dtype: dtype, shape: shape)
            }
        }

        var files: [FileChecksum] = []
        guard let fl = fm["files"]?.sequence else { throw r.fail("files", "is missing or not a list") }
        for (i, f) in fl.enumerated() {
            let fr = FieldReader(path: path, prefix: "flavors.mltrack.files[\(i)]")
            guard let e = f.mapping else { throw fr.fail("", "is not a mapping") }
            let bytes = try fr.int(e, "bytes")
            guard bytes >= 0 else { throw fr.fail("bytes", "is negative") }
            let sha = try fr.string(e, "sha256")
            guard sha.count == 64, sha.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw fr.fail("sha256", "is not 64 lowercase hex digits")
            }
            files.append(FileChecksum(path: try fr.relativePath(e, "path"), bytes: bytes, sha256: sha))
        }

        let topR = FieldReader(path: path, prefix: "")
        let uuid = try topR.string(top, "model_uuid")
        let created = try topR.string(top, "utc_time_created")
        let artifactPath = try topR.optionalString(top, "artifact_path")
        let runId = try topR.optionalString(top, "run_id")
        let size = try top["model_size_bytes"].flatMap { n -> Int? in
            if n.null != nil { return nil }
            guard let i = n.int else { throw topR.fail("model_size_bytes", "is not an integer") }
            return i
        }

        var signature: ModelSignature?
        if let s = top["signature"], s.null == nil {
            let sr = FieldReader(path: path, prefix: "signature")
            guard let sm = s.mapping else { throw sr.fail("", "is not a mapping") }
            let inputs = try sr.optionalString(sm, "inputs").map { try ColumnSpec.parse($0, field: "signature.inputs", path: path) } ?? []
            let outputs = try sr.optionalString(sm, "outputs").map { try ColumnSpec.parse($0, field: "signature.outputs", path: path) } ?? []
            signature = ModelSignature(inputs: inputs, outputs: outputs)
        }

        var example: InputExampleInfo?
        if let s = top["saved_input_example_info"], s.null == nil {
            let er = FieldReader(path: path, prefix: "saved_input_example_info")
            guard let em = s.mapping else { throw er.fail("", "is not a mapping") }
            example = InputExampleInfo(artifactPath: try er.relativePath(em, "artifact_path"),
                                       servingInputPath: try em["serving_input_path"] == nil ? nil : er.relativePath(em, "serving_input_path"),
                                       pandasOrient: try er.optionalString(em, "pandas_orient") ?? "split",
                                       type: try er.optionalString(em, "type") ?? "dataframe")
        }

        var lineage: TrainingLineage?
        if let l = top["metadata"]?.mapping?["mltrack_lineage"], l.null == nil {
            let lr = FieldReader(path: path, prefix: "metadata.mltrack_lineage")
            guard let lm = l.mapping else { throw lr.fail("", "is not a mapping") }
            var v = TrainingLineage()
            v.tablePath = try lr.optionalString(lm, "table_path")
            v.tableFormat = try lr.optionalString(lm, "table_format")
            v.schemaFingerprint = try lr.optionalString(lm, "schema_fingerprint")
            v.trainingRunId = try lr.optionalString(lm, "training_run_id")
            if let n = lm["row_count"], n.null == nil {
                guard let i = n.int else { throw lr.fail("row_count", "is not an integer") }
                v.rowCount = i
            }
            if let n = lm["delta_version"], n.null == nil {
                guard let s = n.scalar?.string, let i = Int64(s) else { throw lr.fail("delta_version", "is not an integer") }
                v.deltaVersion = i
            }
            lineage = v
        }

        return ModelManifest(
            artifactPath: artifactPath, modelUUID: uuid, utcTimeCreated: created, runId: runId, modelSizeBytes: size,
            mltrack: MltrackFlavor(modelKind: kind, formatVersion: formatVersion, packageFormatVersion: packageVersion,
                                   stateFile: state, pipelineFile: pipeline, tensors: tensors, files: files),
            signature: signature, inputExample: example, lineage: lineage)
    }
}

/// Typed field access on a YAML mapping with errors naming the manifest field.
struct FieldReader {
    let path: String
    let prefix: String

    func fail(_ key: String, _ message: String) -> ModelPackageError {
        let field = [prefix, key].filter { !$0.isEmpty }.joined(separator: ".")
        return ModelPackageError(path: path, "`\(field)` \(message)")
    }

    func string(_ m: Node.Mapping, _ key: String) throws -> String {
        guard let n = m[key], n.null == nil else { throw fail(key, "is missing") }
        guard let s = n.scalar?.string else { throw fail(key, "is not a string") }
        return s
    }

    func optionalString(_ m: Node.Mapping, _ key: String) throws -> String? {
        guard let n = m[key], n.null == nil else { return nil }
        guard let s = n.scalar?.string else { throw fail(key, "is not a string") }
        return s
    }

    func int(_ m: Node.Mapping, _ key: String) throws -> Int {
        guard let n = m[key], n.null == nil else { throw fail(key, "is missing") }
        guard let i = n.int else { throw fail(key, "is not an integer") }
        return i
    }

    func relativePath(_ m: Node.Mapping, _ key: String) throws -> String {
        let s = try string(m, key)
        guard PackagePath.isSafe(s) else {
            throw fail(key, "is \"\(s)\", not a plain relative path inside the package")
        }
        return s
    }
}

/// Rules for paths inside a package and tensor names.
enum PackagePath {
    /// A relative `/`-separated path with no empty, `.` or `..` component.
    static func isSafe(_ s: String) -> Bool {
        guard !s.isEmpty, !s.hasPrefix("/"), !s.contains("\\"), !s.contains("\0") else { return false }
        return s.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { c in
            !c.isEmpty && c != "." && c != ".."
        }
    }
}

enum TensorName {
    /// 1–128 of `A-Z a-z 0-9 _ - .`, not starting with `.`: safe as a file name everywhere.
    static func isValid(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 128, !s.hasPrefix(".") else { return false }
        return s.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D || c == 0x2E
        }
    }
}
