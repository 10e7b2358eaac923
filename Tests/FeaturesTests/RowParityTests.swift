import Foundation
import GoldTables
import Testing
import TestSupport
@testable import Features

/// transform(row:) must give the same bits as transform(table) for that row.
@Suite struct RowParityTests {
    static func expectParity(_ fitted: FittedPipeline, _ table: Table) throws {
        let x = try fitted.transform(table)
        for r in 0 ..< table.rowCount {
            let expected = x.row(r).map(\.bitPattern)
            let fromValues = try fitted.transform(row: ParityTables.values(table, row: r))
            #expect(fromValues.map(\.bitPattern) == expected, "row \(r) (values)")
            let fromJSON = try fitted.transform(json: ParityTables.json(table, row: r))
            #expect(fromJSON.map(\.bitPattern) == expected, "row \(r) (JSON text)")
            if fromValues.map(\.bitPattern) != expected || fromJSON.map(\.bitPattern) != expected { return }
        }
    }

    @Test func everyRowOfASeededTableWithNullsInEveryKind() throws {
        let table = try ParityTables.seeded(rows: 600, seed: 42)
        for c in table.columns where c.name != "label" { #expect(c.nullCount > 0, "\(c.name) has nulls") }
        let fitted = try FeaturePipeline(ParityTables.spec()).fit(table)
        #expect(fitted.featureNames.count > 40)
        try Self.expectParity(fitted, table)
        // Fitted on one table, applied to another (unseen categories, other values).
        try Self.expectParity(fitted, try ParityTables.seeded(rows: 300, seed: 43))
    }

    @Test func everyRowOfTheShippedCustomersTable() throws {
        let table = try GoldTable.open(FeatureSpecTests.customersPath).read()
        let fitted = try FeaturePipeline(try FeatureSpec.load(path: FeatureSpecTests.churnSpecPath)).fit(table)
        try Self.expectParity(fitted, table)
    }
}
