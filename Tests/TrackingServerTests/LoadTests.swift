import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Tracking
import TrackingServer

/// The bounded load test of issue 6 section 3: the tracking server on 127.0.0.1 over a SQLite file,
/// 16 concurrent clients (each on its own thread, its own runs, plain HTTP without retries) logging
/// metrics for `MLTRACK_LOAD_SECONDS` (default 60) with log-metric and log-batch mixed; then zero
/// errors, and every point a client saw acknowledged with 200 is in `metrics/get-history` exactly
/// once, and nothing else is.
@Suite struct LoadTests {
    static let clients = 16
    static var seconds: Double {
        ProcessInfo.processInfo.environment["MLTRACK_LOAD_SECONDS"].flatMap(Double.init) ?? 60
    }

    /// One metric point as the client sent it and as the history returns it.
    struct Point: Hashable, Comparable, CustomStringConvertible {
        var step: Int64, timestamp: Int64, value: Double
        static func < (a: Point, b: Point) -> Bool { (a.step, a.timestamp, a.value) < (b.step, b.timestamp, b.value) }
        var description: String { "\(value)@\(step)/\(timestamp)" }
    }

    /// What every client recorded: acknowledged points per run and key, requests sent, errors.
    final class Ledger: @unchecked Sendable {
        // @unchecked: every field is only touched under `lock`.
        private let lock = NSLock()
        private(set) var acked: [String: [String: [Point]]] = [:]
        private(set) var requests = 0
        private(set) var errors: [String] = []

        func add(run: String, points: [String: [Point]], requests n: Int, errors e: [String]) {
            lock.lock()
            defer { lock.unlock() }
            for (k, ps) in points { acked[run, default: [:]][k, default: []] += ps }
            if acked[run] == nil { acked[run] = [:] }
            requests += n
            errors += e
        }
    }

    /// One client: its own runs (a new one every 150 requests), log-metric and log-batch (1 to 40
    /// points over 4 keys) mixed by a seeded generator, until the deadline.
    static func client(_ index: Int, port: Int, until deadline: ContinuousClock.Instant, ledger: Ledger) throws {
        let transport = URLSessionTransport(timeout: 300)   // generous: `make test` runs other suites beside it
        let base = "http://127.0.0.1:\(port)/api/2.0/mlflow/"
        var rng = SeededGenerator(seed: UInt64(1000 + index))
        var errors: [String] = []
        var requests = 0
        func post(_ path: String, _ body: String) -> Data? {
            requests += 1
            guard let url = URL(string: base + path) else { return nil }
            do {
                let r = try transport.send(RESTRequest(method: "POST", url: url, headers: ["Content-Type": "application/json"], body: Data(body.utf8)))
                if r.status == 200 { return r.body }
                errors.append("client \(index) \(path): \(r.status) \(String(decoding: r.body.prefix(200), as: UTF8.self))")
            } catch {
                errors.append("client \(index) \(path): \(error)")
            }
            return nil
        }
        var counter: Int64 = 0
        var runNumber = 0
        while ContinuousClock.now < deadline, errors.isEmpty {
            runNumber += 1
            guard let created = post("runs/create", #"{"experiment_id":"0","run_name":"load-\#(index)-\#(runNumber)","start_time":1}"#),
                  let json = try JSONSerialization.jsonObject(with: created) as? [String: Any],
                  let run = ((json["run"] as? [String: Any])?["info"] as? [String: Any])?["run_id"] as? String else { break }
            var points: [String: [Point]] = [:]
            var step: Int64 = 0
            for _ in 0 ..< 150 where ContinuousClock.now < deadline && errors.isEmpty {
                let n = Bool.random(using: &rng) ? 1 : Int.random(in: 1 ... 40, using: &rng)
                var batch: [(String, Point)] = []
                for _ in 0 ..< n {
                    counter += 1
                    step += 1
                    let key = "k\(Int.random(in: 0 ..< 4, using: &rng))"
                    // Exact in JSON and in a double: an integer-valued double plus a binary fraction.
                    batch.append((key, Point(step: step, timestamp: 1_700_000_000_000 + counter, value: Double(index * 10_000_000) + Double(counter) + 0.25)))
                }
                let ok: Bool
                if n == 1, let first = batch.first {
                    let (key, p) = first
                    ok = post("runs/log-metric", #"{"run_id":"\#(run)","key":"\#(key)","value":\#(p.value),"timestamp":\#(p.timestamp),"step":\#(p.step)}"#) != nil
                } else {
                    let items = batch.map { #"{"key":"\#($0.0)","value":\#($0.1.value),"timestamp":\#($0.1.timestamp),"step":\#($0.1.step)}"# }
                    ok = post("runs/log-batch", #"{"run_id":"\#(run)","metrics":[\#(items.joined(separator: ","))]}"#) != nil
                }
                if ok { for (k, p) in batch { points[k, default: []].append(p) } }
            }
            ledger.add(run: run, points: points, requests: 0, errors: [])
        }
        ledger.add(run: "", points: [:], requests: requests, errors: errors)
    }

    @Test func sixteenClientsLoggingMetricsLoseNothing() async throws {
        let dir = try TestPaths.tempDir("tsrv-load")
        let store = try SQLiteTrackingStore(path: dir.appendingPathComponent("mltrack.db").path,
                                            artifactRoot: TrackingServerConfiguration.proxiedArtifactRoot)
        let server = TrackingServer(store: store, configuration: .init(host: "127.0.0.1", port: 0, logRequests: false))
        let seconds = Self.seconds
        try await server.makeApplication().test(.live) { client in
            let port = try #require(client.port)
            let ledger = Ledger()
            let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            // The clients block their threads on I/O: run them off the cooperative pool.
            let threadErrors = await withCheckedContinuation { (done: CheckedContinuation<[String], Never>) in
                Thread.detachNewThread {
                    done.resume(returning: onThreads(Self.clients) { i in try Self.client(i, port: port, until: deadline, ledger: ledger) })
                }
            }
            #expect(threadErrors.isEmpty, "\(threadErrors.prefix(5))")
            #expect(ledger.errors.isEmpty, "\(ledger.errors.count) errors, first: \(ledger.errors.prefix(5))")
            let runs = ledger.acked.filter { !$0.key.isEmpty }
            #expect(runs.count >= Self.clients, "every client made at least one run")
            #expect(ledger.requests > Self.clients)

            // Count it afterwards: each key's history over HTTP, exactly the acknowledged points.
            var acked = 0, stored = 0, mismatches: [String] = []
            for (run, keys) in runs {
                let read = try await client.execute(uri: "/api/2.0/mlflow/runs/get?run_id=\(run)", method: .get) { r in r.status.code }
                #expect(read == 200)
                for k in Set(keys.keys).union(["k0", "k1", "k2", "k3"]) {
                    let expected = (keys[k] ?? []).sorted()
                    let history = try await client.execute(uri: "/api/2.0/mlflow/metrics/get-history?run_id=\(run)&metric_key=\(k)", method: .get) { r in
                        let obj = try JSONSerialization.jsonObject(with: Data(String(buffer: r.body).utf8)) as? [String: Any] ?? [:]
                        return (obj["metrics"] as? [[String: Any]] ?? []).map { m in
                            Point(step: (m["step"] as? NSNumber)?.int64Value ?? -1, timestamp: (m["timestamp"] as? NSNumber)?.int64Value ?? -1,
                                  value: (m["value"] as? NSNumber)?.doubleValue ?? .nan)
                        }.sorted()
                    }
                    acked += expected.count
                    stored += history.count
                    if history != expected {
                        mismatches.append("\(run)/\(k): acknowledged \(expected.count), stored \(history.count)")
                    }
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
            #expect(stored == acked && acked > 0, "stored \(stored) acknowledged \(acked)")
            print("load test: \(Self.clients) clients, \(seconds) s, \(ledger.requests) requests, \(runs.count) runs, \(acked) points stored exactly once")
        }
    }
}
