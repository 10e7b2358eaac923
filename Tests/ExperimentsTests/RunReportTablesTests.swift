import Features
import Foundation
import GoldTables
import Linalg
import Testing
import Trainers
@testable import Experiments

@Suite struct RunReportTablesTests {
    static func model(_ names: [String], _ coefs: [Double], intercept: Double) -> LogisticModel {
        LogisticModel(featureNames: names, coefficients: coefs, intercept: intercept, parameters: .init(), solver: .newton,
                      iterations: 3, converged: true, loss: 0.5, gradientNorm: 1e-9)
    }

    @Test func driversAreSortedByMagnitudeWithOddsRatiosAndUnits() throws {
        // A real fitted pipeline: tenure standardized, charges raw, contract one-hot, senior boolean.
        let table = try Table([
            Column(Field("tenure", .float64), data: .double([1, 2, 3, 6]), validity: nil),
            Column(Field("charges", .float64), data: .double([10, 20, 30, 40]), validity: nil),
            Column(Field("contract", .string), data: .bytes(ByteArrayBuffer(strings: ["m", "y", "m", "y"])), validity: nil),
            Column(Field("senior", .bool), data: .bool([true, false, false, true]), validity: nil),
        ])
        let spec = try FeatureSpec(yaml: """
            numeric: [{column: tenure, standardize: true}, charges]
            boolean: [senior]
            categorical: [contract]
            """)
        let pipeline = try FeaturePipeline(spec).fit(table)
        let names = pipeline.featureNames
        #expect(names.prefix(3) == ["tenure", "charges", "senior"])
        let coefs = names.map { ["tenure": -0.8, "charges": 0.3, "senior": -0.3, "contract=m": 1.2][$0] ?? 0.05 }
        let drivers = ChurnDrivers(model: Self.model(names, coefs, intercept: -1), pipeline: pipeline)
        #expect(drivers.rows.prefix(4).map(\.feature) == ["contract=m", "tenure", "charges", "senior"])  // |0.3| tie by name
        #expect(drivers.rows.prefix(4).map(\.unit) == [.indicator, .standardDeviation, .raw, .indicator])
        #expect(drivers.rows[0].oddsRatio == exp(1.2))
        #expect(drivers.hasStandardizedFeatures)

        let csv = drivers.csv().split(separator: "\n").map(String.init)
        #expect(csv[0] == "feature,coefficient,odds_ratio,unit")
        #expect(csv[1] == "contract=m,1.2,\(exp(1.2)),indicator 0→1")
        #expect(csv[2] == "tenure,-0.8,\(exp(-0.8)),1 sd (standardized)")
        #expect(csv[3] == "charges,0.3,\(exp(0.3)),1 unit")
        #expect(csv.last == "(intercept),-1,\(exp(-1.0)),baseline log-odds")
        #expect(csv.count == 1 + names.count + 1)

        let md = drivers.markdown()
        #expect(md.hasPrefix("## Churn drivers\n"))
        #expect(md.contains("standardized, so their coefficient is per standard deviation"))
        #expect(md.contains("| contract=m | 1.2000 | 3.320 | indicator 0→1 |"))   // e^1.2 = 3.3201
        #expect(md.contains("| tenure | -0.8000 | 0.449 | 1 sd (standardized) |"))  // e^-0.8 = 0.4493
        #expect(md.contains("| charges | 0.3000 | 1.350 | 1 unit |"))              // e^0.3 = 1.3499
        #expect(md.contains("| senior | -0.3000 | 0.741 | indicator 0→1 |"))        // e^-0.3 = 0.7408
        #expect(md.contains("Intercept: -1.0000 (baseline odds 0.368)"))
    }

    @Test func driverTablesEscapeAwkwardNames() {
        let drivers = ChurnDrivers(model: Self.model(["plan=a,b", "note=\"x\"|y"], [0.5, -1], intercept: 0))
        #expect(!drivers.hasStandardizedFeatures)
        let csv = drivers.csv()
        #expect(csv.contains("\n\"note=\"\"x\"\"|y\",-1,\(exp(-1.0)),as fitted\n"))
        #expect(csv.contains("\n\"plan=a,b\",0.5,"))
        #expect(drivers.markdown().contains("| note=\"x\"\\|y | -1.0000 | 0.368 | as fitted |"))
        #expect(drivers.markdown().contains("(no feature was standardized)"))
    }

    /// 3 users × 4 items, k = 1: scores are products of the factors, so rankings are hand-checkable.
    static func alsModel() throws -> ALSModel {
        let training = try SparseMatrix<Float>(rows: 3, columns: 4, entries: [
            (0, 0, 1), (0, 1, 1), (1, 0, 1), (2, 0, 1), (2, 2, 1),
        ])
        return try ALSModel(parameters: .init(factors: 1, iterations: 1),
                            userFactors: try Matrix(rows: 3, columns: 1, values: [1, 2, -1]),
                            itemFactors: try Matrix(rows: 4, columns: 1, values: [0.5, 0.25, 2, 1.5]),
                            users: IdMap(ids: ["u1", "u2", "u3,x"]), items: IdMap(ids: ["a", "b", "c", "d"]),
                            training: training)
    }

    @Test func alsTopItemsAndSampleRecommendations() throws {
        let report = RecommendationReport(model: try Self.alsModel())
        // Popularity: a 3, b 1, c 1, d 0 (ties by index).
        #expect(report.topItemsCSV(k: 3) == "rank,item,training_users\n1,a,3\n2,b,1\n3,c,1\n")
        // Most active first: u1 and u3,x have 2 interactions (tie by id bytes), u2 has 1.
        #expect(report.sampleUsers(count: 2) == ["u1", "u3,x"])
        #expect(report.sampleUsers(count: 5) == ["u1", "u3,x", "u2"])
        // u1 (x = 1), seen a, b: c 2, d 1.5. u2 (x = 2), seen a: c 4, d 3. Unknown user: popular.
        #expect(report.recommendationsCSV(users: ["u1", "u2", "nobody"], k: 2) == """
            user,rank,item,score
            u1,1,c,2
            u1,2,d,1.5
            u2,1,c,4
            u2,2,d,3
            nobody,1,a,3
            nobody,2,b,1

            """)
        // u3,x (x = −1), seen a, c: b −0.25, d −1.5; the id is quoted.
        #expect(report.recommendationsCSV(users: ["u3,x"], k: 5) == "user,rank,item,score\n\"u3,x\",1,b,-0.25\n\"u3,x\",2,d,-1.5\n")
    }
}
