import Foundation
import GoldTables
import Testing
import TestSupport
@testable import Features

@Suite struct FeatureSpecTests {
    static let churnSpecPath = TestPaths.packageRoot.appendingPathComponent("Experiments/features/churn.yaml").path
    static let customersPath = TestPaths.packageRoot.appendingPathComponent("Experiments/gold/customers").path

    /// The shipped example parses into what its comments say, and fits the shipped customers table.
    @Test func shippedChurnSpecParsesAndFits() throws {
        let spec = try FeatureSpec.load(path: Self.churnSpecPath)
        #expect(spec.numeric.map(\.column) == ["tenure_months", "monthly_charges", "total_charges", "support_calls"])
        #expect(spec.numeric[2].impute == .constant(0) && spec.numeric[2].standardize)
        #expect(spec.numeric[3].impute == .median && !spec.numeric[3].standardize)
        #expect(spec.boolean.map(\.column) == ["partner", "senior"])
        #expect(spec.categorical.map(\.column) == ["contract", "payment_method", "region"])
        #expect(spec.categorical[2].minFrequency == 20 && spec.categorical[2].nulls == .category)
        #expect(spec.dates[0].reference == "2025-01-01" && spec.dates[0].derive == [.ageDays])
        #expect(spec.dates[1].reference == nil && spec.dates[1].derive == [.ageDays, .dayOfWeek])
        #expect(spec.drop == ["customer_id", "churned"])

        let table = try GoldTable.open(Self.customersPath).read()
        let fitted = try FeaturePipeline(spec).fit(table)
        #expect(fitted.featureNames == [
            "tenure_months", "monthly_charges", "total_charges", "support_calls", "partner", "senior",
            "contract=month-to-month", "contract=one-year", "contract=two-year", "contract=__unknown__",
            "payment_method=bank transfer (automatic)", "payment_method=credit card (automatic)",
            "payment_method=electronic check", "payment_method=mailed check", "payment_method=__unknown__",
            "region=central", "region=east", "region=north", "region=south", "region=west", "region=__null__",
            "region=__unknown__", "signup_date.age_days", "last_active.age_days",
            "last_active.dow_0", "last_active.dow_1", "last_active.dow_2", "last_active.dow_3",
            "last_active.dow_4", "last_active.dow_5", "last_active.dow_6",
        ])
        let x = try fitted.transform(table)
        #expect(x.rows == 5000 && x.columns == fitted.featureNames.count)
        #expect(x.values.allSatisfy { $0.isFinite })
        // 2025-01-01 is day 20089; the reference of last_active is its maximum (2024-12-31T22:43:12.100461Z).
        #expect(fitted.dates[0].reference == 20089)
        #expect(fitted.dates[1].reference == (20088 * 86_400 + 22 * 3600 + 43 * 60 + 12) * 1_000_000 + 100_461)
        #expect(fitted.trainingRows == 5000)
    }

    @Test func bareNamesGetDefaultsAndYAMLRoundTrips() throws {
        let spec = try FeatureSpec(yaml: """
            numeric: [a, {column: b, impute: median, standardize: true}]
            boolean: [c]
            categorical: [d]
            dates: [e, {column: f, derive: [day_of_week]}]
            """)
        #expect(spec.numeric[0] == NumericFeatureSpec(column: "a"))
        #expect(spec.numeric[1] == NumericFeatureSpec(column: "b", impute: .median, standardize: true))
        #expect(spec.boolean[0].impute == .false)
        #expect(spec.categorical[0] == CategoricalFeatureSpec(column: "d"))
        #expect(spec.dates[0].derive == [.ageDays] && spec.dates[0].impute == .mean)
        #expect(spec.dates[1].derive == [.dayOfWeek])
        let again = try FeatureSpec(yaml: spec.yaml())
        #expect(again == spec)
        let shipped = try FeatureSpec.load(path: Self.churnSpecPath)
        let shippedAgain = try FeatureSpec(yaml: shipped.yaml())
        #expect(shippedAgain == shipped)
        let viaJSON = try JSONDecoder().decode(FeatureSpec.self, from: JSONEncoder().encode(shipped))
        #expect(viaJSON == shipped)
    }

    /// Each bad spec is a FeatureError whose `column` is the path of the offending field.
    @Test(arguments: [
        ("numeric: [{column: a, scale: true}]", "numeric[0].scale", "unknown key"),
        ("numerics: [a]", "numerics", "unknown key"),
        ("numeric: [{column: a, impute: mode}]", "numeric[0].impute", "unknown value 'mode'"),
        ("numeric: [{column: a, impute: constant}]", "numeric[0].value", "needs a 'value'"),
        ("numeric: [{column: a, value: 3}]", "numeric[0].value", "only allowed"),
        ("numeric: [a, {column: b, standardize: maybe}]", "numeric[1].standardize", "true or false"),
        ("categorical: [{column: a, min_frequency: 0}]", "categorical[0].min_frequency", "at least 1"),
        ("categorical: [{column: a, nulls: drop}]", "categorical[0].nulls", "unknown value 'drop'"),
        ("boolean: [{column: a, impute: maybe}]", "boolean[0].impute", "unknown value"),
        ("dates: [{column: a, reference: yesterday}]", "dates[0].reference", "not a date"),
        ("dates: [{column: a, derive: [age_days, month]}]", "dates[0].derive", "unknown value 'month'"),
        ("dates: [{column: a, derive: [day_of_week], standardize: true}]", "dates[0].derive", "age_days"),
        ("numeric: [{impute: mean}]", "numeric[0]", "needs a 'column'"),
        ("numeric: [a]\ndrop: [b, a]", "drop[1]", "dropped but used by numeric[0]"),
        ("numeric: [a]\ncategorical: [A]", "categorical[0]", "already used by numeric[0]"),
        ("drop: [a]", "spec", "no features"),
        ("numeric: [a\n", "spec", "YAML"),
    ])
    func badSpecsNameTheField(yaml: String, field: String, message: String) {
        do {
            _ = try FeatureSpec(yaml: yaml)
            Issue.record("accepted: \(yaml)")
        } catch let e as FeatureError {
            #expect(e.column == field, "\(e)")
            #expect(e.message.contains(message), "\(e)")
        } catch {
            Issue.record("not a FeatureError: \(error)")
        }
    }

    @Test func programmaticSpecIsValidated() {
        #expect(throws: FeatureError.self) {
            try FeatureSpec(numeric: [NumericFeatureSpec(column: "x")], drop: ["x"])
        }
    }
}
