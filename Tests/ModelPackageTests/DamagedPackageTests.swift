import Foundation
import ModelPackage
import Testing

/// Every way a package can be damaged or foreign gives a ModelPackageError naming the path and
/// the problem.
@Suite struct DamagedPackageTests {
    func loadError(_ dir: URL) -> ModelPackageError? {
        Damage.error { _ = try ModelPackage.load(from: dir) }
    }

    func editManifest(_ dir: URL, _ edit: (String) -> String) throws {
        try Damage.write(dir, "MLmodel", edit(try Damage.text(dir, "MLmodel")))
    }

    @Test func missingDirectoryOrManifest() throws {
        let (dir, _, _) = try Fixture.savePackage()
        let gone = dir.appendingPathComponent("nope")
        #expect(loadError(gone)?.message.contains("does not exist") == true)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("MLmodel"))
        let e = loadError(dir)
        #expect(e?.path == dir.path + "/MLmodel")
        #expect(e?.message.contains("is missing: this directory is not a model package") == true)
        #expect(loadError(dir.appendingPathComponent("model.json"))?.message.contains("is a file") == true)
    }

    @Test func garbageManifest() throws {
        let (dir, _, _) = try Fixture.savePackage()
        try Damage.write(dir, "MLmodel", "flavors: [unclosed\n  - : : {")
        #expect(loadError(dir)?.message.contains("is not valid YAML") == true)
        try Damage.write(dir, "MLmodel", "- just\n- a list\n")
        #expect(loadError(dir)?.message.contains("is not a YAML mapping") == true)
        try Damage.write(dir, "MLmodel", [0xFF, 0xFE, 0x00, 0x41])
        #expect(loadError(dir)?.message.contains("not UTF-8") == true)
        try Damage.write(dir, "MLmodel", "artifact_path: model\n")
        #expect(loadError(dir)?.message.contains("has no `flavors` mapping") == true)
    }

    @Test func missingOrMalformedFields() throws {
        let (dir, _, _) = try Fixture.savePackage()
        let original = try Damage.text(dir, "MLmodel")
        try Damage.write(dir, "MLmodel", original.replacingOccurrences(of: "    model_kind: tiny_linear\n", with: ""))
        #expect(loadError(dir)?.message == "`flavors.mltrack.model_kind` is missing")
        try Damage.write(dir, "MLmodel", original.replacingOccurrences(of: "    format_version: 2\n", with: "    format_version: two\n"))
        #expect(loadError(dir)?.message == "`flavors.mltrack.format_version` is not an integer")
        try Damage.write(dir, "MLmodel", original.replacingOccurrences(of: "    state: model.json\n", with: "    state: ../../etc/passwd\n"))
        #expect(loadError(dir)?.message.contains("`flavors.mltrack.state` is \"../../etc/passwd\", not a plain relative path") == true)
        try Damage.write(dir, "MLmodel", original.replacingOccurrences(of: "dtype: float32", with: "dtype: bfloat16"))
        #expect(loadError(dir)?.message == "`flavors.mltrack.tensors.weights.dtype` unknown dtype bfloat16")
        try Damage.write(dir, "MLmodel", original.replacingOccurrences(of: "\"name\": \"x0\"", with: "\"nome\": \"x0\""))
        #expect(loadError(dir)?.message == "signature.inputs: element 0 has no string \"name\"")
    }

    @Test func tensorPathsMustStayInsideThePackage() throws {
        let (dir, _, _) = try Fixture.savePackage()
        try editManifest(dir) { $0.replacingOccurrences(of: "path: tensors/bias.mltensor\n        shape", with: "path: /etc/passwd\n        shape") }
        #expect(loadError(dir)?.message == "`flavors.mltrack.tensors.bias.path` is \"/etc/passwd\", not a plain relative path inside the package")
        try editManifest(dir) { $0.replacingOccurrences(of: "path: /etc/passwd", with: "path: tensors/../../x") }
        #expect(loadError(dir)?.message.contains("not a plain relative path") == true)
    }

    @Test func unlistedExtraFilesAreIgnored() throws {
        let (dir, model, _) = try Fixture.savePackage()
        // MLflow's client writes this after a registry download.
        try Damage.write(dir, "registered_model_meta", "model_name: churn\nmodel_version: '1'\n")
        #expect(try ModelPackage.load(from: dir).model(as: TinyModel.self) == model)
    }

    @Test func unknownFlavorAndUnknownKind() throws {
        let (dir, _, _) = try Fixture.savePackage()
        // A kind nobody registered: the package loads, the registry refuses it.
        try editManifest(dir) { $0.replacingOccurrences(of: "model_kind: tiny_linear", with: "model_kind: gradient_boosting") }
        let loaded = try ModelPackage.load(from: dir)
        let e = Damage.error { _ = try Fixture.registry().predictor(for: loaded) }
        #expect(e?.path == dir.path)
        #expect(e?.message == "unknown model kind \"gradient_boosting\" (this build serves: tiny_linear)")
        #expect(Damage.error { _ = try loaded.model(as: TinyModel.self) }?.message == "holds a gradient_boosting model, not tiny_linear (TinyModel)")
        // A flavor mltrack does not know at all.
        try editManifest(dir) { $0.replacingOccurrences(of: "  mltrack:\n", with: "  onnx:\n") }
        #expect(loadError(dir)?.message.contains("is not an mltrack model package: its flavors are [onnx]") == true)
    }

    @Test func newerVersionsAreRefused() throws {
        let (dir, _, _) = try Fixture.savePackage()
        try editManifest(dir) { $0.replacingOccurrences(of: "package_format_version: 1", with: "package_format_version: 2") }
        #expect(loadError(dir)?.message == "`flavors.mltrack.package_format_version` is 2, newer than this mltrack reads (1); upgrade mltrack")
        try editManifest(dir) {
            $0.replacingOccurrences(of: "package_format_version: 2", with: "package_format_version: 1")
                .replacingOccurrences(of: "    format_version: 2\n", with: "    format_version: 3\n")
        }
        let loaded = try ModelPackage.load(from: dir)
        let e = Damage.error { _ = try loaded.model(as: TinyModel.self) }
        #expect(e?.path == dir.path)
        #expect(e?.message == "tiny_linear format version 3 is newer than this mltrack reads (2); upgrade mltrack")
    }

    @Test func missingWeightFile() throws {
        let (dir, _, _) = try Fixture.savePackage()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("tensors/weights.mltensor"))
        let e = loadError(dir)
        #expect(e?.path == dir.path + "/tensors/weights.mltensor")
        #expect(e?.message == "file is missing")
    }

    @Test func truncatedTensorBadMagicAndPayloadDamage() throws {
        let (dir, _, _) = try Fixture.savePackage()
        let rel = "tensors/weights.mltensor"
        let bytes = try Damage.bytes(dir, rel)
        try Damage.write(dir, rel, Array(bytes[0 ..< bytes.count - 5]))
        var e = loadError(dir)
        #expect(e?.path == dir.path + "/" + rel)
        #expect(e?.message == "truncated: payload has 55 of 60 bytes")
        var bad = bytes; bad[0] = 0x50
        try Damage.write(dir, rel, bad)
        #expect(loadError(dir)?.message.contains("not an mltrack tensor file (bad magic") == true)
        bad = bytes; bad[bytes.count - 2] ^= 0x10
        try Damage.write(dir, rel, bad)
        e = loadError(dir)
        #expect(e?.path == dir.path + "/" + rel)
        #expect(e?.message.contains("payload checksum mismatch") == true)
    }

    @Test func checksumMismatchInTheFileList() throws {
        let (dir, _, _) = try Fixture.savePackage()
        // Valid JSON, same length, different content: only the manifest's SHA-256 can tell.
        let state = try Damage.text(dir, "model.json")
        #expect(state.contains("0.25"))
        try Damage.write(dir, "model.json", state.replacingOccurrences(of: "0.25", with: "0.75"))
        let e = loadError(dir)
        #expect(e?.path == dir.path + "/model.json")
        #expect(e?.message.contains("checksum mismatch") == true)
        #expect(e?.message.contains("the package is damaged") == true)

        // A well-formed tensor file swapped for another one of the same shape.
        let (dir2, _, _) = try Fixture.savePackage(seed: 1)
        let (dir3, _, _) = try Fixture.savePackage(seed: 2)
        try Damage.write(dir2, "tensors/bias.mltensor", try Damage.bytes(dir3, "tensors/bias.mltensor"))
        #expect(loadError(dir2)?.message.contains("checksum mismatch") == true)

        // An input example edited.
        try Damage.write(dir3, "MLmodel", try Damage.text(dir3, "MLmodel"))
        try editManifest(dir3) { $0.replacingOccurrences(of: "- bytes: ", with: "- bytes: 1") }
        #expect(loadError(dir3)?.message.contains("checksum mismatch") == true)
        // A file the list does not cover.
        let (dir4, _, _) = try Fixture.savePackage(seed: 3)
        try editManifest(dir4) { $0.replacingOccurrences(of: "path: model.json", with: "path: other.json") }
        #expect(loadError(dir4)?.message == "`flavors.mltrack.files` has no checksum for model.json")
    }

    @Test func shapeOrDtypeDisagreesWithTheManifest() throws {
        let (dir, _, _) = try Fixture.savePackage()
        try editManifest(dir) { $0.replacingOccurrences(of: "shape: [5, 3]", with: "shape: [3, 5]") }
        let e = loadError(dir)
        #expect(e?.path == dir.path + "/tensors/weights.mltensor")
        #expect(e?.message == "holds float32 [5, 3] but the manifest declares float32 [3, 5] for tensor weights")
        try editManifest(dir) {
            $0.replacingOccurrences(of: "shape: [3, 5]", with: "shape: [5, 3]").replacingOccurrences(of: "dtype: float32", with: "dtype: float64")
        }
        #expect(loadError(dir)?.message == "holds float32 [5, 3] but the manifest declares float64 [5, 3] for tensor weights")
    }

    @Test func tensorOfTheWrongKindForTheModel() throws {
        // Same kind, but this reader expects float64 weights: the intact package does not fit it.
        struct DoubleWeights: PackageableModel {
            static let flavor = "tiny_linear"
            static let formatVersion = 2
            typealias PackageState = TinyModel.PackageState
            func packageState() -> PackageState { .init(outputs: [], threshold: 0, note: "") }
            func packageTensors() -> [String: TensorData] { [:] }
            init(packageState: PackageState, tensors: [String: TensorData], formatVersion: Int) throws {
                _ = try tensors.matrix("weights", of: Double.self)
            }
        }
        let (dir, _, _) = try Fixture.savePackage()
        let loaded = try ModelPackage.load(from: dir)
        let e = Damage.error { _ = try loaded.model(as: DoubleWeights.self) }
        #expect(e?.path == dir.path)
        #expect(e?.message == "cannot rebuild the tiny_linear model: weights (\(dir.path)/tensors/weights.mltensor): holds float32, not float64")
    }

    @Test func anMLflowSklearnModelIsForeign() throws {
        let dir = try TestPaths.tempDir("sklearn").appendingPathComponent("model")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Damage.write(dir, "MLmodel", """
        artifact_path: model
        flavors:
          python_function:
            env:
              conda: conda.yaml
              virtualenv: python_env.yaml
            loader_module: mlflow.sklearn
            model_path: model.pkl
            predict_fn: predict
            python_version: 3.11.7
          sklearn:
            code: null
            pickled_model: model.pkl
            serialization_format: cloudpickle
            sklearn_version: 1.9.1
        mlflow_version: 3.17.2
        model_size_bytes: 1915
        model_uuid: 5f1b0d3c2a6e4f8b9c7d1e2f3a4b5c6d
        run_id: 65fc0123456789abcdef0123456789ab
        signature:
          inputs: '[{"type": "double", "name": "x", "required": true}]'
          outputs: '[{"type": "long", "required": true}]'
          params: null
        utc_time_created: '2026-11-21 15:30:51.491963'

        """)
        try Damage.write(dir, "model.pkl", [0x80, 0x04, 0x95])
        let e = loadError(dir)
        #expect(e?.path == dir.path + "/MLmodel")
        #expect(e?.message == "is not an mltrack model package: its flavors are [python_function, sklearn]; mltrack loads only packages with the `mltrack` flavor")
    }

    @Test func stateThatDoesNotDecode() throws {
        let (dir, _, _) = try Fixture.savePackage()
        let loaded = try ModelPackage.load(from: dir)
        let wrong = LoadedPackage(path: loaded.path, manifest: loaded.manifest, stateJSON: Data("{\"outputs\": []}".utf8),
                                  pipelineJSON: Data("[1]".utf8), tensors: loaded.tensors)
        let e = Damage.error { _ = try wrong.model(as: TinyModel.self) }
        #expect(e?.path == dir.path + "/model.json")
        #expect(e?.message.hasPrefix("does not decode as tiny_linear state: missing key") == true)
        #expect(Damage.error { _ = try wrong.pipeline(as: TinyPipeline.self) }?.path == dir.path + "/pipeline.json")
    }
}
