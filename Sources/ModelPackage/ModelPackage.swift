import Foundation

/// Saves fitted models (with their feature pipeline, signature and training lineage) to a model
/// package directory and loads them back. The format is in docs/design/model-package.md.
///
/// ```swift
/// let manifest = try ModelPackage.save(model: model, pipeline: pipeline, signature: signature,
///                                      lineage: TrainingLineage(try table.lineage()), to: dir)
/// let loaded = try ModelPackage.load(from: dir)
/// let model = try loaded.model(as: LogisticModel.self)
/// let pipeline = try loaded.pipeline(as: FittedPipeline.self)
/// ```
public enum ModelPackage {
    /// Version of the package layout this build writes and the newest it reads.
    public static let formatVersion = 1

    public static let stateFile = "model.json"
    public static let pipelineFile = "pipeline.json"
    public static let tensorDirectory = "tensors"
    public static let inputExampleFile = "input_example.json"
    public static let servingInputExampleFile = "serving_input_example.json"
    /// The largest JSON file (state, pipeline, examples) a load reads.
    public static let maxJSONBytes = 1 << 30

    /// Options of ``save(model:pipeline:signature:lineage:to:options:)``.
    public struct SaveOptions: Sendable {
        /// Replace an existing package at the destination (default: refuse).
        public var overwrite: Bool
        /// `artifact_path` to record (e.g. `model` when logged to a run).
        public var artifactPath: String?
        /// Example rows, saved as `input_example.json` and `serving_input_example.json`.
        public var inputExample: InputExample?
        /// `model_uuid` (default: a new UUID4 as 32 hex digits).
        public var modelUUID: String?
        /// `utc_time_created` (default: now).
        public var created: Date?

        public init(overwrite: Bool = false, artifactPath: String? = nil, inputExample: InputExample? = nil,
                    modelUUID: String? = nil, created: Date? = nil) {
            self.overwrite = overwrite
            self.artifactPath = artifactPath
            self.inputExample = inputExample
            self.modelUUID = modelUUID
            self.created = created
        }
    }

    /// Writes a package for `model` (and `pipeline`, any Encodable fitted feature pipeline) to
    /// `url`, atomically: everything is written and fsynced in a hidden sibling directory that is
    /// then renamed to `url`, so a reader sees either no package or a complete one. Refuses an
    /// existing `url` unless `options.overwrite`. Returns the manifest written.
    @discardableResult
    public static func save<Model: PackageableModel>(
        model: Model, pipeline: (any Encodable)? = nil, signature: ModelSignature?, lineage: TrainingLineage?,
        to url: URL, options: SaveOptions = SaveOptions()
    ) throws -> ModelManifest {
        let dest = url.standardizedFileURL.path
        guard isValidKind(Model.flavor) else {
            throw ModelPackageError(path: dest, "model kind \"\(Model.flavor)\" of \(Model.self) is not [a-z0-9_]+")
        }
        guard Model.formatVersion >= 1 else {
            throw ModelPackageError(path: dest, "format version \(Model.formatVersion) of \(Model.self) must be at least 1")
        }
        let fm = FileManager.default
        if fm.fileExists(atPath: dest), !options.overwrite {
            throw ModelPackageError(path: dest, "a file or package already exists here (pass overwrite to replace it)")
        }
        // Encode everything before touching the disk.
        let encoder = PackageJSON.encoder()
        let stateData: Data
        let pipelineData: Data?
        let tensors: [String: TensorData]
        do {
            stateData = try encoder.encode(model.packageState())
            pipelineData = try pipeline.map { try encoder.encode($0) }
            tensors = try model.packageTensors()
        } catch let e as ModelPackageError {
            throw e
        } catch {
            throw ModelPackageError(path: dest, "cannot encode the \(Model.flavor) model: \(error)")
        }
        for name in tensors.keys where !TensorName.isValid(name) {
            throw ModelPackageError(path: dest, "tensor name \"\(name)\" is not 1–128 of A-Z a-z 0-9 _ - . (not starting with .)")
        }

        return try AtomicDirectory.write(to: dest, overwrite: options.overwrite) { tmp in
            var files: [FileChecksum] = []
            func record(_ rel: String, _ r: (bytes: Int, sha256: String)) {
                files.append(FileChecksum(path: rel, bytes: r.bytes, sha256: r.sha256))
            }
            record(stateFile, try PackageFile.write(tmp + "/" + stateFile, data: stateData))
            if let pipelineData {
                record(pipelineFile, try PackageFile.write(tmp + "/" + pipelineFile, data: pipelineData))
            }
            var entries: [String: TensorEntry] = [:]
            if !tensors.isEmpty {
                try FileManager.default.createDirectory(atPath: tmp + "/" + tensorDirectory, withIntermediateDirectories: false)
                for name in tensors.keys.sorted() {
                    guard let t = tensors[name] else { continue }
                    let rel = "\(tensorDirectory)/\(name).\(TensorFile.fileExtension)"
                    record(rel, try TensorFile.write(t, to: tmp + "/" + rel))
                    entries[name] = TensorEntry(path: rel, dtype: t.dtype, shape: t.shape)
                }
                try PackageFile.syncDirectory(tmp + "/" + tensorDirectory)
            }
            var exampleInfo: InputExampleInfo?
            if let ex = options.inputExample {
                guard ex.data.allSatisfy({ $0.count == ex.columns.count }) else {
                    throw ModelPackageError(path: dest, "input example rows must each have \(ex.columns.count) values (one per column)")
                }
                record(inputExampleFile, try PackageFile.write(tmp + "/" + inputExampleFile, data: encoder.encode(ex)))
                let serving = try encoder.encode(["dataframe_split": ex])
                record(servingInputExampleFile, try PackageFile.write(tmp + "/" + servingInputExampleFile, data: serving))
                exampleInfo = InputExampleInfo(artifactPath: inputExampleFile, servingInputPath: servingInputExampleFile)
            }
            files.sort { $0.path < $1.path }
            let manifest = ModelManifest(
                artifactPath: options.artifactPath,
                modelUUID: options.modelUUID ?? UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(),
                utcTimeCreated: utcTimestamp(options.created ?? Date()),
                runId: lineage?.trainingRunId,
                modelSizeBytes: files.reduce(0) { $0 + $1.bytes },
                mltrack: MltrackFlavor(modelKind: Model.flavor, formatVersion: Model.formatVersion,
                                       packageFormatVersion: formatVersion, stateFile: stateFile,
                                       pipelineFile: pipelineData == nil ? nil : pipelineFile,
                                       tensors: entries, files: files),
                signature: signature, inputExample: exampleInfo, lineage: lineage)
            _ = try PackageFile.write(tmp + "/" + ModelManifest.fileName, data: Data(try manifest.yaml().utf8))
            return manifest
        }
    }

    /// Reads and verifies the package at `url`: parses `MLmodel`, checks every listed file's size
    /// and SHA-256, and decodes and validates every tensor. Throws a ``ModelPackageError`` naming
    /// the file and the problem for anything missing, damaged, foreign or too new.
    public static func load(from url: URL) throws -> LoadedPackage {
        let root = url.standardizedFileURL.path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir) else {
            throw ModelPackageError(path: root, "no model package here (the directory does not exist)")
        }
        guard isDir.boolValue else { throw ModelPackageError(path: root, "is a file, not a model package directory") }
        let manifestPath = root + "/" + ModelManifest.fileName
        guard FileManager.default.fileExists(atPath: manifestPath) else {
            throw ModelPackageError(path: manifestPath, "is missing: this directory is not a model package")
        }
        let text = try PackageFile.readAll(manifestPath, limit: ModelManifest.maxBytes)
        guard let yaml = String(data: text, encoding: .utf8) else {
            throw ModelPackageError(path: manifestPath, "is not UTF-8 text")
        }
        let manifest = try ModelManifest.parse(yaml: yaml, path: manifestPath)
        let flavor = manifest.mltrack

        var listed: [String: FileChecksum] = [:]
        for f in flavor.files {
            guard listed.updateValue(f, forKey: f.path) == nil else {
                throw ModelPackageError(path: manifestPath, "`flavors.mltrack.files` lists \(f.path) twice")
            }
        }
        func checksum(_ rel: String) throws -> FileChecksum {
            guard let c = listed[rel] else {
                throw ModelPackageError(path: manifestPath, "`flavors.mltrack.files` has no checksum for \(rel)")
            }
            return c
        }
        func verify(_ rel: String, bytes: Int, sha256: String) throws {
            let c = try checksum(rel)
            guard c.bytes == bytes, c.sha256 == sha256 else {
                throw ModelPackageError(path: root + "/" + rel,
                    "checksum mismatch: the file has \(bytes) bytes with SHA-256 \(sha256), the manifest lists \(c.bytes) bytes with \(c.sha256); the package is damaged")
            }
        }
        func readJSON(_ rel: String) throws -> Data {
            _ = try checksum(rel)
            let data = try PackageFile.readAll(root + "/" + rel, limit: maxJSONBytes)
            try verify(rel, bytes: data.count, sha256: PackageFile.sha256Hex(data))
            return data
        }

        let state = try readJSON(flavor.stateFile)
        let pipeline = try flavor.pipelineFile.map { try readJSON($0) }
        var tensors: [String: TensorData] = [:]
        for name in flavor.tensors.keys.sorted() {
            guard let entry = flavor.tensors[name] else { continue }
            let path = root + "/" + entry.path
            _ = try checksum(entry.path)
            let (tensor, file) = try TensorFile.read(path)
            guard tensor.dtype == entry.dtype, tensor.shape == entry.shape else {
                throw ModelPackageError(path: path,
                    "holds \(tensor.dtype.name) \(tensor.shape) but the manifest declares \(entry.dtype.name) \(entry.shape) for tensor \(name)")
            }
            try verify(entry.path, bytes: file.bytes, sha256: file.sha256)
            tensors[name] = tensor
        }
        // Other listed files (input examples): present and intact.
        let known = Set([flavor.stateFile] + (flavor.pipelineFile.map { [$0] } ?? []) + flavor.tensors.values.map(\.path))
        for f in flavor.files where !known.contains(f.path) {
            _ = try readJSON(f.path)
        }
        return LoadedPackage(path: root, manifest: manifest, stateJSON: state, pipelineJSON: pipeline, tensors: tensors)
    }

    static func isValidKind(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    /// MLflow's `utc_time_created` spelling: `2026-11-21 15:30:51.491963`.
    static func utcTimestamp(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC") ?? cal.timeZone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let t = date.timeIntervalSince1970
        let micros = Int(((t - t.rounded(.down)) * 1_000_000).rounded())
        func pad(_ v: Int?, _ n: Int) -> String {
            let s = String(v ?? 0)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)).\(pad(min(micros, 999_999), 6))"
    }
}
