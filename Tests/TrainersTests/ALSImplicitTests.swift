import Features
import Foundation
import Linalg
import Synchronization
import Testing
import Trainers

@Suite struct ALSImplicitTests {
    /// Small data where dense references are cheap.
    static func small(users: Int = 60, items: Int = 40, seed: UInt64 = 5) throws -> Interactions {
        var g = SeededGenerator(seed: seed)
        var entries: [(row: Int, column: Int, value: Float)] = []
        for u in 0 ..< users {
            for i in 0 ..< items where Double.random(in: 0 ..< 1, using: &g) < 0.15 + 0.3 * Double((u + i) % 3 == 0 ? 1 : 0) {
                entries.append((u, i, Float(Int.random(in: 1 ... 4, using: &g))))
            }
        }
        entries.append((users - 1, 0, 0))  // an explicit zero: confidence 1, preference 0
        let m = try SparseMatrix<Float>(rows: users + 1, columns: items, entries: entries)  // last user: empty row
        return try Interactions(matrix: m, users: IdMap(ids: (0 ... users).map { String($0) }),
                                items: IdMap(ids: (0 ..< items).map { String($0) }))
    }

    /// Exact solution of HKV eq. 4 for every row of `m`, in Double.
    static func exactSweep(_ m: SparseMatrix<Float>, y: [[Double]], lambda: Double, alpha: Double) -> [[Double]] {
        let k = y[0].count
        var yty = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for row in y { for a in 0 ..< k { for b in 0 ..< k { yty[a][b] += row[a] * row[b] } } }
        return (0 ..< m.rows).map { u in
            let (cols, vals) = m.row(u)
            if cols.isEmpty { return [Double](repeating: 0, count: k) }
            var a = yty
            for d in 0 ..< k { a[d][d] += lambda }
            var b = [Double](repeating: 0, count: k)
            for (c, v) in zip(cols, vals) {
                let conf = 1 + alpha * Double(abs(v)), pref: Double = v > 0 ? 1 : 0
                let yi = y[Int(c)]
                for p in 0 ..< k {
                    b[p] += conf * pref * yi[p]
                    for q in 0 ..< k { a[p][q] += (conf - 1) * yi[p] * yi[q] }
                }
            }
            return ALSTestData.solve(a, b)
        }
    }

    static func rows(_ m: Matrix<Float>) -> [[Double]] {
        (0 ..< m.rows).map { r in m.row(r).map { Double($0) } }
    }

    @Test func conjugateGradientSweepsMatchExactSolves() throws {
        let data = try Self.small()
        let k = 4
        let p = ALS.Parameters(factors: k, regularization: 0.1, alpha: 2, iterations: 1, cgSteps: 12, seed: 3, threads: 2)
        let model = try ALS(p).fit(data)
        let y0 = Self.rows(ALS.initialFactors(rows: data.items.count, factors: k, seed: 3, stream: 1))
        let x1 = Self.exactSweep(data.matrix, y: y0, lambda: 0.1, alpha: 2)
        let y1 = Self.exactSweep(data.matrix.transposed(), y: x1, lambda: 0.1, alpha: 2)
        for (ours, ref) in [(Self.rows(model.userFactors), x1), (Self.rows(model.itemFactors), y1)] {
            let scale = ref.joined().map(abs).max() ?? 1
            let diff = zip(ours.joined(), ref.joined()).map { abs($0 - $1) }.max() ?? 0
            #expect(diff <= 1e-3 * scale, "max difference \(diff) at scale \(scale)")
        }
        #expect(model.userFactors.row(data.users.count - 1).allSatisfy { $0 == 0 })  // empty row → zero factors
    }

    @Test func reportedLossIsTheDenseObjective() throws {
        let data = try Self.small(users: 30, items: 20, seed: 9)
        let (lambda, alpha): (Float, Float) = (0.05, 3)
        let losses = Mutex<[Double]>([])
        let model = try ALS(.init(factors: 5, regularization: lambda, alpha: alpha, iterations: 4, seed: 1, threads: 2))
            .fit(data) { step in losses.withLock { $0.append(step.loss ?? .nan) } }
        let reported = losses.withLock { $0 }
        #expect(reported.count == 4)
        let x = Self.rows(model.userFactors), y = Self.rows(model.itemFactors)
        var total = 0.0, confidence = 0.0
        let dense = data.matrix.dense()
        for u in 0 ..< x.count {
            for i in 0 ..< y.count {
                let v = Double(dense[u, i])
                let stored = data.matrix.row(u).columns.contains(Int32(i))
                let c = stored ? 1 + Double(alpha) * abs(v) : 1, pref: Double = stored && v > 0 ? 1 : 0
                let s = zip(x[u], y[i]).map { $0 * $1 }.reduce(0, +)
                total += c * (pref - s) * (pref - s)
                confidence += c
            }
        }
        total += Double(lambda) * (x.joined().map { $0 * $0 }.reduce(0, +) + y.joined().map { $0 * $0 }.reduce(0, +))
        let expected = total / confidence
        #expect(abs((reported.last ?? 0) - expected) <= 1e-5 * expected)
        #expect((reported.last ?? 1) < (reported.first ?? 0))
    }

    @Test func deterministicWhateverTheThreadCount() throws {
        let data = try Self.small(users: 200, items: 50, seed: 21)
        var p = ALS.Parameters(factors: 8, regularization: 0.1, alpha: 5, iterations: 3, seed: 77, threads: 1)
        let one = try ALS(p).fit(data)
        p.threads = 2
        let two = try ALS(p).fit(data)
        #expect(one.userFactors == two.userFactors)
        #expect(one.itemFactors == two.itemFactors)
        p.seed = 78
        let other = try ALS(p).fit(data)
        #expect(other.userFactors != one.userFactors)
    }

    /// The proof: same train matrix and hyper-parameters as implicit's CPU ALS (use_cg),
    /// precision@10 and NDCG@10 on a per-user held-out split within 0.005 of implicit's, both
    /// measured by our metric code (and implicit's own `ranking_metrics_at_k` as a cross-check).
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (implicit)"))
    func agreesWithImplicit() throws {
        let data = try ALSTestData.implicitInteractions(users: 1500, items: 800, seed: 2024)
        let (train, test) = try ALSTestData.perUserSplit(data.matrix, fraction: 0.2, seed: 7)
        let trainData = try Interactions(matrix: train, users: data.users, items: data.items)
        let p = ALS.Parameters(factors: 32, regularization: 0.05, alpha: 10, iterations: 15, cgSteps: 3, seed: 42, threads: 2,
                               computeLoss: false)
        let ours = try ALS(p).fit(trainData)

        let dir = try TestPaths.tempDir("als-implicit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = ["train", "test", "x0", "y0", "ours_x", "ours_y", "same_x", "same_y", "own_x", "own_y"]
            .reduce(into: [String: URL]()) { $0[$1] = dir.appendingPathComponent($1) }
        func file(_ name: String) -> URL { files[name] ?? dir }
        try ALSTestData.writeTriplets(train, to: file("train"))
        try ALSTestData.writeTriplets(test, to: file("test"))
        try ALSTestData.writeFloats(ALS.initialFactors(rows: train.rows, factors: p.factors, seed: p.seed, stream: 0), to: file("x0"))
        try ALSTestData.writeFloats(ALS.initialFactors(rows: train.columns, factors: p.factors, seed: p.seed, stream: 1), to: file("y0"))
        try ALSTestData.writeFloats(ours.userFactors, to: file("ours_x"))
        try ALSTestData.writeFloats(ours.itemFactors, to: file("ours_y"))
        // implicit 0.7.3 reads the matrix value itself as the confidence c_ui (its `alpha` only
        // multiplies the matrix), preference = value > 0: so pass 1 + α·r with alpha = 1.0 to get
        // exactly our c = 1 + α·r. Two runs: one from our initial factors (the same starting
        // point), one from implicit's own seeded initialization.
        let script = """
            import os, sys, json
            os.environ["OPENBLAS_NUM_THREADS"] = "1"
            import numpy as np, scipy.sparse as sp
            from threadpoolctl import threadpool_limits
            from implicit.cpu.als import AlternatingLeastSquares
            from implicit.evaluation import ranking_metrics_at_k
            d = dict(zip(sys.argv[1::2], sys.argv[2::2]))
            users, items, k, alpha = int(d["users"]), int(d["items"]), int(d["k"]), float(d["alpha"])
            def load(name):
                t = np.loadtxt(d[name], ndmin=2)
                return sp.csr_matrix((t[:, 2].astype(np.float32), (t[:, 0].astype(np.int64), t[:, 1].astype(np.int64))),
                                     shape=(users, items))
            train, test = load("train"), load("test")
            conf = train.copy(); conf.data = (1 + alpha * conf.data).astype(np.float32)
            def model(x0=None, y0=None):
                m = AlternatingLeastSquares(factors=k, regularization=float(d["reg"]), alpha=1.0, iterations=int(d["it"]),
                                            use_cg=True, random_state=int(d["seed"]), num_threads=2)
                if x0 is not None:
                    m.user_factors = np.fromfile(x0, dtype=np.float32).reshape(users, k).copy()
                    m.item_factors = np.fromfile(y0, dtype=np.float32).reshape(items, k).copy()
                return m
            out = {}
            with threadpool_limits(limits=1, user_api="blas"):
                for name, m in [("same", model(d["x0"], d["y0"])), ("own", model())]:
                    m.fit(conf, show_progress=False)
                    m.user_factors.astype(np.float32).tofile(d[name + "_x"])
                    m.item_factors.astype(np.float32).tofile(d[name + "_y"])
                    r = ranking_metrics_at_k(m, train, test, K=10, show_progress=False)
                    out[name] = {"precision": float(r["precision"]), "ndcg": float(r["ndcg"])}
                ours = model()
                ours.user_factors = np.fromfile(d["ours_x"], dtype=np.float32).reshape(users, k)
                ours.item_factors = np.fromfile(d["ours_y"], dtype=np.float32).reshape(items, k)
                r = ranking_metrics_at_k(ours, train, test, K=10, show_progress=False)
                out["ours"] = {"precision": float(r["precision"]), "ndcg": float(r["ndcg"])}
            print(json.dumps(out))
            """
        var args = ["users", "\(train.rows)", "items", "\(train.columns)", "k", "\(p.factors)", "alpha", "\(p.alpha)",
                    "reg", "\(p.regularization)", "it", "\(p.iterations)", "seed", "\(p.seed)"]
        for name in files.keys.sorted() { args += [name, file(name).path] }
        let peer = try PythonPeer.json(script, args: args) as? [String: [String: Double]] ?? [:]

        let ourMetrics = try ours.rankingMetrics(heldOut: test, k: 10)
        for run in ["same", "own"] {
            let theirs = try ALSModel(parameters: p,
                                      userFactors: ALSTestData.readFloats(file("\(run)_x"), rows: train.rows, columns: p.factors),
                                      itemFactors: ALSTestData.readFloats(file("\(run)_y"), rows: train.columns, columns: p.factors),
                                      users: data.users, items: data.items, training: train)
            let theirMetrics = try theirs.rankingMetrics(heldOut: test, k: 10)
            if run == "same" {
                // From the same starting point the factors themselves agree (Float32 rounding only).
                for (a, b) in [(ours.userFactors, theirs.userFactors), (ours.itemFactors, theirs.itemFactors)] {
                    let scale = a.values.map(abs).max() ?? 1
                    let diff = zip(a.values, b.values).map { abs($0 - $1) }.max() ?? 0
                    #expect(diff <= 1e-3 * scale, "factors differ by \(diff) at scale \(scale)")
                }
            }
            #expect(abs(ourMetrics.precision - theirMetrics.precision) <= 0.005,
                    "\(run): precision@10 ours \(ourMetrics.precision), implicit \(theirMetrics.precision)")
            #expect(abs(ourMetrics.ndcg - theirMetrics.ndcg) <= 0.005,
                    "\(run): NDCG@10 ours \(ourMetrics.ndcg), implicit \(theirMetrics.ndcg)")
            // implicit's own evaluation of both models (its precision = hits / min(K, |test|), micro-averaged).
            let mine = peer["ours"] ?? [:], its = peer[run] ?? [:]
            #expect(abs((mine["precision"] ?? .nan) - (its["precision"] ?? .nan)) <= 0.005, "\(run): implicit's metrics \(peer)")
            #expect(abs((mine["ndcg"] ?? .nan) - (its["ndcg"] ?? .nan)) <= 0.005, "\(run): implicit's metrics \(peer)")
            print("ALS vs implicit (\(run) init): ours P@10 \(ourMetrics.precision) NDCG@10 \(ourMetrics.ndcg); implicit P@10 \(theirMetrics.precision) NDCG@10 \(theirMetrics.ndcg); implicit.evaluation \(peer)")
        }
        // The model must have learned something real: far better than the popularity baseline.
        #expect(ourMetrics.precision > 0.05)
    }
}
