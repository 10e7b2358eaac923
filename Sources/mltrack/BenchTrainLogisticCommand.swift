import ArgumentParser
import Foundation
import GoldTables
import Linalg
import Trainers

/// `mltrack bench-train logistic PATH --label y`: loads a table's numeric columns into a matrix
/// once (not timed), then times `LogisticRegression.fit` to convergence (hidden; `make bench`).
struct BenchTrainLogisticCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logistic",
        abstract: "Time logistic regression fits; prints JSON {rows, features, best_s, median_s, runs, auc, iterations, loss}.",
        shouldDisplay: false
    )

    @OptionGroup var table: GoldTableOptions

    @Option(help: "The 0/1 label column; every other column is a feature.")
    var label = "y"

    @Option(name: .customLong("c"), help: "Inverse L2 strength (scikit-learn's C).")
    var c = 1.0

    @Option(help: "Stopping tolerance: max |gradient| of the normalized objective (scikit-learn's lbfgs tol).")
    var tolerance = 1e-4

    @Option(help: "Solver: auto, newton or lbfgs.")
    var solver = "auto"

    @Option(help: "Timed runs after one warm-up fit.")
    var runs = 3

    @Option(help: "Threads for BLAS and mltrack's loops.")
    var threads = 2

    @Flag(help: "Print each iteration of the warm-up fit to stderr.")
    var verbose = false

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be ≥ 1.") }
        if threads < 1 { throw ValidationError("--threads must be ≥ 1.") }
        if !(c.isFinite && c > 0) { throw ValidationError("--c must be finite and > 0.") }
        if !(tolerance.isFinite && tolerance > 0) { throw ValidationError("--tolerance must be finite and > 0.") }
        if LogisticRegression.Solver(rawValue: solver) == nil {
            throw ValidationError("--solver must be one of auto, newton, lbfgs (got '\(solver)').")
        }
    }

    func run() throws {
        Parallel.configure(threads: threads)
        let data = try table.open().read()
        let (x, y, names) = try Self.matrix(data, label: label)
        var parameters = LogisticRegression.Parameters(regularization: .c(c), tolerance: tolerance)
        parameters.solver = LogisticRegression.Solver(rawValue: solver) ?? .auto
        let trainer = LogisticRegression(parameters)
        var report: ProgressHandler?
        if verbose {
            report = { p in
                let line = "iteration \(p.iteration) loss \(p.loss ?? .nan) \(p.detail) \(String(format: "%.3f", p.elapsed))s\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        var model = try trainer.fit(x: x, y: y, featureNames: names, progress: report)  // warm-up
        var times: [Double] = []
        for _ in 0 ..< runs {
            let start = DispatchTime.now().uptimeNanoseconds
            model = try trainer.fit(x: x, y: y, featureNames: names)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        let auc = try ClassificationMetrics.rocAUC(labels: y, scores: try model.predictProbabilities(x))
        print(#"{"rows": \#(x.rows), "features": \#(x.columns), "best_s": \#(times[0]), "median_s": \#(times[times.count / 2]), "runs": \#(runs), "auc": \#(auc), "iterations": \#(model.iterations), "loss": \#(model.loss), "converged": \#(model.converged), "solver": "\#(model.solver.rawValue)"}"#)
    }

    /// Every column but `label` as a row-major feature matrix (numeric columns, no nulls) and the label as 0/1.
    static func matrix(_ t: Table, label: String) throws -> (Matrix<Double>, [Double], [String]) {
        guard let labelColumn = t.column(named: label) else {
            throw ValidationError("label column '\(label)' is not in the table (columns: \(t.columns.map(\.name).joined(separator: ", ")))")
        }
        let y = try numeric(labelColumn)
        let features = t.columns.filter { $0.name != label }
        let (n, p) = (t.rowCount, features.count)
        var x = Matrix<Double>(rows: n, columns: p)
        try x.values.withUnsafeMutableBufferPointer { out in
            for (j, col) in features.enumerated() {
                let v = try numeric(col)
                for i in 0 ..< n { out[i * p + j] = v[i] }
            }
        }
        return (x, y, features.map(\.name))
    }

    static func numeric(_ col: Column) throws -> [Double] {
        guard col.nullCount == 0 else { throw ValidationError("column '\(col.name)' has \(col.nullCount) nulls") }
        switch col.data {
        case .double(let v): return v
        case .float(let v): return v.map(Double.init)
        case .int64(let v): return v.map(Double.init)
        case .int32(let v): return v.map(Double.init)
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        default: throw ValidationError("column '\(col.name)' is not numeric (\(col.type))")
        }
    }
}
