import Foundation
import Features
import Trainers

/// The "drivers" table of a churn model: per feature its logistic coefficient and odds ratio
/// exp(coef), sorted by |coef| (largest first, ties by feature name), as CSV and Markdown.
///
/// A coefficient is the change in log-odds for one unit of the feature *as the model saw it*:
/// one standard deviation for a standardized numeric feature (the spec's `standardize: true`),
/// one raw unit for an unstandardized one, 0 → 1 for an indicator (one-hot category, boolean,
/// day of week). Each row says which (``Unit``), and the Markdown header says when coefficients
/// are on standardized features.
///
/// ```swift
/// let drivers = ChurnDrivers(model: result.model, pipeline: result.pipeline)
/// try store.log(data: Data(drivers.csv().utf8), at: "drivers.csv")
/// print(drivers.markdown())
/// ```
public struct ChurnDrivers: Sendable, Hashable {
    /// What one unit of a feature is.
    public enum Unit: String, Codable, Sendable, Hashable {
        /// A standardized numeric feature: one standard deviation of the training rows.
        case standardDeviation = "1 sd (standardized)"
        /// An unstandardized numeric feature: one unit of the column.
        case raw = "1 unit"
        /// A 0/1 feature: category present, boolean true, weekday.
        case indicator = "indicator 0→1"
        /// No pipeline was given.
        case unknown = "as fitted"
    }

    /// One feature's row.
    public struct Row: Codable, Sendable, Hashable {
        public var feature: String
        public var coefficient: Double
        /// exp(coefficient): the factor on the odds of churn per unit.
        public var oddsRatio: Double
        public var unit: Unit

        public init(feature: String, coefficient: Double, oddsRatio: Double, unit: Unit) {
            self.feature = feature
            self.coefficient = coefficient
            self.oddsRatio = oddsRatio
            self.unit = unit
        }
    }

    /// Sorted by |coefficient| descending, ties by feature name bytes.
    public var rows: [Row]
    public var intercept: Double

    /// The table of `model`; `pipeline` (the fitted features it was trained on) tells which
    /// features were standardized.
    public init(model: LogisticModel, pipeline: FittedPipeline? = nil) {
        let units = pipeline.map(Self.units) ?? [:]
        rows = zip(model.featureNames, model.coefficients).map { name, coef in
            Row(feature: name, coefficient: coef, oddsRatio: exp(coef), unit: pipeline == nil ? .unknown : units[name] ?? .indicator)
        }.sorted { a, b in
            let (x, y) = (abs(a.coefficient), abs(b.coefficient))
            return x != y ? x > y : a.feature.utf8.lexicographicallyPrecedes(b.feature.utf8)
        }
        intercept = model.intercept
    }

    /// The unit of each non-indicator output feature of a fitted pipeline.
    static func units(_ p: FittedPipeline) -> [String: Unit] {
        var out: [String: Unit] = [:]
        for n in p.numeric { out[n.column] = n.transform.center != nil ? .standardDeviation : .raw }
        for b in p.boolean { out[b.column] = .indicator }
        for d in p.dates {
            if let t = d.ageDays { out[d.column + ".age_days"] = t.center != nil ? .standardDeviation : .raw }
        }
        return out
    }

    /// Whether any coefficient is per standard deviation.
    public var hasStandardizedFeatures: Bool { rows.contains { $0.unit == .standardDeviation } }

    /// `feature,coefficient,odds_ratio,unit`, one line per feature in table order, then the
    /// intercept as `(intercept)` with unit `baseline log-odds`. Numbers in full precision.
    public func csv() -> String {
        var s = ReportFormat.csvLine(["feature", "coefficient", "odds_ratio", "unit"])
        for r in rows {
            s += ReportFormat.csvLine([r.feature, ReportFormat.csvNumber(r.coefficient), ReportFormat.csvNumber(r.oddsRatio), r.unit.rawValue])
        }
        s += ReportFormat.csvLine(["(intercept)", ReportFormat.csvNumber(intercept), ReportFormat.csvNumber(exp(intercept)), "baseline log-odds"])
        return s
    }

    /// A Markdown section: a heading, a note on the units (naming standardization when present),
    /// and a table with the coefficient to 4 decimals and the odds ratio to 3.
    public func markdown(title: String = "Churn drivers") -> String {
        var s = "## \(ReportFormat.markdownCell(title))\n\n"
        if hasStandardizedFeatures {
            s += "Coefficients are log-odds per unit of the feature as the model saw it; features marked \"1 sd (standardized)\" were standardized, so their coefficient is per standard deviation of the training rows, not per raw unit. Sorted by |coefficient|.\n\n"
        } else {
            s += "Coefficients are log-odds per unit of the feature as the model saw it (no feature was standardized). Sorted by |coefficient|.\n\n"
        }
        s += "| feature | coefficient | odds ratio | unit |\n|---|---:|---:|---|\n"
        for r in rows {
            s += "| \(ReportFormat.markdownCell(r.feature)) | \(ReportFormat.fixed(r.coefficient, 4)) | \(ReportFormat.fixed(r.oddsRatio, 3)) | \(r.unit.rawValue) |\n"
        }
        s += "\nIntercept: \(ReportFormat.fixed(intercept, 4)) (baseline odds \(ReportFormat.fixed(exp(intercept), 3))).\n"
        return s
    }
}
