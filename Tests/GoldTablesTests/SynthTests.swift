import Foundation
import Testing
import TestSupport
@testable import GoldTables

/// Synthetic generators: seeded determinism, and the churn label carries the documented signal.
@Suite struct SynthTests {
    @Test func splitMixKnownValues() {
        // SplitMix64 reference output for seed 0 (Vigna's splitmix64.c).
        var r = SynthRandom(seed: 0)
        #expect(r.next() == 0xE220_A839_7B1D_CDAF)
        #expect(r.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(r.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func churnIsDeterministicAndChunkInvariant() {
        let g = ChurnGenerator(seed: 7)
        let whole = g.generate(rows: 0 ..< 1000)
        #expect(whole == ChurnGenerator(seed: 7).generate(rows: 0 ..< 1000))
        let parts = [g.generate(rows: 0 ..< 400), g.generate(rows: 400 ..< 1000)]
        #expect((try? Table.concatenate(parts, schema: ChurnGenerator.schema)) == whole)
        #expect(ChurnGenerator(seed: 8).generate(rows: 0 ..< 1000) != whole)
        #expect(whole.schema == ChurnGenerator.schema)
        #expect(whole.row(41)[0] == .string("C00000042"))
    }

    @Test func churnColumnsAreShapedAsDocumented() throws {
        let t = ChurnGenerator(seed: 1).generate(rows: 0 ..< 20000)
        let tenure = t.columns[2], total = t.columns[4], region = t.columns[11]
        var zeroTenure = 0
        for r in 0 ..< t.rowCount {
            guard case .int(let m) = tenure.value(at: r) else { continue }
            #expect((0 ... 72).contains(m))
            if m == 0 {
                zeroTenure += 1
                #expect(total.isNull(r))
            } else {
                #expect(!total.isNull(r))
            }
            if case .date(let d) = t.columns[1].value(at: r) { #expect(d <= ChurnGenerator.referenceDay) }
        }
        #expect(total.nullCount == zeroTenure)
        #expect((100 ... 320).contains(zeroTenure))  // ≈ 1 %
        #expect((800 ... 1200).contains(region.nullCount))  // ≈ 5 %
    }

    /// The model's features and label, recomputed independently from the table's cells.
    struct Obs {
        var contract: Int, tenure: Double, monthly: Double, senior: Double, partner: Double, calls: Double,
            echeck: Double, churned: Bool
    }

    func observations(_ t: Table) -> [Obs] {
        (0 ..< t.rowCount).map { r in
            let row = t.row(r)
            func s(_ i: Int) -> String { if case .string(let v) = row[i] { v } else { "" } }
            func i(_ k: Int) -> Double { if case .int(let v) = row[k] { Double(v) } else { .nan } }
            func d(_ k: Int) -> Double { if case .double(let v) = row[k] { v } else { .nan } }
            func b(_ k: Int) -> Bool { if case .bool(let v) = row[k] { v } else { false } }
            return Obs(contract: ["month-to-month": 0, "one-year": 1, "two-year": 2][s(5)] ?? -1,
                       tenure: i(2), monthly: d(3), senior: b(8) ? 1 : 0, partner: b(7) ? 1 : 0, calls: i(9),
                       echeck: s(6) == "electronic check" ? 1 : 0, churned: b(12))
        }
    }

    /// The documented formula, written out again here (not calling the generator).
    func modelLogit(_ o: Obs) -> Double {
        -0.5 - 1.1 * (o.contract == 1 ? 1 : 0) - 2.2 * (o.contract == 2 ? 1 : 0) - 0.03 * o.tenure
            + 0.15 * (o.monthly - 70) / 10 + 0.4 * o.senior - 0.3 * o.partner + 0.25 * o.calls + 0.5 * o.echeck
    }

    @Test func churnRatesFollowTheModelPerBucket() {
        let obs = observations(ChurnGenerator(seed: 2024).generate(rows: 0 ..< 60000))
        var rates: [Double] = []
        for c in 0 ..< 3 {
            let b = obs.filter { $0.contract == c }
            let empirical = Double(b.filter(\.churned).count) / Double(b.count)
            let expected = b.map { 1 / (1 + exp(-modelLogit($0))) }.reduce(0, +) / Double(b.count)
            let se = (expected * (1 - expected) / Double(b.count)).squareRoot()
            #expect(abs(empirical - expected) < 4 * se, "contract \(c): \(empirical) vs \(expected)")
            rates.append(empirical)
        }
        #expect(rates[0] > rates[1] && rates[1] > rates[2])
        // Tenure buckets: the empirical log-odds track the model's mean probability.
        for (lo, hi) in [(0.0, 12.0), (12, 36), (36, 73)] {
            let b = obs.filter { $0.tenure >= lo && $0.tenure < hi }
            let empirical = Double(b.filter(\.churned).count) / Double(b.count)
            let expected = b.map { 1 / (1 + exp(-modelLogit($0))) }.reduce(0, +) / Double(b.count)
            let logOdds = { (p: Double) in log(p / (1 - p)) }
            #expect(abs(logOdds(empirical) - logOdds(expected)) < 0.12, "tenure \(lo)..<\(hi)")
        }
        let overall = Double(obs.filter(\.churned).count) / Double(obs.count)
        #expect(overall > 0.17 && overall < 0.26)
    }

    /// A logistic regression fitted by Newton's method recovers the documented coefficients.
    @Test func logisticFitRecoversCoefficients() throws {
        let obs = observations(ChurnGenerator(seed: 99).generate(rows: 0 ..< 60000))
        let x: [[Double]] = obs.map {
            [1, $0.contract == 1 ? 1 : 0, $0.contract == 2 ? 1 : 0, $0.tenure, ($0.monthly - 70) / 10,
             $0.senior, $0.partner, $0.calls, $0.echeck]
        }
        let y = obs.map { $0.churned ? 1.0 : 0.0 }
        let k = 9
        var beta = [Double](repeating: 0, count: k)
        for _ in 0 ..< 12 {
            var h = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
            var g = [Double](repeating: 0, count: k)
            for (xi, yi) in zip(x, y) {
                var z = 0.0
                for j in 0 ..< k { z += beta[j] * xi[j] }
                let p = 1 / (1 + exp(-z))
                let w = p * (1 - p)
                for a in 0 ..< k {
                    g[a] += (yi - p) * xi[a]
                    for b in 0 ..< k { h[a][b] += w * xi[a] * xi[b] }
                }
            }
            let step = try solve(h, g)
            for j in 0 ..< k { beta[j] += step[j] }
        }
        let truth = [-0.5, -1.1, -2.2, -0.03, 0.15, 0.4, -0.3, 0.25, 0.5]
        let tolerance = [0.15, 0.15, 0.3, 0.005, 0.05, 0.12, 0.1, 0.05, 0.1]
        for j in 0 ..< k {
            #expect(abs(beta[j] - truth[j]) < tolerance[j], "coefficient \(j): \(beta[j]) vs \(truth[j])")
        }
    }

    /// Gaussian elimination with partial pivoting.
    func solve(_ a0: [[Double]], _ b0: [Double]) throws -> [Double] {
        var a = a0, b = b0
        let n = b.count
        for c in 0 ..< n {
            guard let p = (c ..< n).max(by: { abs(a[$0][c]) < abs(a[$1][c]) }), abs(a[p][c]) > 1e-12 else {
                throw TableError("singular")
            }
            a.swapAt(c, p); b.swapAt(c, p)
            for r in c + 1 ..< n {
                let f = a[r][c] / a[c][c]
                for j in c ..< n { a[r][j] -= f * a[c][j] }
                b[r] -= f * b[c]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = b[r]
            for j in r + 1 ..< n { s -= a[r][j] * x[j] }
            x[r] = s / a[r][r]
        }
        return x
    }

    @Test func interactionsDeterministicSkewedAndLowRank() {
        let g = InteractionsGenerator(seed: 5, rows: 50000)
        let t = g.generate(rows: 0 ..< 50000)
        #expect(t == InteractionsGenerator(seed: 5, rows: 50000).generate(rows: 0 ..< 50000))
        let parts = [g.generate(rows: 0 ..< 123), g.generate(rows: 123 ..< 50000)]
        #expect((try? Table.concatenate(parts, schema: InteractionsGenerator.schema)) == t)
        #expect(g.users == 2000 && g.items == 500)
        var itemCounts = [String: Int]()
        var ratingSum = [Int](repeating: 0, count: 6)
        var pairs: [(Double, Double, Double)] = []  // affinity, count, rating
        for r in 0 ..< t.rowCount {
            let row = t.row(r)
            guard case .string(let u) = row[0], case .string(let i) = row[1], case .int(let c) = row[3],
                  case .int(let rating) = row[4], case .timestamp(let ts, _, _) = row[2] else {
                Issue.record("row \(r) has wrong types")
                return
            }
            #expect(u.count == 6 && u.hasPrefix("u") && i.count == 5 && i.hasPrefix("i"))
            #expect((1 ... 5).contains(rating) && c >= 1)
            #expect(ts >= InteractionsGenerator.startMicros)
            itemCounts[i, default: 0] += 1
            ratingSum[Int(rating)] += 1
            if let ui = Int(u.dropFirst()), let ii = Int(i.dropFirst()) {
                pairs.append((g.affinity(user: ui, item: ii), Double(c), Double(rating)))
            }
        }
        // Popularity: the candidates are Zipf draws, so the head items still dominate: the 50
        // lowest-numbered items (10 %) get most events, and the most frequent item is among them.
        let sorted = itemCounts.sorted { $0.value > $1.value }
        let head = (0 ..< 50).reduce(0) { $0 + (itemCounts["i" + String(repeating: "0", count: 4 - String($1).count) + String($1)] ?? 0) }
        #expect(Double(head) / Double(t.rowCount) > 0.5, "\(head)")
        #expect(sorted.first.flatMap { Int($0.key.dropFirst()) }.map { $0 < 50 } == true)
        // Taste: the chosen item is the best of 32 candidates under β·s + Gumbel noise, so the
        // affinity of observed pairs exceeds that of the same users with popularity-only items.
        // For Gaussian s the tilt exp(β·s) moves the mean by β·Var(s) ≈ 2.2 with unlimited
        // candidates; 32 candidates give a good part of that.
        var baseline = SynthRandom(seed: 99, stream: 0)
        let zipf = (0 ..< g.items).map { pow(Double($0 + 1), -1.1) }
        let zipfTotal = zipf.reduce(0, +)
        var popularityOnly = 0.0
        for (k, r) in (0 ..< t.rowCount).enumerated() where k < 20000 {
            guard case .string(let u) = t.row(r)[0], let ui = Int(u.dropFirst()) else { continue }
            var x = baseline.uniform() * zipfTotal, item = 0
            while item < g.items - 1 && x >= zipf[item] { x -= zipf[item]; item += 1 }
            popularityOnly += g.affinity(user: ui, item: item)
        }
        popularityOnly /= 20000
        let observed = pairs.prefix(20000).reduce(0) { $0 + $1.0 } / 20000
        #expect(observed - popularityOnly > 1.0, "observed \(observed), popularity-only \(popularityOnly)")
        // Ratings and counts follow the latent affinity.
        #expect(correlation(pairs.map(\.0), pairs.map(\.2)) > 0.75)
        #expect(correlation(pairs.map(\.0), pairs.map(\.1)) > 0.3)
        #expect(ratingSum[1...5].allSatisfy { $0 > 0 })
    }

    /// The synthetic Delta table reads back in deltalake (Python) with the same rows and label rates.
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (deltalake)"))
    func churnDeltaTableReadsInDeltalake() throws {
        let path = try TestPaths.tempDir("synth-peer").appendingPathComponent("churn").path
        try SyntheticTables.writeDelta(.churn, rows: 3000, seed: 12, to: path, batchRows: 1000)
        let t = ChurnGenerator(seed: 12).generate(rows: 0 ..< 3000)
        var churned = 0, nullTotals = 0
        for r in 0 ..< t.rowCount {
            if case .bool(true) = t.columns[12].value(at: r) { churned += 1 }
            if t.columns[4].isNull(r) { nullTotals += 1 }
        }
        let obj = try PythonPeer.json("""
            import json, sys, deltalake
            dt = deltalake.DeltaTable(sys.argv[1])
            df = dt.to_pandas().sort_values('customer_id')
            print(json.dumps({'version': dt.version(), 'rows': len(df), 'churned': int(df.churned.sum()),
                              'null_totals': int(df.total_charges.isna().sum()),
                              'first': df.customer_id.iloc[0], 'last': df.customer_id.iloc[-1]}))
            """, args: [path]) as? [String: Any]
        #expect(obj?["version"] as? Int == 2)
        #expect(obj?["rows"] as? Int == 3000)
        #expect(obj?["churned"] as? Int == churned)
        #expect(obj?["null_totals"] as? Int == nullTotals)
        #expect(obj?["first"] as? String == "C00000001" && obj?["last"] as? String == "C00003000")
    }

    func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (x, y) in zip(a, b) {
            sab += (x - ma) * (y - mb); saa += (x - ma) * (x - ma); sbb += (y - mb) * (y - mb)
        }
        return sab / (saa * sbb).squareRoot()
    }
}
