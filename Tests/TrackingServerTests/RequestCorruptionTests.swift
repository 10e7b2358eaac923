import Foundation
import HTTPTypes
import Testing
import Tracking
import TrackingServer

/// A seeded corruption run over the request parser and the routes (the `make test` counterpart of
/// `Fuzz/run-tracking.sh`): 2,000 valid MLflow request bodies, each corrupted by a seeded mix of byte
/// flips, deletions, duplications, insertions, truncations and type swaps, sent in-process. Every
/// answer must be 200 or an MLflow error JSON with a 4xx status (never a 5xx), and a refused request
/// must leave the stored run exactly as it was.
@Suite struct RequestCorruptionTests {
    static let cases = 2000

    /// The valid requests corrupted: (path, body) aimed at run `r`.
    static func templates(run r: String) -> [(String, String)] {
        [
            ("runs/log-metric", #"{"run_id": "\#(r)", "run_uuid": "\#(r)", "key": "loss", "value": 0.5, "timestamp": 1700000000000, "step": 3}"#),
            ("runs/log-batch", #"{"run_id": "\#(r)", "metrics": [{"key": "m", "value": 1.25, "timestamp": 17, "step": 1}, {"key": "acc", "value": "NaN", "timestamp": 18, "step": 2}], "params": [{"key": "lr", "value": "0.01"}], "tags": [{"key": "stage", "value": "dev"}]}"#),
            ("runs/log-parameter", #"{"run_id": "\#(r)", "key": "optimizer", "value": "sgd"}"#),
            ("runs/set-tag", #"{"run_id": "\#(r)", "key": "owner", "value": "caf\u00e9 \ud83d\ude00"}"#),
            ("runs/update", #"{"run_id": "\#(r)", "status": "FINISHED", "end_time": 1700000000999, "run_name": "renamed"}"#),
            ("runs/search", #"{"experiment_ids": ["1"], "filter": "metrics.m > 0.5 and params.lr = '0.01'", "max_results": 10, "order_by": ["metrics.m DESC"], "run_view_type": "ACTIVE_ONLY"}"#),
            ("runs/log-inputs", #"{"run_id": "\#(r)", "datasets": [{"tags": [{"key": "mlflow.data.context", "value": "training"}], "dataset": {"name": "d", "digest": "abc123", "source_type": "local", "source": "{\"uri\": \"/tmp/x\"}", "schema": "{}", "profile": "{\"num_rows\": 2}"}}]}"#),
            ("experiments/create", #"{"name": "exp-x", "artifact_location": "", "tags": [{"key": "team", "value": "ml"}]}"#),
            ("experiments/search", #"{"max_results": 5, "filter": "name LIKE 'e%'", "order_by": ["name ASC"], "view_type": "ALL"}"#),
            ("runs/delete-tag", #"{"run_id": "\#(r)", "key": "owner"}"#),
        ]
    }

    /// Tokens a corruption may splice in: JSON structure, odd literals, other types, huge numbers.
    static let tokens: [String] = ["{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "1e999", "-0", "NaN",
                                   "18446744073709551616", "\"\\u0000\"", "\"\\ud800\"", "[[[[", "{\"a\":", "0.0000001", "\"x\""]

    static func corrupt(_ body: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var b = body
        for _ in 0 ..< Int.random(in: 1 ... 3, using: &rng) where !b.isEmpty {
            let i = Int.random(in: 0 ..< b.count, using: &rng)
            switch Int.random(in: 0 ..< 7, using: &rng) {
            case 0: b[i] ^= UInt8(1 << Int.random(in: 0 ..< 8, using: &rng))
            case 1: b.removeSubrange(i ..< min(b.count, i + Int.random(in: 1 ... 8, using: &rng)))
            case 2: b.insert(contentsOf: b[i ..< min(b.count, i + Int.random(in: 1 ... 12, using: &rng))], at: i)
            case 3: b.insert(UInt8.random(in: 0 ... 255, using: &rng), at: i)
            case 4: b = Array(b.prefix(i))
            case 5: b.insert(contentsOf: Array(tokens[Int.random(in: 0 ..< tokens.count, using: &rng)].utf8), at: i)
            default:
                // Replace a value after a colon with another kind of token.
                if let colon = b[i...].firstIndex(of: UInt8(ascii: ":")) {
                    let end = b[(colon + 1)...].firstIndex { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "}") } ?? b.count
                    b.replaceSubrange((colon + 1) ..< end, with: Array(tokens[Int.random(in: 0 ..< tokens.count, using: &rng)].utf8))
                }
            }
        }
        return b
    }

    @Test func twoThousandCorruptedRequestsNeverCrashOrCorrupt() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            let run = try await HostileInputTests.victim(api)
            var rng = SeededGenerator(seed: 20_261_122)
            let templates = Self.templates(run: run)
            var before = try HostileInputTests.Snapshot.of(fx.store, run: run)
            var statuses: [Int: Int] = [:]
            for n in 0 ..< Self.cases {
                let (path, body) = templates[n % templates.count]
                let bytes = Self.corrupt(Array(body.utf8), &rng)
                let r = try await api.raw(.post, path, bytes: bytes)
                statuses[r.status, default: 0] += 1
                let shown = String(decoding: bytes.prefix(300), as: UTF8.self)
                #expect(r.status == 200 || (400 ..< 500).contains(r.status), "case \(n) \(path) \(shown): \(r.status) \(r.text.prefix(200))")
                let now = try HostileInputTests.Snapshot.of(fx.store, run: run)
                if r.status == 200 {
                    before = now
                } else {
                    #expect(r.errorCode != nil && r.json.str("message") != nil, "case \(n) \(path) \(shown): \(r.text.prefix(200))")
                    #expect(now == before, "case \(n) \(path) \(shown) was refused (\(r.text.prefix(200))) but changed the store")
                }
            }
            // Both kinds occur: the corpus is neither all-valid nor all-garbage.
            #expect((statuses[200] ?? 0) > 50 && (statuses[400] ?? 0) > 500, "\(statuses)")
        }
    }
}
