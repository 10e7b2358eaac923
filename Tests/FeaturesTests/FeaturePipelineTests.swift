import Foundation
import GoldTables
import Linalg
import Testing
import TestSupport
@testable import Features

func strings(_ name: String, _ values: [String?]) -> Column {
    Column(Field(name, .string), data: .bytes(ByteArrayBuffer(strings: values.map { $0 ?? "" })),
           validity: values.contains(where: { $0 == nil }) ? values.map { $0 != nil } : nil)
}

func int32s(_ name: String, _ values: [Int32?], type: DataType = .int32) -> Column {
    Column(Field(name, type), data: .int32(values.map { $0 ?? 0 }),
           validity: values.contains(where: { $0 == nil }) ? values.map { $0 != nil } : nil)
}

func int64s(_ name: String, _ values: [Int64?], type: DataType = .int64) -> Column {
    Column(Field(name, type), data: .int64(values.map { $0 ?? 0 }),
           validity: values.contains(where: { $0 == nil }) ? values.map { $0 != nil } : nil)
}

@Suite struct FeaturePipelineTests {
    /// Mean, median and constant imputation, then standardization, against hand-computed values.
    @Test func imputeAndStandardizeMatchHandComputation() throws {
        let t = try Table([
            int32s("x", [1, 2, nil, 5]),
            Column(Field("y", .float64), data: .double([4, 1, .nan, 3]), validity: [true, true, true, true]),
            int64s("z", [10, nil, nil, 20]),
        ])
        let spec = try FeatureSpec(numeric: [
            NumericFeatureSpec(column: "x", impute: .mean, standardize: true),
            NumericFeatureSpec(column: "y", impute: .median),
            NumericFeatureSpec(column: "z", impute: .constant(-1), standardize: true),
        ])
        let f = try FeaturePipeline(spec).fit(t)
        #expect(f.featureNames == ["x", "y", "z"])
        // x: fill 8/3; imputed [1, 2, 8/3, 5] has mean 8/3 and variance 13/6.
        let fx = f.numeric[0].transform
        #expect(abs(fx.fill - 8.0 / 3) < 1e-15)
        #expect(abs((fx.center ?? 0) - 8.0 / 3) < 1e-15)
        #expect(abs((fx.scale ?? 0) - (13.0 / 6).squareRoot()) < 1e-15)
        // y: NaN counts as missing; median of [1, 3, 4] is 3.
        #expect(f.numeric[1].transform == NumericTransform(fill: 3))
        // z: imputed [10, -1, -1, 20]: mean 7, variance (9 + 64 + 64 + 169) / 4 = 76.5.
        #expect(f.numeric[2].transform.fill == -1 && f.numeric[2].transform.center == 7)
        #expect(abs((f.numeric[2].transform.scale ?? 0) - 76.5.squareRoot()) < 1e-14)

        let x = try f.transform(t)
        let s = (13.0 / 6).squareRoot(), sz = 76.5.squareRoot()
        let expected: [[Double]] = [
            [(1 - 8.0 / 3) / s, 4, (10 - 7) / sz],
            [(2 - 8.0 / 3) / s, 1, (-1 - 7) / sz],
            [0, 3, (-1 - 7) / sz],
            [(5 - 8.0 / 3) / s, 3, (20 - 7) / sz],
        ]
        for r in 0 ..< 4 {
            for j in 0 ..< 3 { #expect(abs(x[r, j] - expected[r][j]) < 1e-12, "row \(r) feature \(j)") }
        }
        // Even median over an even count averages the two middle values.
        let even = try FeaturePipeline(FeatureSpec(numeric: [NumericFeatureSpec(column: "x", impute: .median)]))
            .fit(try Table([int32s("x", [4, 1, nil, 3, 10])]))
        #expect(even.numeric[0].transform.fill == 3.5)
    }

    @Test func oneHotWithMinimumFrequencyAndUnknownBucket() throws {
        let values: [String?] = ["a", "b", "a", "c", "a", "b", nil, "d"]
        let t = try Table([strings("c", values)])
        let f = try FeaturePipeline(FeatureSpec(categorical: [CategoricalFeatureSpec(column: "c", minFrequency: 2)])).fit(t)
        #expect(f.featureNames == ["c=a", "c=b", "c=__unknown__"])
        let x = try f.transform(t)
        let expected: [[Double]] = [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]]
        #expect(x.values == expected.flatMap { $0 })

        // min_frequency 1 keeps everything; null is its own category (the default).
        let all = try FeaturePipeline(FeatureSpec(categorical: [CategoricalFeatureSpec(column: "c")])).fit(t)
        #expect(all.featureNames == ["c=a", "c=b", "c=c", "c=d", "c=__null__", "c=__unknown__"])
        // Unseen categories at transform (table and JSON row) go to __unknown__; so does null
        // with nulls: unknown.
        let later = try Table([strings("c", ["z", nil, "d"])])
        #expect(try all.transform(later).values == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0])
        #expect(try all.transform(row: ["c": "z"]) == [0, 0, 0, 0, 0, 1])
        #expect(try all.transform(row: [:]) == [0, 0, 0, 0, 1, 0])
        let nullsUnknown = try FeaturePipeline(FeatureSpec(categorical: [CategoricalFeatureSpec(column: "c", nulls: .unknown)])).fit(t)
        #expect(nullsUnknown.featureNames == ["c=a", "c=b", "c=c", "c=d", "c=__unknown__"])
        #expect(try nullsUnknown.transform(row: ["c": nil]) == [0, 0, 0, 0, 1])

        // A dictionary-encoded column and integer categories (sorted numerically).
        let dict = ByteArrayBuffer(strings: ["b", "a", "b"])  // a repeated dictionary entry
        let d = try Table([
            Column(Field("s", .string), data: .dictionary(indices: [0, 1, 2, 0, 1], dictionary: dict), validity: [true, true, true, false, true]),
            int64s("n", [10, 9, 10, 100, nil], type: .int16),
        ])
        let g = try FeaturePipeline(FeatureSpec(categorical: [
            CategoricalFeatureSpec(column: "s", minFrequency: 2),
            CategoricalFeatureSpec(column: "n", minFrequency: 1, nulls: .unknown),
        ])).fit(d)
        #expect(g.featureNames == ["s=a", "s=b", "s=__unknown__", "n=9", "n=10", "n=100", "n=__unknown__"])
        #expect(try g.transform(d).row(3).elementsEqual([0, 0, 1, 0, 0, 1, 0]))
        #expect(try g.transform(row: ["s": "b", "n": 9]) == [0, 1, 0, 1, 0, 0, 0])
        #expect(try g.transform(row: ["s": "q", "n": 11]) == [0, 0, 1, 0, 0, 0, 1])
    }

    @Test func booleanImputation() throws {
        let t = try Table([Column(Field("b", .bool), data: .bool([true, true, false, false, true]), validity: [true, true, true, false, true])])
        for (impute, fill) in [(BooleanFeatureSpec.Imputation.false, 0.0), (.true, 1), (.mostFrequent, 1)] {
            let f = try FeaturePipeline(FeatureSpec(boolean: [BooleanFeatureSpec(column: "b", impute: impute)])).fit(t)
            #expect(try f.transform(t).values == [1, 1, 0, fill, 1])
            #expect(try f.transform(row: ["b": nil]) == [fill])
        }
    }

    /// age_days and the day of week against a hand computation, for a date and a timestamp column.
    @Test func dateDerivedFeaturesMatchHandComputation() throws {
        // 2024-12-31 (Tuesday) = day 20088, 2025-01-01 (Wednesday) = 20089.
        let dates = int32s("d", [20088, 20089, nil], type: .date)
        // 2024-01-01T00:00:00Z (Monday) and 2024-01-03T12:00:00Z (Wednesday), in microseconds.
        let t0: Int64 = 1_704_067_200_000_000, t1: Int64 = t0 + (2 * 86_400 + 43_200) * 1_000_000
        let stamps = int64s("t", [t0, nil, t1], type: .timestamp(unit: .microseconds, utc: true))
        let table = try Table([dates, stamps])
        let spec = try FeatureSpec(dates: [
            DateFeatureSpec(column: "d", derive: [.ageDays, .dayOfWeek], reference: "2025-01-10"),
            DateFeatureSpec(column: "t", derive: [.dayOfWeek, .ageDays], impute: .constant(-1)),
        ])
        let f = try FeaturePipeline(spec).fit(table)
        #expect(f.featureNames == ["d.age_days"] + (0 ..< 7).map { "d.dow_\($0)" } + (0 ..< 7).map { "t.dow_\($0)" } + ["t.age_days"])
        #expect(f.dates[0].reference == 20098)
        #expect(f.dates[1].reference == t1)  // no reference: the maximum
        let x = try f.transform(table)
        func dow(_ k: Int?) -> [Double] { (0 ..< 7).map { $0 == k ? 1 : 0 } }
        let expected: [[Double]] = [
            [10] + dow(1) + dow(0) + [2.5],
            [9] + dow(2) + dow(nil) + [-1],
            [9.5] + dow(nil) + dow(2) + [0],
        ]
        #expect(x.values == expected.flatMap { $0 })
        // The same values from JSON rows.
        #expect(try f.transform(row: ["d": "2024-12-31", "t": "2024-01-01T00:00:00Z"]) == expected[0])
        #expect(try f.transform(row: ["d": "2025-01-01"]) == expected[1])
        #expect(try f.transform(row: ["t": "2024-01-03T14:00:00+02:00"]) == expected[2])
    }

    @Test func fittedStateRoundTripsThroughJSON() throws {
        let table = try ParityTables.seeded(rows: 300, seed: 11)
        let fitted = try FeaturePipeline(ParityTables.spec()).fit(table)
        let data = try JSONEncoder().encode(fitted)
        let back = try JSONDecoder().decode(FittedPipeline.self, from: data)
        #expect(back == fitted)
        let a = try fitted.transform(table), b = try back.transform(table)
        #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))

        // A damaged state is a decoding error, not a crash.
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["featureNames"] = ["nope"]
        let renamed = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(FittedPipeline.self, from: renamed) }
        object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var blocks = try #require(object["categorical"] as? [[String: Any]])
        let categories = try #require(blocks[0]["categories"] as? [String])
        blocks[0]["categories"] = categories + [categories[0]]
        object["categorical"] = blocks
        let duplicated = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(FittedPipeline.self, from: duplicated) }
    }

    @Test func errorsNameTheColumn() throws {
        let t = try Table([
            int32s("x", [1, 2]),
            strings("s", ["a", "b"]),
            Column(Field("nested", .json(nestedType: "list<int32>")), data: .bytes(ByteArrayBuffer(strings: ["[1]", "[]"]))),
            Column(Field("blob", .binary), data: .bytes(ByteArrayBuffer(strings: ["a", "b"]))),
        ])
        func column(_ body: () throws -> Any) -> String? {
            do { _ = try body(); return nil } catch let e as FeatureError { return e.column } catch { return "other: \(error)" }
        }
        #expect(column { try FeaturePipeline(FeatureSpec(numeric: [NumericFeatureSpec(column: "missing")])).fit(t) } == "missing")
        #expect(column { try FeaturePipeline(FeatureSpec(categorical: [CategoricalFeatureSpec(column: "nested")])).fit(t) } == "nested")
        #expect(column { try FeaturePipeline(FeatureSpec(numeric: [NumericFeatureSpec(column: "blob")])).fit(t) } == "blob")
        #expect(column { try FeaturePipeline(FeatureSpec(numeric: [NumericFeatureSpec(column: "s")])).fit(t) } == "s")
        #expect(column { try FeaturePipeline(FeatureSpec(dates: [DateFeatureSpec(column: "x")])).fit(t) } == "x")
        #expect(column { try FeaturePipeline(FeatureSpec(boolean: [BooleanFeatureSpec(column: "x")])).fit(t) } == "x")
        #expect(column { try FeaturePipeline(FeatureSpec(numeric: [NumericFeatureSpec(column: "x")])).fit(try Table([int32s("x", [nil, nil])])) } == "x")

        let f = try FeaturePipeline(FeatureSpec(numeric: [NumericFeatureSpec(column: "x")], categorical: [CategoricalFeatureSpec(column: "s")])).fit(t)
        #expect(column { try f.transform(row: ["x": "3"]) } == "x")
        #expect(column { try f.transform(row: ["x": true]) } == "x")
        #expect(column { try f.transform(row: ["s": 3]) } == "s")
        #expect(column { try f.transform(json: Data(#"{"x": 1, "s": {"a": 1}}"#.utf8)) } == "s")
        #expect(column { try f.transform(try Table([int32s("x", [1])])) } == "s")
        #expect(column { try f.transform(try Table([strings("x", ["1"]), strings("s", ["a"])])) } == "x")
        // A numeric column spelled like one of the categorical block's features: an error at fit,
        // not two features with one name (which the trainers refuse or mis-key).
        let clash = try Table([int32s("s=a", [1, 2]), strings("s", ["a", "b"])])
        #expect(column {
            try FeaturePipeline(FeatureSpec(numeric: [NumericFeatureSpec(column: "s=a")], categorical: [CategoricalFeatureSpec(column: "s")])).fit(clash)
        } == "features")
        // Keys that are not inputs are ignored; a missing key is null.
        #expect(f.featureNames == ["x", "s=a", "s=b", "s=__unknown__"])
        #expect(try f.transform(json: Data(#"{"x": 2, "s": "b", "churned": true}"#.utf8)) == [2, 0, 1, 0])
        #expect(try f.transform(json: Data(#"{}"#.utf8)) == [1.5, 0, 0, 1])
    }
}

@Suite struct FeaturePipelineTypeChangeTests {
    /// A timestamp column may change unit after fit: its ticks are floored to the fitted unit.
    @Test func timestampUnitChangesAreConverted() throws {
        let us: [Int64?] = [1_704_067_200_123_456, nil, -86_400_000_001, 0]
        let fitTable = try Table([int64s("t", us, type: .timestamp(unit: .microseconds, utc: true))])
        let spec = try FeatureSpec(dates: [DateFeatureSpec(column: "t", derive: [.ageDays, .dayOfWeek], reference: "2024-06-01")])
        let f = try FeaturePipeline(spec).fit(fitTable)
        let expected = try f.transform(fitTable)
        let ns = try Table([int64s("t", us.map { $0.map { $0 * 1000 + 999 } }, type: .timestamp(unit: .nanoseconds, utc: true))])
        #expect(try f.transform(ns) == expected)
        let ms = try Table([int64s("t", us.map { $0.map { ($0 - (($0 % 1000) + 1000) % 1000) / 1000 } }, type: .timestamp(unit: .milliseconds, utc: true))])
        let truncated = try Table([int64s("t", us.map { $0.map { $0 - (($0 % 1000) + 1000) % 1000 } }, type: .timestamp(unit: .microseconds, utc: true))])
        #expect(try f.transform(ms) == f.transform(truncated))
        // A date column is not a timestamp column.
        #expect(throws: FeatureError.self) { try f.transform(try Table([int32s("t", [1, 2], type: .date)])) }
    }

    /// Column names match the table case-insensitively; the fitted state uses the table's spelling.
    @Test func fittedStateUsesTheTableSpelling() throws {
        let t = try Table([int32s("Tenure", [1, 3])])
        let f = try FeaturePipeline(FeatureSpec(numeric: [NumericFeatureSpec(column: "tenure")])).fit(t)
        #expect(f.featureNames == ["Tenure"])
        #expect(try f.transform(row: ["Tenure": 5]) == [5])
        #expect(try f.transform(row: ["tenure": 5]) == [2])  // not an input key: missing, so imputed
    }

    /// A spec embedded in another document (an experiment spec) reports paths under its key.
    @Test func embeddedSpecErrorsCarryTheOuterPath() throws {
        struct Experiment: Decodable { var features: FeatureSpec }
        let good = try YAMLDecoderBridge.decode(Experiment.self, "features:\n  numeric: [a]\n")
        #expect(good.features.numeric.map(\.column) == ["a"])
        do {
            _ = try YAMLDecoderBridge.decode(Experiment.self, "features:\n  numeric: [{column: a, impute: mode}]\n")
            Issue.record("accepted")
        } catch let e as DecodingError {
            #expect(FeatureError(decoding: e).column == "features.numeric[0].impute")
        }
    }
}
