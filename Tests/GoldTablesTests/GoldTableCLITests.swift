import Foundation
import Testing
import TestSupport
@testable import GoldTables

/// The `mltrack gold` commands end to end, through the built binary (next to the test bundle).
@Suite struct GoldTableCLITests {
    static let binary = MLTrackCLI.binary

    func run(_ args: [String]) throws -> MLTrackCLI.Run { try MLTrackCLI.run(args) }

    @Test(.enabled(if: GoldTableCLITests.binary != nil, "needs the built mltrack binary"))
    func catSchemaHeadStatsOnCSV() throws {
        let dir = try TestPaths.tempDir("cli")
        let p = dir.appendingPathComponent("t.csv").path
        try Data("id,name,when\n1,\"a, b\",2024-01-01T00:00:00Z\n2,,1969-12-31T23:59:59.5Z\n".utf8)
            .write(to: URL(fileURLWithPath: p))
        let cat = try run(["gold", "cat", p, "--format", "jsonl"])
        #expect(cat.status == 0 && cat.err.isEmpty)
        #expect(cat.out == TableRenderer(format: .jsonl).render(try CSVSource(path: p).read()))
        #expect(cat.out.hasPrefix(#"{"id":1,"name":"a, b","when":"2024-01-01T00:00:00.000000Z"}"#))
        let csv = try run(["gold", "cat", p, "--format", "csv", "--columns", "name,id"])
        #expect(csv.out == "name,id\n\"a, b\",1\n,2\n")
        let schema = try run(["gold", "schema", p])
        #expect(schema.status == 0 && schema.out.contains("format:  csv") && schema.out.contains("rows:    2"))
        #expect(schema.out.contains("when  timestamp[us, UTC]  nullable"))
        let head = try run(["gold", "head", p, "-n", "1"])
        #expect(head.out.contains("a, b") && !head.out.contains("1969") && head.out.hasSuffix("(1 row)\n"))
        let stats = try run(["gold", "stats", p])
        #expect(stats.out.hasPrefix("rows: 2\n") && stats.out.contains("distinct: exact"))
    }

    @Test(.enabled(if: GoldTableCLITests.binary != nil, "needs the built mltrack binary"))
    func errorsAreOneLineAndNonZero() throws {
        let dir = try TestPaths.tempDir("cli-err")
        let ragged = dir.appendingPathComponent("r.csv").path
        try Data("a,b\n1,2\n3\n".utf8).write(to: URL(fileURLWithPath: ragged))
        for args in [["gold", "cat", dir.appendingPathComponent("missing.csv").path],
                     ["gold", "cat", ragged],
                     ["gold", "history", ragged],
                     ["gold", "cat", ragged, "--columns", "zz"]] {
            let r = try run(args)
            #expect(r.status == 1, "\(args)")
            #expect(r.out.isEmpty, "\(args)")
            #expect(r.err.hasPrefix("Error: ") && r.err.split(separator: "\n").count == 1, "\(args): \(r.err)")
        }
        #expect(try run(["gold", "cat", ragged]).err == "Error: \(ragged):3: row has 1 field, expected 2 (the header's column count)\n")
        // A failed validation next to --version must not print the tool version and succeed.
        let both = try run(["gold", "cat", ragged, "--version", "1", "--timestamp", "2024-01-01"])
        #expect(both.status != 0 && both.out.isEmpty && both.err.contains("not both"))
        #expect(try run(["--version"]).out == "0.1.0\n")
    }

    @Test(.enabled(if: GoldTableCLITests.binary != nil, "needs the built mltrack binary"))
    func synthThenInspectDelta() throws {
        let out = try TestPaths.tempDir("cli-synth").appendingPathComponent("churn").path
        let s = try run(["gold", "synth", "churn", "--rows", "250", "--seed", "9", "--out", out, "--batch-rows", "100"])
        #expect(s.status == 0)
        #expect(s.out.contains("churn: wrote 100/250 rows (version 0)") && s.out.contains("churn: wrote 250/250 rows (version 2)"))
        let again = try run(["gold", "synth", "churn", "--rows", "10", "--out", out])
        #expect(again.status != 0 && again.err.contains("--overwrite"))
        let h = try run(["gold", "history", out])
        #expect(h.status == 0 && h.out.split(separator: "\n").count == 4)
        let v0 = try run(["gold", "cat", out, "--version", "0", "--columns", "customer_id"])
        #expect(v0.out.split(separator: "\n").count == 100)
        let all = try run(["gold", "cat", out, "--format", "csv", "--columns", "customer_id,churned"])
        let expected = ChurnGenerator(seed: 9).generate(rows: 0 ..< 250)
        var want = Set<String>()
        for r in 0 ..< 250 { want.insert("\(TableRenderer.text(expected.columns[0], row: r)),\(TableRenderer.text(expected.columns[12], row: r))") }
        #expect(Set(all.out.split(separator: "\n").dropFirst().map(String.init)) == want)
        let stats = try run(["gold", "stats", out])
        #expect(stats.out.hasPrefix("rows: 250\n"))
    }
}
