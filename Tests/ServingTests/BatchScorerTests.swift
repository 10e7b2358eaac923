import Features
import Foundation
import GoldTables
import ModelPackage
import Registry
import Testing
import Tracking
import Trainers
@testable import Serving

/// Small real packages trained once per test process on the sample Gold tables.
enum BatchFixtures {
    static let customers = TestPaths.packageRoot.appendingPathComponent("Experiments/gold/customers").path
    static let interactions = TestPaths.packageRoot.appendingPathComponent("Experiments/gold/interactions").path

    /// A churn logistic package trained on every customer (features from Experiments/features/churn.yaml).
    static let logistic: Result<String, any Error> = Result {
        let gold = try GoldTable.open(customers)
        let table = try gold.read()
        let spec = try FeatureSpec.load(path: TestPaths.packageRoot.appendingPathComponent("Experiments/features/churn.yaml").path)
        let r = try LogisticTrainingRun(spec: spec, label: "churned", split: .random(testFraction: 0, seed: 1)).run(table)
        let dir = try TestPaths.tempDir("batch-pkg").appendingPathComponent("churn")
        try ModelPackage.save(model: r.model, pipeline: r.pipeline,
                              signature: try ModelSignature.logistic(pipeline: r.pipeline, schema: table.schema), lineage: nil, to: dir)
        return dir.path
    }

    /// An implicit ALS package on the sample interactions (8 factors, 4 sweeps, seeded); some
    /// users have every interaction held out (no training items: cold start).
    static let als: Result<(path: String, model: ALSModel), any Error> = Result {
        let table = try GoldTable.open(interactions).read(columns: ["user_id", "item_id"])
        let r = try ALSTrainingRun(user: "user_id", item: "item_id", weight: .one,
                                   parameters: ALS.Parameters(factors: 8, regularization: 0.05, alpha: 5, iterations: 4, seed: 7, threads: 1),
                                   testFraction: 0.2, k: 10).run(table)
        let dir = try TestPaths.tempDir("batch-als").appendingPathComponent("recommender")
        try ModelPackage.save(model: r.model, pipeline: nil, signature: .als, lineage: nil, to: dir)
        return (dir.path, r.model)
    }

    static func scorer(_ path: String) throws -> BatchScorer {
        try BatchScorer.load(ResolvedPackage(reference: try ModelReference(parsing: path), path: path))
    }

    static func outputDir(_ label: String) throws -> String {
        try TestPaths.tempDir(label).appendingPathComponent("out").path
    }

    /// The first commit-info object of `version`'s commit file.
    static func commitInfo(_ table: String, version: Int64) throws -> [String: Any] {
        let name = String(format: "%020lld.json", version)
        let text = try String(contentsOfFile: table + "/_delta_log/" + name, encoding: .utf8)
        for line in text.split(separator: "\n") {
            if let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let ci = o["commitInfo"] as? [String: Any] {
                return ci
            }
        }
        return [:]
    }

    /// Canonical cells: doubles as their bit pattern, timestamps as microseconds, the rest as text.
    static func canonical(_ t: Table) -> [[String]] {
        (0 ..< t.rowCount).map { r in
            t.columns.map { c -> String in
                switch c.value(at: r) {
                case .null: "None"
                case .bool(let b): b ? "True" : "False"
                case .double(let d): "b:\(Int64(bitPattern: d.bitPattern))"
                case .int(let i): String(i)
                case .string(let s): s
                case .timestamp(let v, _, _): String(v)
                default: "?"
                }
            }
        }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Python: the Delta table at argv[1] read by deltalake and (its add files) by pyarrow:
    /// {"columns", "types", "rows", "pyarrow_rows"} with the canonical cells above.
    static let peerScript = #"""
import sys, json, struct
import pyarrow as pa, pyarrow.parquet as pq
from deltalake import DeltaTable
dt = DeltaTable(sys.argv[1])
def canon(t):
    cols = []
    for i, f in enumerate(t.schema):
        c = t.column(i)
        if pa.types.is_timestamp(f.type):
            c = c.cast(pa.timestamp('us', tz=f.type.tz)).cast(pa.int64())
        cols.append(c.to_pylist())
    def s(v):
        if v is None: return "None"
        if isinstance(v, bool): return "True" if v else "False"
        if isinstance(v, float): return "b:%d" % struct.unpack("<q", struct.pack("<d", v))[0]
        return str(v)
    return sorted([[s(c[r]) for c in cols] for r in range(t.num_rows)])
t = dt.to_pyarrow_table()
parts = [pq.read_table(u.replace("file://", "")) for u in dt.file_uris()]
p = pa.concat_tables(parts)
print(json.dumps({"version": dt.version(), "columns": t.schema.names, "types": [str(f.type) for f in t.schema],
                  "pyarrow_columns": p.schema.names, "rows": canon(t), "pyarrow_rows": canon(p.select(t.schema.names))}))
"""#
}

@Suite struct BatchScorerTests {
    /// Batch and real-time give the same bits: every customer scored through the JSON row
    /// predictor (`ServedModel.predictor`) and through `BatchScorer` into Delta and back.
    @Test func batchAndRealTimeAreBitIdentical() throws {
        let path = try BatchFixtures.logistic.get()
        let out = try BatchFixtures.outputDir("batch-bits")
        var job = BatchScoringJob(input: BatchFixtures.customers, output: out, idColumns: ["customer_id"],
                                  scoredAt: Date(timeIntervalSince1970: 1_800_000_000.25), rowsPerFile: 1500)
        job.mode = .overwrite
        job.chunkRows = 1000   // each 2500-row batch is scored in three slices
        var reports: [BatchScoringProgress] = []
        let result = try BatchFixtures.scorer(path).run(job) { reports.append($0) }
        #expect(result.inputRows == 5000)
        #expect(result.outputRows == 5000)
        #expect(result.outputVersion == 0)
        #expect(result.inputVersion == 1)
        #expect(result.files == 3)   // slices of 1000, 1000, 500 per batch gathered into files of ≥ 1500 rows
        #expect(reports.map(\.rows) == [2500, 5000])
        #expect(reports.last?.totalRows == 5000)

        let written = try DeltaTable(path: out).snapshot().read()
        #expect(written.schema.names == ["customer_id", "probability", "label", "model_name", "model_version", "scored_at"])
        #expect(written.schema.fields.map(\.type) == [.string, .float64, .int64, .string, .string, .timestamp(unit: .microseconds, utc: true)])

        let served = try ServedModel.load(name: "churn", resolved: ResolvedPackage(reference: try ModelReference(parsing: path), path: path))
        let input = try GoldTable.open(BatchFixtures.customers).read()
        let names = served.manifest.signature?.inputs.map(\.name) ?? []
        #expect(names.count == 11)
        let cols = try names.map { n -> Column in
            guard let c = input.column(named: n) else { throw TableError("no \(n)") }
            return c
        }
        let rows = (0 ..< input.rowCount).map { r in
            Dictionary(uniqueKeysWithValues: zip(names, cols.map { ModelValue($0.value(at: r)).featureValue }))
        }
        let realTime = try served.predictor.predict(rows: rows)
        var expected: [String: (UInt64, Int64)] = [:]
        guard let ids = input.column(named: "customer_id") else { Issue.record("no customer_id"); return }
        for (r, rec) in realTime.enumerated() {
            guard case .string(let id) = ids.value(at: r), let p = rec["probability"]?.doubleValue, case .int(let label)? = rec["label"] else {
                Issue.record("bad real-time record \(rec)"); return
            }
            expected[id] = (p.bitPattern, label)
        }
        var got: [String: (UInt64, Int64)] = [:]
        for r in 0 ..< written.rowCount {
            guard case .string(let id) = written.columns[0].value(at: r), case .double(let p) = written.columns[1].value(at: r),
                  case .int(let label) = written.columns[2].value(at: r) else { Issue.record("bad output row \(r)"); return }
            got[id] = (p.bitPattern, label)
        }
        #expect(got.count == 5000)
        #expect(got.keys.sorted() == expected.keys.sorted())
        let mismatches = expected.filter { id, e in got[id].map { $0 != e } ?? true }
        #expect(mismatches.isEmpty)
        // One row per request, as a real-time client sends them: the same bits.
        for r in stride(from: 0, to: input.rowCount, by: 25) {
            guard case .string(let id) = ids.value(at: r), let p = try served.predictor.predict(rows: [rows[r]]).first?["probability"]?.doubleValue else {
                Issue.record("row \(r)"); return
            }
            #expect(got[id]?.0 == p.bitPattern)
        }
        // Constant columns.
        #expect(written.columns[3].value(at: 0) == .string("churn"))
        #expect(written.columns[4].value(at: 0) == .string("local"))
        #expect(written.columns[5].value(at: 7) == .timestamp(1_800_000_000_250_000, .microseconds, utc: true))
    }

    @Test func commitInfoRecordsModelAndInput() throws {
        let path = try BatchFixtures.logistic.get()
        let out = try BatchFixtures.outputDir("batch-info")
        let job = BatchScoringJob(input: BatchFixtures.customers, inputVersion: 0, output: out, idColumns: ["customer_id"],
                                  scoredAt: Date(timeIntervalSince1970: 1_800_000_000))
        let r = try BatchFixtures.scorer(path).run(job)
        #expect(r.inputVersion == 0)
        let ci = try BatchFixtures.commitInfo(out, version: 0)
        #expect(ci["mltrack.model"] as? String == path)
        #expect(ci["mltrack.modelName"] as? String == "churn")
        #expect(ci["mltrack.modelVersion"] as? String == "local")
        #expect(ci["mltrack.modelKind"] as? String == "logistic_regression")
        #expect(ci["mltrack.inputTable"] as? String == URL(fileURLWithPath: BatchFixtures.customers).standardizedFileURL.path)
        #expect(ci["mltrack.inputVersion"] as? String == "0")
        #expect(ci["mltrack.rows"] as? String == String(r.inputRows))
        #expect(ci["mltrack.scoredAt"] as? String == "2027-01-15T08:00:00.000000Z")
        #expect(ci["operation"] as? String == "CREATE TABLE")
        // A Parquet input has no version: the key is absent.
        let pq = try TestPaths.tempDir("batch-pq").appendingPathComponent("c.parquet").path
        let t = try GoldTable.open(BatchFixtures.customers).read()
        try ParquetWriter.write(t.slice(0 ..< 300), to: pq)
        let out2 = try BatchFixtures.outputDir("batch-info-pq")
        let r2 = try BatchFixtures.scorer(path).run(BatchScoringJob(input: pq, output: out2))
        #expect(r2.inputRows == 300)
        let ci2 = try BatchFixtures.commitInfo(out2, version: 0)
        #expect(ci2["mltrack.inputVersion"] == nil)
        #expect(ci2["mltrack.inputFormat"] as? String == "parquet")
        #expect(try DeltaTable(path: out2).snapshot().schema.names == ["probability", "label", "model_name", "model_version", "scored_at"])
    }

    /// A rerun in overwrite mode replaces the rows in one commit (the previous version still reads
    /// the old run); append mode adds them.
    @Test func overwriteRerunReplacesAppendAdds() throws {
        let path = try BatchFixtures.logistic.get()
        let out = try BatchFixtures.outputDir("batch-rerun")
        let scorer = try BatchFixtures.scorer(path)
        var job = BatchScoringJob(input: BatchFixtures.customers, output: out, mode: .overwrite, idColumns: ["customer_id"],
                                  scoredAt: Date(timeIntervalSince1970: 1_000))
        _ = try scorer.run(job)
        job.scoredAt = Date(timeIntervalSince1970: 2_000)
        #expect(try scorer.run(job).outputVersion == 1)
        let now = try DeltaTable(path: out).snapshot().read()
        #expect(now.rowCount == 5000)
        #expect(Set((0 ..< now.rowCount).map { now.columns[5].value(at: $0) }) == [.timestamp(2_000_000_000, .microseconds, utc: true)])
        let before = try DeltaTable(path: out).snapshot(version: 0).read()
        #expect(Set((0 ..< before.rowCount).map { before.columns[5].value(at: $0) }) == [.timestamp(1_000_000_000, .microseconds, utc: true)])
        // The overwrite removed every file of version 0 in its one commit.
        let commit = try String(contentsOfFile: out + "/_delta_log/00000000000000000001.json", encoding: .utf8)
        let removes = commit.split(separator: "\n").filter { $0.hasPrefix("{\"remove\"") }.count
        #expect(removes == (try DeltaTable(path: out).snapshot(version: 0).files.count))
        job.mode = .append
        #expect(try scorer.run(job).outputVersion == 2)
        #expect(try DeltaTable(path: out).snapshot().numRecords == 10_000)
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (pyarrow, deltalake)"))
    func outputReadsIdenticallyInPyarrowAndDeltalake() throws {
        let path = try BatchFixtures.logistic.get()
        let out = try BatchFixtures.outputDir("batch-peer")
        _ = try BatchFixtures.scorer(path).run(BatchScoringJob(input: BatchFixtures.customers, output: out, idColumns: ["customer_id", "region"],
                                                               scoredAt: Date(timeIntervalSince1970: 1_800_000_000.5), rowsPerFile: 2000))
        let ours = try DeltaTable(path: out).snapshot().read()
        guard let peer = try PythonPeer.json(BatchFixtures.peerScript, args: [out]) as? [String: Any] else {
            Issue.record("bad peer output"); return
        }
        #expect(peer["columns"] as? [String] == ours.schema.names)
        #expect(peer["pyarrow_columns"] as? [String] == ours.schema.names)
        let types = peer["types"] as? [String] ?? []
        #expect(types.count == 7)
        if types.count == 7 {
            #expect(types[2] == "double")
            #expect(types[3] == "int64")
            #expect(types[6] == "timestamp[us, tz=UTC]")
        }
        let expected = BatchFixtures.canonical(ours)
        #expect(expected.count == 5000)
        #expect(peer["rows"] as? [[String]] == expected)
        #expect(peer["pyarrow_rows"] as? [[String]] == expected)
    }

    /// Top-k rows per user equal `ALSModel.recommend` (seen items excluded); an unknown user gets
    /// the popular items flagged `cold_start`; a repeated user is answered once.
    @Test func recommenderTopKRowsEqualRecommend() throws {
        let (path, model) = try BatchFixtures.als.get()
        let known = Array(model.users.ids.prefix(40))
        let userIds = known + ["nobody", known[0], "nobody"]
        let input = try Table([Column(Field("user_id", .string), data: .bytes(ByteArrayBuffer(strings: userIds))),
                               Column(Field("segment", .int32), data: .int32(userIds.indices.map { Int32($0 % 3) }))])
        let dir = try TestPaths.tempDir("batch-als-in").path
        try DeltaWriter.write(input.slice(0 ..< 20), to: dir + "/users", mode: .create)
        try DeltaWriter.write(input.slice(20 ..< input.rowCount), to: dir + "/users", mode: .append)
        let out = try BatchFixtures.outputDir("batch-als")
        var job = BatchScoringJob(input: dir + "/users", output: out, idColumns: ["segment"], k: 5,
                                  scoredAt: Date(timeIntervalSince1970: 5))
        job.rowsPerFile = 50
        job.chunkRows = 7   // users spread over slices; the repeated ones land in later slices
        let r = try BatchFixtures.scorer(path).run(job)
        #expect(r.inputRows == 43)
        #expect(r.outputRows == 41 * 5)
        let t = try DeltaTable(path: out).snapshot().read()
        #expect(t.schema.names == ["user_id", "segment", "rank", "item_id", "score", "cold_start", "model_name", "model_version", "scored_at"])
        var byUser: [String: [(rank: Int64, item: String, score: Double, cold: Bool, segment: Value)]] = [:]
        for row in 0 ..< t.rowCount {
            guard case .string(let u) = t.columns[0].value(at: row), case .int(let rank) = t.columns[2].value(at: row),
                  case .string(let item) = t.columns[3].value(at: row), case .double(let score) = t.columns[4].value(at: row),
                  case .bool(let cold) = t.columns[5].value(at: row) else { Issue.record("bad row \(row)"); return }
            byUser[u, default: []].append((rank, item, score, cold, t.columns[1].value(at: row)))
        }
        #expect(byUser.count == 41)
        var coldUsers = 0
        for (i, u) in (known + ["nobody"]).enumerated() {
            let want = model.recommend(user: u, k: 5, excludeSeen: true)
            let got = (byUser[u] ?? []).sorted { $0.rank < $1.rank }
            #expect(got.map(\.rank) == Array(1 ... Int64(want.count)))
            #expect(got.map(\.item) == want.map(\.item))
            #expect(got.map(\.score) == want.map { Double($0.score) })
            let cold = model.users.index(of: u).map { model.seenRowPointers[$0 + 1] == model.seenRowPointers[$0] } ?? true
            if cold { coldUsers += 1 }
            #expect(got.allSatisfy { $0.cold == cold })
            #expect(got.allSatisfy { $0.segment == .int(Int64(i % 3)) })   // first occurrence's row
        }
        #expect(r.coldStartUsers == coldUsers)
        #expect(coldUsers >= 1)

        // The blockwise path: the same items, scores within a float rounding of the exact ones.
        job.exactRecommendations = false
        job.mode = .overwrite
        _ = try BatchFixtures.scorer(path).run(job)
        let fast = try DeltaTable(path: out).snapshot().read(columns: ["user_id", "item_id", "score"])
        #expect(fast.rowCount == t.rowCount)
        for row in 0 ..< fast.rowCount {
            guard case .string(let u) = fast.columns[0].value(at: row), case .string(let item) = fast.columns[1].value(at: row),
                  case .double(let score) = fast.columns[2].value(at: row),
                  let exact = byUser[u]?.first(where: { $0.item == item }) else { Issue.record("fast row \(row) not in the exact output"); return }
            #expect(abs(score - exact.score) <= 1e-5 * max(1, abs(exact.score)))
        }
    }

    @Test func errorsNameTheColumnAndLeaveTheOutputUnchanged() throws {
        let path = try BatchFixtures.logistic.get()
        let scorer = try BatchFixtures.scorer(path)
        let out = try BatchFixtures.outputDir("batch-errors")
        _ = try scorer.run(BatchScoringJob(input: BatchFixtures.customers, output: out, idColumns: ["customer_id"]))
        func message(_ job: BatchScoringJob) -> String {
            do {
                _ = try scorer.run(job)
                return "no error"
            } catch let e as ServingError {
                return e.message
            } catch {
                return "\(error)"
            }
        }
        var job = BatchScoringJob(input: BatchFixtures.customers, output: out, mode: .overwrite, idColumns: ["cust_id"])
        #expect(message(job).contains("no id column 'cust_id'"))
        // A table without a model input column.
        let dir = try TestPaths.tempDir("batch-err-in").path
        let full = try GoldTable.open(BatchFixtures.customers).read()
        try DeltaWriter.write(try full.project(full.schema.names.filter { $0 != "tenure_months" }), to: dir + "/no_tenure", mode: .create)
        job = BatchScoringJob(input: dir + "/no_tenure", output: out, mode: .overwrite, idColumns: ["customer_id"])
        let missing = message(job)
        #expect(missing.contains("no model input column 'tenure_months'"))
        #expect(missing.contains(dir + "/no_tenure"))
        // A model input of the wrong type.
        var cols = full.columns
        if let i = full.schema.index(of: "support_calls") {
            cols[i] = Column(Field("support_calls", .string), data: .bytes(ByteArrayBuffer(strings: (0 ..< full.rowCount).map { "n\($0)" })))
        }
        try DeltaWriter.write(try Table(cols), to: dir + "/bad_type", mode: .create)
        job = BatchScoringJob(input: dir + "/bad_type", output: out, mode: .overwrite, idColumns: ["customer_id"])
        #expect(message(job).contains("support_calls"))
        // An id column clashing with an output column.
        job = BatchScoringJob(input: BatchFixtures.customers, output: out, mode: .overwrite, idColumns: ["customer_id"])
        var renamed = full.columns
        renamed[0] = Column(Field("label", .string), data: full.columns[0].data)
        try DeltaWriter.write(try Table(renamed), to: dir + "/clash", mode: .create)
        job.input = dir + "/clash"
        job.idColumns = ["label"]
        #expect(message(job).contains("'label' has the name of an output column"))
        // An overwrite with other id columns would change the output's schema: refused up front.
        job = BatchScoringJob(input: BatchFixtures.customers, output: out, mode: .overwrite, idColumns: ["customer_id", "region"])
        let schema = message(job)
        #expect(schema.contains("output table \(out) has columns (customer_id string, probability float64"))
        #expect(schema.contains("the table's schema cannot change"))
        // Nothing was committed by the failed jobs, and no stray data file is left.
        #expect(try DeltaTable(path: out).snapshot().version == 0)
        let files = (FileManager.default.enumerator(atPath: out)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".parquet") }
        #expect(files.count == (try DeltaTable(path: out).snapshot().files.count))
        // An ALS job needs its user column.
        let (alsPath, _) = try BatchFixtures.als.get()
        let als = try BatchFixtures.scorer(alsPath)
        do {
            _ = try als.run(BatchScoringJob(input: BatchFixtures.customers, output: out + "-als"))
            Issue.record("expected an error")
        } catch let e as ServingError {
            #expect(e.message.contains("no user id column 'user_id'"))
        }
    }

    /// Under `unknownCategories: .reject` a category never seen in training fails the job naming
    /// its input row (counted across slices), the column and the value; `.bucket` scores it.
    @Test func rejectPolicyNamesTheInputRowOfAnUnseenCategory() throws {
        let path = try BatchFixtures.logistic.get()
        let scorer = try BatchFixtures.scorer(path)
        let full = try GoldTable.open(BatchFixtures.customers).read()
        guard let ci = full.schema.index(of: "contract") else { Issue.record("no contract column"); return }
        let c = full.columns[ci]
        var values: [String] = (0 ..< full.rowCount).map { r in
            if case .string(let s) = c.value(at: r) { return s }
            return ""
        }
        values[3001] = "three-year"
        var cols = full.columns
        cols[ci] = Column(c.field, data: .bytes(ByteArrayBuffer(strings: values)), validity: nil)
        let dir = try TestPaths.tempDir("batch-reject").path
        try DeltaWriter.write(try Table(cols), to: dir + "/in", mode: .create)
        var job = BatchScoringJob(input: dir + "/in", output: dir + "/out", idColumns: ["customer_id"])
        job.chunkRows = 1000
        job.unknownCategories = .reject
        do {
            _ = try scorer.run(job)
            Issue.record("expected the unseen category to be rejected")
        } catch let e as ServingError {
            #expect(e.code == .invalidParameterValue)
            #expect(e.message.hasPrefix("input row 3001: column contract: unknown category 'three-year'"), "\(e.message)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/_delta_log/00000000000000000000.json"))
        job.unknownCategories = .bucket
        let result = try scorer.run(job)
        #expect(result.outputRows == full.rowCount)
    }

    /// `models:/NAME@ALIAS` resolves through a SQLite registry: the output names the version.
    @Test func registryURIResolvesAndNamesTheVersion() async throws {
        let path = try BatchFixtures.logistic.get()
        let db = try TestPaths.tempDir("batch-reg").appendingPathComponent("mltrack.db").path
        let tracking = try SQLiteTrackingStore(path: db)
        let registry: any RegistryStore = try SQLiteRegistryStore(tracking: tracking)
        _ = try await registry.createRegisteredModel(name: "churn", description: "", tags: [:])
        _ = try await registry.createModelVersion(name: "churn", source: path, runId: nil, description: "", tags: [:])
        _ = try await registry.createModelVersion(name: "churn", source: path, runId: nil, description: "", tags: [:])
        try await registry.setAlias(name: "churn", alias: "champion", version: 2)
        let scorer = try await BatchScorer.resolve("models:/churn@champion", registry: registry)
        #expect(scorer.modelName == "churn")
        #expect(scorer.modelVersion == "2")
        let out = try BatchFixtures.outputDir("batch-reg-out")
        let r = try scorer.run(BatchScoringJob(input: BatchFixtures.customers, output: out))
        #expect(r.modelVersion == "2")
        let ci = try BatchFixtures.commitInfo(out, version: 0)
        #expect(ci["mltrack.model"] as? String == "models:/churn@champion")
        #expect(ci["mltrack.modelVersion"] as? String == "2")
        let t = try DeltaTable(path: out).snapshot().read(columns: ["model_name", "model_version"])
        #expect(t.row(0) == [.string("churn"), .string("2")])
    }
}
