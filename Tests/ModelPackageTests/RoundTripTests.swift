import Foundation
import GoldTables
import Linalg
import ModelPackage
import Testing

@Suite struct RoundTripTests {
    @Test func savedPackageLoadsIdenticalValuesAndPredictions() throws {
        let lineage = TrainingLineage(tablePath: "/lake/gold/customers", tableFormat: "delta", deltaVersion: 3,
                                      rowCount: 5000, schemaFingerprint: "abc123", trainingRunId: "0123456789abcdef0123456789abcdef")
        let (dir, model, pipeline) = try Fixture.savePackage(seed: 11, lineage: lineage)
        let loaded = try ModelPackage.load(from: dir)
        let back = try loaded.model(as: TinyModel.self)
        #expect(back == model)
        #expect(back.weights.values.map(\.bitPattern) == model.weights.values.map(\.bitPattern))
        #expect(back.bias.values.map(\.bitPattern) == model.bias.values.map(\.bitPattern))
        #expect(try loaded.pipeline(as: TinyPipeline.self) == pipeline)
        #expect(loaded.manifest.lineage == lineage)
        #expect(loaded.manifest.runId == lineage.trainingRunId)
        #expect(loaded.manifest.signature == Fixture.signature())
        #expect(loaded.manifest.mltrack.modelKind == "tiny_linear")
        #expect(loaded.manifest.mltrack.formatVersion == 2)
        #expect(loaded.manifest.mltrack.tensors["weights"] == TensorEntry(path: "tensors/weights.mltensor", dtype: .float32, shape: [5, 3]))
        #expect(loaded.manifest.mltrack.tensors["bias"] == TensorEntry(path: "tensors/bias.mltensor", dtype: .float64, shape: [1, 3]))

        let rows = Fixture.rows(50, seed: 3)
        let before = model.predict(try pipeline.transform(rows))
        let predictor = try Fixture.registry().predictor(for: loaded)
        let after = try predictor.predict(rows: rows)
        #expect(after == before)
        // Independent check of one prediction: y0 of row 0 by hand.
        let r0 = rows[0]
        var y0 = model.bias[0, 0]
        for j in 0 ..< Fixture.features {
            y0 += (r0["x\(j)"]! - pipeline.means[j]) / pipeline.scales[j] * Double(model.weights[j, 0])
        }
        #expect(after[0]["y0"] == .double(y0))
    }

    @Test func specialFloatValuesSurviveBitExact() throws {
        let specials: [Float] = [0, -0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, Float(bitPattern: 0x0000_1234)]
        let w = try Matrix<Float>(rows: 4, columns: 2, values: specials)
        let b = try Matrix<Double>(rows: 1, columns: 2, values: [.nan, -.leastNonzeroMagnitude])
        let model = TinyModel(weights: w, bias: b, state: .init(outputs: ["a", "b"], threshold: .infinity, note: ""))
        let dir = try TestPaths.tempDir("modelpkg").appendingPathComponent("m")
        try ModelPackage.save(model: model, signature: nil, lineage: nil, to: dir)
        let back = try ModelPackage.load(from: dir).model(as: TinyModel.self)
        #expect(back.weights.values.map(\.bitPattern) == specials.map(\.bitPattern))
        #expect(back.bias.values.map(\.bitPattern) == b.values.map(\.bitPattern))
        #expect(back.state.threshold == .infinity)
    }

    @Test func jsonOnlyModelNeedsNoTensors() throws {
        let model = JSONOnlyModel(coefficients: [0.1, -2.5, 1e-300, 123456.789], intercept: -0.3)
        let dir = try TestPaths.tempDir("modelpkg").appendingPathComponent("m")
        let manifest = try ModelPackage.save(model: model, signature: nil, lineage: nil, to: dir)
        #expect(manifest.mltrack.tensors.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("tensors").path))
        #expect(try ModelPackage.load(from: dir).model(as: JSONOnlyModel.self) == model)
    }

    @Test func layoutAndManifestFields() throws {
        let dir = try TestPaths.tempDir("modelpkg").appendingPathComponent("m")
        let model = try TinyModel.random(features: 2, outputs: 1, seed: 5)
        let example = InputExample(columns: ["x0", "x1"], data: [[.double(1.5), .int(2)]])
        let created = Date(timeIntervalSince1970: 1_795_275_051.491963)
        let manifest = try ModelManifest.parse(
            yaml: ModelPackage.save(model: model, pipeline: TinyPipeline.random(features: 2, seed: 1),
                                    signature: ModelSignature(inputs: [ColumnSpec("x0", .double), ColumnSpec("x1", .long, required: false)],
                                                              outputs: [ColumnSpec("y0", .double)]),
                                    lineage: nil, to: dir,
                                    options: .init(artifactPath: "model", inputExample: example, created: created)).yaml(),
            path: "MLmodel")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["MLmodel", "input_example.json", "model.json", "pipeline.json", "serving_input_example.json", "tensors"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("tensors").path).sorted()
            == ["bias.mltensor", "weights.mltensor"])
        let text = try Damage.text(dir, "MLmodel")
        #expect(text.contains("artifact_path: model\n"))
        #expect(text.contains("utc_time_created: '2026-11-21 15:30:51.491963'"))
        #expect(text.contains(#"inputs: '[{"type": "double", "name": "x0", "required": true}, {"type": "long", "name": "x1", "required": false}]'"#))
        #expect(text.contains(#"outputs: '[{"type": "double", "name": "y0", "required": true}]'"#))
        #expect(!text.contains("python_function"))
        #expect(!text.contains("mlflow_version"))
        #expect(!text.contains("run_id"))
        #expect(manifest.modelUUID.count == 32 && manifest.modelUUID.allSatisfy(\.isHexDigit))
        #expect(manifest.inputExample == InputExampleInfo(artifactPath: "input_example.json", servingInputPath: "serving_input_example.json"))
        #expect(manifest.mltrack.files.map(\.path) == ["input_example.json", "model.json", "pipeline.json",
                                                       "serving_input_example.json", "tensors/bias.mltensor", "tensors/weights.mltensor"])
        #expect(manifest.modelSizeBytes == manifest.mltrack.files.reduce(0) { $0 + $1.bytes })
        #expect(try Damage.text(dir, "input_example.json") == #"{"columns":["x0","x1"],"data":[[1.5,2]]}"#)
        #expect(try Damage.text(dir, "serving_input_example.json") == #"{"dataframe_split":{"columns":["x0","x1"],"data":[[1.5,2]]}}"#)
    }

    @Test func manifestYAMLRoundTrips() throws {
        let (dir, _, _) = try Fixture.savePackage(lineage: TrainingLineage(tablePath: "t: with colon", deltaVersion: 9_000_000_000, rowCount: 0))
        let text = try Damage.text(dir, "MLmodel")
        let m = try ModelManifest.parse(yaml: text, path: "MLmodel")
        #expect(try m.yaml() == text)
        #expect(m.lineage == TrainingLineage(tablePath: "t: with colon", deltaVersion: 9_000_000_000, rowCount: 0))
    }

    @Test func lineageFromAGoldTable() throws {
        let table = try GoldTable.open(TestPaths.packageRoot.appendingPathComponent("Experiments/gold/customers").path)
        let gold = try table.lineage()
        let lineage = TrainingLineage(gold, trainingRunId: "run-1")
        #expect(lineage.tableFormat == "delta")
        #expect(lineage.deltaVersion == gold.version)
        #expect(lineage.rowCount == gold.rowCount)
        let (dir, _, _) = try Fixture.savePackage(lineage: lineage)
        #expect(try ModelPackage.load(from: dir).manifest.lineage == lineage)
    }

    @Test func refusesToOverwriteUnlessAskedAndLeavesNoTemporaries() throws {
        let (dir, model, _) = try Fixture.savePackage(seed: 1)
        let other = try TinyModel.random(features: 2, outputs: 1, seed: 2)
        let e = Damage.error { try ModelPackage.save(model: other, signature: nil, lineage: nil, to: dir) }
        #expect(e?.message.contains("already exists") == true)
        #expect(try ModelPackage.load(from: dir).model(as: TinyModel.self) == model)

        try ModelPackage.save(model: other, signature: nil, lineage: nil, to: dir, options: .init(overwrite: true))
        #expect(try ModelPackage.load(from: dir).model(as: TinyModel.self) == other)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.deletingLastPathComponent().path) == ["model"])
    }

    @Test func failedSaveLeavesNothingVisible() throws {
        struct BadNames: PackageableModel, Codable {
            static let flavor = "bad"
            static let formatVersion = 1
            func packageTensors() throws -> [String: TensorData] { ["../escape": TensorData(vector: [1.0])] }
        }
        struct Throws: PackageableModel, Codable {
            static let flavor = "throws"
            static let formatVersion = 1
            func packageTensors() throws -> [String: TensorData] { throw ModelPackageError(path: "x", "boom") }
        }
        let parent = try TestPaths.tempDir("modelpkg")
        let dir = parent.appendingPathComponent("m")
        #expect(Damage.error { try ModelPackage.save(model: BadNames(), signature: nil, lineage: nil, to: dir) }?.message.contains("tensor name") == true)
        #expect(Damage.error { try ModelPackage.save(model: Throws(), signature: nil, lineage: nil, to: dir) }?.message == "boom")
        // An example with a ragged row fails inside the temporary directory.
        let ragged = InputExample(columns: ["a", "b"], data: [[.int(1)]])
        #expect(Damage.error {
            try ModelPackage.save(model: JSONOnlyModel(coefficients: [], intercept: 0), signature: nil, lineage: nil, to: dir,
                                  options: .init(inputExample: ragged))
        }?.message.contains("input example") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == [])
    }

    @Test func crc32MatchesKnownValuesAndZlib() throws {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        var g = SeededGenerator(seed: 9)
        for n in [1, 7, 8, 9, 63, 1000, 4099] {
            let bytes = (0 ..< n).map { _ in UInt8.random(in: 0 ... 255, using: &g) }
            #expect(CRC32.checksum(bytes) == Self.bitwiseCRC32(bytes))
            var inc = CRC32()
            bytes.withUnsafeBytes { raw in
                inc.update(UnsafeRawBufferPointer(rebasing: raw[0 ..< n / 3]))
                inc.update(UnsafeRawBufferPointer(rebasing: raw[(n / 3)...]))
            }
            #expect(inc.value == CRC32.checksum(bytes))
        }
    }

    /// The textbook bit-at-a-time CRC-32 (reflected polynomial 0xEDB88320): an independent reference.
    static func bitwiseCRC32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0 ..< 8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return c ^ 0xFFFF_FFFF
    }
}

@Suite struct SignatureTests {
    @Test func tableFieldsMapToMLflowTypes() {
        let fields = [Field("a", .bool, nullable: false), Field("b", .int16), Field("c", .int64, nullable: false),
                      Field("d", .float32), Field("e", .float64), Field("f", .decimal(precision: 10, scale: 2)),
                      Field("g", .date), Field("h", .timestamp(unit: .microseconds, utc: true)), Field("i", .string),
                      Field("j", .binary), Field("k", .json(nestedType: "list"))]
        let sig = ModelSignature(inputs: fields.map(ColumnSpec.init), outputs: [])
        #expect(sig.inputsJSON == #"[{"type": "boolean", "name": "a", "required": true}, {"type": "integer", "name": "b", "required": false}, "#
            + #"{"type": "long", "name": "c", "required": true}, {"type": "float", "name": "d", "required": false}, "#
            + #"{"type": "double", "name": "e", "required": false}, {"type": "double", "name": "f", "required": false}, "#
            + #"{"type": "datetime", "name": "g", "required": false}, {"type": "datetime", "name": "h", "required": false}, "#
            + #"{"type": "string", "name": "i", "required": false}, {"type": "binary", "name": "j", "required": false}, "#
            + #"{"type": "string", "name": "k", "required": false}]"#)
        #expect(sig.requiredInputs == ["a", "c"])
    }

    @Test func nestedTypesAndEscapesRoundTrip() throws {
        let sig = ModelSignature(
            inputs: [ColumnSpec("user \"id\"\n", .string), ColumnSpec("städte", .array(.long), required: false)],
            outputs: [ColumnSpec("recommendations", .array(.object([ColumnSpec("score", .float), ColumnSpec("item", .string)])))])
        #expect(sig.outputsJSON == #"[{"type": "array", "items": {"type": "object", "properties": {"item": {"type": "string", "required": true}, "score": {"type": "float", "required": true}}}, "name": "recommendations", "required": true}]"#)
        #expect(sig.inputsJSON.contains(#""name": "user \"id\"\n""#))
        #expect(sig.inputsJSON.contains(#""name": "st\u00e4dte""#))
        let inputs = try ColumnSpec.parse(sig.inputsJSON)
        let outputs = try ColumnSpec.parse(sig.outputsJSON)
        #expect(inputs == sig.inputs)
        #expect(outputs == [ColumnSpec("recommendations", .array(.object([ColumnSpec("item", .string), ColumnSpec("score", .float)])))])
    }
}
