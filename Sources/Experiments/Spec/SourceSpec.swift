import Foundation
import Features
import Yams

/// Where an experiment's rows come from: a Gold table (Delta, Parquet or CSV), optionally a Delta
/// version or timestamp (not both), optionally a row filter.
///
/// ```yaml
/// source:
///   table: gold/customers          # relative to the spec file's folder, or absolute
///   version: 1                     # or timestamp: 2026-01-01T00:00:00Z
///   filter: region != 'test' and tenure_months >= 1
/// ```
public struct SourceSpec: Sendable, Hashable, Codable {
    /// The table path as written.
    public var table: String
    public var version: Int64?
    /// An ISO-8601 timestamp or `YYYY-MM-DD` as written (see ``timestampDate``).
    public var timestamp: String?
    public var filter: RowFilter?

    public init(table: String, version: Int64? = nil, timestamp: String? = nil, filter: RowFilter? = nil) {
        self.table = table
        self.version = version
        self.timestamp = timestamp
        self.filter = filter
    }

    /// ``timestamp`` as a `Date` (nil without one).
    public var timestampDate: Date? {
        guard let t = timestamp, let i = TimeText.instant(t) else { return nil }
        return Date(timeIntervalSince1970: Double(i.seconds) + Double(i.nanos) / 1e9)
    }

    /// The table path resolved against `directory` (the spec file's folder) unless absolute.
    public func tablePath(relativeTo directory: String?) -> String {
        ExperimentSpec.resolve(table, relativeTo: directory)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: SpecKey.self)
        try c.rejectUnknownKeys(["table", "version", "timestamp", "filter"])
        table = try c.required(String.self, "table")
        guard !table.trimmingCharacters(in: .whitespaces).isEmpty else { throw c.bad("table", "empty table path") }
        version = try c.optional(Int64.self, "version")
        if let v = version, v < 0 { throw c.bad("version", "must be ≥ 0, got \(v)") }
        timestamp = try c.optional(String.self, "timestamp")
        if let t = timestamp, TimeText.instant(t) == nil {
            throw c.bad("timestamp", "'\(t)' is not a date (YYYY-MM-DD) or an ISO-8601 timestamp")
        }
        if version != nil, timestamp != nil {
            throw c.bad("timestamp", "give a version or a timestamp, not both")
        }
        if let text = try c.optional(String.self, "filter") {
            do {
                filter = try RowFilter(text)
            } catch let e as ExperimentError {
                throw c.bad("filter", e.message)
            }
        } else {
            filter = nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        try c.put(table, "table")
        try c.put(ifPresent: version, "version")
        try c.put(ifPresent: timestamp, "timestamp")
        try c.put(ifPresent: filter?.text, "filter")
    }
}
