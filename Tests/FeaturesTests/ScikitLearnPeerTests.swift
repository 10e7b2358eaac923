import Foundation
import GoldTables
import Testing
import TestSupport
@testable import Features

/// Our imputation + standardization and one-hot encoding against scikit-learn's SimpleImputer +
/// StandardScaler and OneHotEncoder(min_frequency, handle_unknown='infrequent_if_exist') on the
/// same seeded data, on the fit table and on a second table with unseen categories.
@Suite struct ScikitLearnPeerTests {
    static let script = """
        import json, sys
        import numpy as np
        from sklearn.impute import SimpleImputer
        from sklearn.preprocessing import OneHotEncoder, StandardScaler
        d = json.load(open(sys.argv[1]))
        def num(rows):
            return np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)
        out = {}
        for strategy, key in (("mean", "a"), ("median", "b")):
            imp = SimpleImputer(strategy=strategy)
            sc = StandardScaler()
            fit = sc.fit_transform(imp.fit_transform(num(d["fit"][key])))
            out[key] = fit.ravel().tolist()
            out[key + "_later"] = sc.transform(imp.transform(num(d["later"][key]))).ravel().tolist()
        enc = OneHotEncoder(min_frequency=d["min_frequency"], handle_unknown="infrequent_if_exist", sparse_output=False)
        out["c"] = enc.fit_transform(np.array(d["fit"]["c"], dtype=object)).tolist()
        out["c_later"] = enc.transform(np.array(d["later"]["c"], dtype=object)).tolist()
        out["names"] = [str(n) for n in enc.get_feature_names_out(["c"])]
        print(json.dumps(out))
        """

    static func table(rows n: Int, seed: UInt64, words: [String]) throws -> Table {
        var g = SeededGenerator(seed: seed)
        let a = (0 ..< n).map { _ in g.normal() * 3 + 10 }
        let b = (0 ..< n).map { _ in Int32.random(in: -50 ... 500, using: &g) }
        let c = (0 ..< n).map { _ -> String in
            let u = Double.random(in: 0 ..< 1, using: &g)
            return words[min(words.count - 1, Int(u * u * u * Double(words.count)))]
        }
        return try Table([
            Column(Field("a", .float64), data: .double(a), validity: (0 ..< n).map { $0 % 7 != 3 }),
            Column(Field("b", .int32), data: .int32(b), validity: (0 ..< n).map { $0 % 5 != 1 }),
            Column(Field("c", .string), data: .bytes(ByteArrayBuffer(strings: c))),
        ])
    }

    static func cells(_ t: Table) -> [String: Any] {
        func nums(_ name: String) -> [[Any]] {
            guard let col = t.column(named: name) else { return [] }
            return (0 ..< t.rowCount).map { r -> [Any] in
                switch col.value(at: r) {
                case .double(let d): [d]
                case .int(let i): [i]
                default: [NSNull()]
                }
            }
        }
        let c = t.column(named: "c")
        return ["a": nums("a"), "b": nums("b"),
                "c": (0 ..< t.rowCount).map { r -> [String] in
                    if case .string(let s)? = c?.value(at: r) { [s] } else { [""] }
                }]
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (scikit-learn)"))
    func matchesScikitLearn() throws {
        let words = (0 ..< 12).map { "w\($0)" }
        let fitTable = try Self.table(rows: 800, seed: 21, words: words)
        let later = try Self.table(rows: 300, seed: 22, words: words + ["never-seen", "also-new"])
        let minFrequency = 30
        let dir = try TestPaths.tempDir("sklearn-features")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("data.json")
        try JSONSerialization.data(withJSONObject: ["fit": Self.cells(fitTable), "later": Self.cells(later), "min_frequency": minFrequency])
            .write(to: input)
        let peer = try #require(try PythonPeer.json(Self.script, args: [input.path]) as? [String: Any])

        let spec = try FeatureSpec(
            numeric: [NumericFeatureSpec(column: "a", impute: .mean, standardize: true),
                      NumericFeatureSpec(column: "b", impute: .median, standardize: true)],
            categorical: [CategoricalFeatureSpec(column: "c", minFrequency: minFrequency)])
        let fitted = try FeaturePipeline(spec).fit(fitTable)
        // scikit-learn names the shared bucket c_infrequent_sklearn; ours is c=__unknown__.
        let peerNames = try #require(peer["names"] as? [String])
        #expect(peerNames.last == "c_infrequent_sklearn")
        #expect(fitted.featureNames.dropFirst(2).map { $0.replacingOccurrences(of: "c=", with: "c_") }
            == peerNames.dropLast() + ["c___unknown__"])
        for (t, suffix) in [(fitTable, ""), (later, "_later")] {
            let x = try fitted.transform(t)
            for (j, key) in ["a", "b"].enumerated() {
                let ref = try #require(peer[key + suffix] as? [Double])
                for r in 0 ..< t.rowCount {
                    #expect(abs(x[r, j] - ref[r]) <= 1e-12 * max(1, abs(ref[r])), "\(key)\(suffix) row \(r)")
                }
            }
            let oneHot = try #require(peer["c" + suffix] as? [[Double]])
            for r in 0 ..< t.rowCount {
                #expect(Array(x.row(r).dropFirst(2)) == oneHot[r], "c\(suffix) row \(r)")
            }
        }
    }
}
