import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Tracking
import TrackingServer

/// The same raw hostile requests (Peers/hostile_requests.py, sent with urllib) against a real
/// `mlflow server` and against ours over a real socket: the same status, the same error_code and
/// the same effect on the stored run, case by case, except the deliberate differences listed in
/// ``divergences`` (where MLflow answers a 5xx or silently accepts a value its client never sends;
/// docs/design/tracking-server.md, "Hostile input").
@Suite(.serialized) struct HostilePeerTests {
    struct Answer: Equatable, CustomStringConvertible {
        var status: Int
        var code: String?
        var changed: Bool
        var description: String { "\(status) \(code ?? "-")\(changed ? " (stored)" : "")" }
    }

    /// Case name → (what MLflow 3.17.2 answers, what we answer instead).
    static let divergences: [String: (mlflow: Answer, ours: Answer)] = {
        let invalid = Answer(status: 400, code: "INVALID_PARAMETER_VALUE", changed: false)
        var out: [String: (mlflow: Answer, ours: Answer)] = [:]
        // MLflow answers 500 (an HTML page), which its own client retries for minutes.
        for name in ["malformed: JSON array body", "malformed: JSON string body", "malformed: deeply nested JSON",
                     "type: metric value is an object", "type: step is a list", "type: log-batch metric entry is a number",
                     "missing: empty body on log-batch"] {
            out[name] = (Answer(status: 500, code: nil, changed: false), invalid)
        }
        // MLflow accepts (and sometimes stores) what its client never sends; we refuse it.
        for (name, stored) in [("type: metric value is a bool", true), ("type: timestamp is fractional", true),
                               ("type: search run_view_type unknown", false), ("type: update status unknown", false),
                               ("number: timestamp beyond int64", false), ("number: step beyond int64", true),
                               ("number: value overflows a double", true), ("number: bare NaN token", false)] {
            out[name] = (Answer(status: 200, code: nil, changed: stored), invalid)
        }
        // Unknown routes and methods: MLflow's HTML 404/405; our JSON ENDPOINT_NOT_FOUND keeps the client's fallbacks working.
        out["route: unknown endpoint"] = (Answer(status: 404, code: nil, changed: false), Answer(status: 404, code: "ENDPOINT_NOT_FOUND", changed: false))
        for name in ["route: wrong method (GET on log-metric)", "route: wrong method (DELETE on runs/get)"] {
            out[name] = (Answer(status: 405, code: nil, changed: false), Answer(status: 404, code: "ENDPOINT_NOT_FOUND", changed: false))
        }
        return out
    }()

    static var script: String {
        get throws {
            try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("Tests/TrackingServerTests/Peers/hostile_requests.py"), encoding: .utf8)
        }
    }

    /// Runs the script against `url`: case name → answer, in order.
    static func probe(_ url: String) throws -> [(String, Answer)] {
        let out = try PythonPeer.run(try script, args: [url])
        let last = out.split(separator: "\n").last.map(String.init) ?? ""
        let json = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], "\(out)")
        let cases = try #require(json["cases"] as? [[String: Any]])
        return cases.map { c in
            (c["name"] as? String ?? "?", Answer(status: c["status"] as? Int ?? -1, code: c["error_code"] as? String, changed: c["changed"] as? Bool ?? true))
        }
    }

    @Test(.enabled(if: MLflowClientTests.mlflowVersion != nil, "needs MLTRACK_PYTHON with mlflow"))
    func sameAnswersAsRealMLflowServer() async throws {
        let peer = try await MLflowServerProcess.start()
        defer { peer.stop() }
        let theirs = try Self.probe(peer.url)

        let dir = try TestPaths.tempDir("tsrv-hostile")
        let store = try SQLiteTrackingStore(path: dir.appendingPathComponent("mltrack.db").path,
                                            artifactRoot: TrackingServerConfiguration.proxiedArtifactRoot)
        let server = TrackingServer(store: store, configuration: .init(host: "127.0.0.1", port: 0, logRequests: false))
        let ours = try await server.makeApplication().test(.live) { client in
            let port = try #require(client.port)
            // The script blocks on sockets: off the cooperative pool.
            return try await withCheckedThrowingContinuation { (done: CheckedContinuation<[(String, Answer)], any Error>) in
                Thread.detachNewThread { done.resume(with: Result { try Self.probe("http://127.0.0.1:\(port)") }) }
            }
        }

        #expect(theirs.map(\.0) == ours.map(\.0))
        #expect(theirs.count >= 50)
        let mine = Dictionary(ours, uniquingKeysWith: { a, _ in a })
        for (name, mlflow) in theirs {
            let answer = try #require(mine[name])
            if let d = Self.divergences[name] {
                #expect(mlflow == d.mlflow, "MLflow's answer to '\(name)' changed: \(mlflow)")
                #expect(answer == d.ours, "'\(name)': ours \(answer), wanted \(d.ours)")
            } else {
                #expect(answer == mlflow, "'\(name)': ours \(answer), MLflow \(mlflow)")
            }
            #expect(answer.status < 500, "'\(name)': \(answer)")
        }
    }
}
