import Foundation
import GoldTables
import Tracking

/// The table a spec reads: the Gold table opened at the spec's version or timestamp (Delta time
/// travel), every column read, and `source.filter` applied. `lineage` describes the snapshot read.
///
/// ```swift
/// let source = try RunSource.load(spec)
/// source.table.rowCount; source.lineage.version   // rows after the filter; the Delta version read
/// ```
public struct RunSource: Sendable {
    public var gold: GoldTable
    /// The rows the run uses (after the filter).
    public var table: Table
    public var lineage: GoldLineage

    public static func load(_ spec: ExperimentSpec) throws -> RunSource {
        let path = spec.tablePath
        let gold = try GoldTable.open(path, version: spec.source.version, timestamp: spec.source.timestampDate)
        let all = try gold.read()
        let table = try spec.source.filter?.apply(all) ?? all
        return RunSource(gold: gold, table: table, lineage: try gold.lineage())
    }

    /// The dataset input of this source for the run's tracking record.
    public func datasetInput(filter: RowFilter?) throws -> DatasetInput {
        try RunDataset.input(lineage: lineage, schema: gold.schema, filter: filter, rowsUsed: table.rowCount)
    }
}
