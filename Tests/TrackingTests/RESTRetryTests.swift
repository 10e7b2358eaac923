import Foundation
import Testing
@testable import Tracking
#if canImport(Glibc)
import Glibc
#endif

/// A raw-socket HTTP/1.1 server on 127.0.0.1 answering each connection with the next canned
/// response (status and JSON body), then closing it: enough to drive URLSession through retries.
final class CannedHTTPServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var answers: [(Int, String)]
    private var requests: [String] = []
    private let done = DispatchSemaphore(value: 0)

    init(answers: [(Int, String)]) throws {
        self.answers = answers
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = self.fd
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, len) == 0 && getsockname(fd, sa, &len) == 0 && listen(fd, 8) == 0
            }
        }
        guard ok else { close(fd); throw PythonPeer.Failure(description: "cannot listen on 127.0.0.1") }
        port = Int(UInt16(bigEndian: addr.sin_port))
        let count = answers.count
        Thread.detachNewThread { [self] in
            for _ in 0 ..< count { serveOne() }
            done.signal()
        }
    }

    /// The request lines and bodies received, after every canned answer was sent.
    func received() -> [String] {
        done.wait()
        close(fd)
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    private func serveOne() {
        let c = accept(fd, nil, nil)
        guard c >= 0 else { return }
        defer { close(c) }
        var data = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        // Read the head, then Content-Length bytes of body.
        while true {
            let n = read(c, &buf, buf.count)
            if n <= 0 { break }
            data += buf[0 ..< n]
            let text = String(decoding: data, as: UTF8.self)
            if let head = text.range(of: "\r\n\r\n") {
                let headers = text[..<head.lowerBound].lowercased()
                let length = headers.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if text.utf8.count - text.utf8.distance(from: text.startIndex, to: head.upperBound) >= length { break }
            }
        }
        let text = String(decoding: data, as: UTF8.self)
        lock.lock()
        let (status, body) = answers.removeFirst()
        let firstLine = text.split(separator: "\r\n").first.map(String.init) ?? ""
        let reqBody = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        requests.append(firstLine + " " + reqBody)
        lock.unlock()
        let response = "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        _ = response.withCString { write(c, $0, strlen($0)) }
    }
}

/// Retries: which answers are retried, how long the store waits (recorded, never slept), and one
/// exchange over a real socket.
@Suite struct RESTRetryTests {
    @Test func retriesConnectionErrorsAnd429And5xxWithExponentialBackoff() throws {
        let sleeps = SleepLog()
        let policy = RESTRetryPolicy(maxRetries: 5, initialBackoff: 0.1, factor: 2, maxBackoff: 0.3, jitter: 0.5)
        let (s, t) = try scriptedStore([.down, .status(503, "busy"), .status(429, "{}"), .status(502, ""), .status(200, #"{"experiment_id": "3"}"#)],
                                       retry: policy, sleeps: sleeps)
        #expect(try s.createExperiment(name: "x") == "3")
        #expect(t.sent.count == 5)
        // 0.1 × 2^attempt, capped at 0.3, plus jitter 0.5 × random (0.5 here) = ×1.25.
        #expect(sleeps.all == [0.125, 0.25, 0.375, 0.375])
        #expect(Set(t.sent.map { String(decoding: $0.body ?? Data(), as: UTF8.self) }).count == 1)
    }

    @Test func givesUpAfterMaxRetriesAndNeverRetriesClientErrors() throws {
        let sleeps = SleepLog()
        let (s, t) = try scriptedStore([.status(503, "a"), .status(503, "b"), .status(503, "c"), .status(200, "{}")],
                                       retry: RESTRetryPolicy(maxRetries: 2, initialBackoff: 0.01), sleeps: sleeps)
        do {
            try s.deleteRun(id: "r")
            Issue.record("no error")
        } catch let e as TrackingError {
            #expect(e.code == .internalError && e.message.contains("HTTP 503") && e.message.hasSuffix("c"))
        }
        #expect(t.sent.count == 3 && sleeps.all.count == 2)
        let (s2, t2) = try scriptedStore([.down, .down], retry: RESTRetryPolicy(maxRetries: 1, initialBackoff: 0))
        expectCode(.internalError) { try s2.deleteRun(id: "r") }
        #expect(t2.sent.count == 2)
        let (s3, t3) = try scriptedStore([.status(400, #"{"error_code": "INVALID_PARAMETER_VALUE", "message": "bad"}"#)],
                                         retry: RESTRetryPolicy(maxRetries: 5, initialBackoff: 0))
        expectCode(.invalidParameterValue) { try s3.deleteRun(id: "r") }
        #expect(t3.sent.count == 1)
    }

    @Test func policyFromTheEnvironment() {
        let p = RESTRetryPolicy.fromEnvironment(["MLTRACK_HTTP_REQUEST_MAX_RETRIES": "2", "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "9",
                                                 "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": "0.25", "MLTRACK_HTTP_REQUEST_TIMEOUT": "7"])
        #expect(p.maxRetries == 2 && p.initialBackoff == 0.25 && p.timeout == 7)
        #expect(RESTRetryPolicy.fromEnvironment(["MLTRACK_HTTP_REQUEST_MAX_RETRIES": "lots"]) == RESTRetryPolicy())
        #expect(RESTRetryPolicy(maxRetries: 3, initialBackoff: 1, factor: 3, maxBackoff: 100, jitter: 0).delay(attempt: 3, random: 1) == 27)
    }

    @Test func a503ThenA200OverARealSocket() throws {
        let server = try CannedHTTPServer(answers: [
            (503, #"{"error_code": "TEMPORARILY_UNAVAILABLE", "message": "try later"}"#),
            (200, #"{"experiment_id": "7"}"#),
        ])
        let client = try RESTClient(baseURL: "http://127.0.0.1:\(server.port)", retry: RESTRetryPolicy(maxRetries: 3, initialBackoff: 0, timeout: 10),
                                    credentials: .bearer("tok"), sleep: { _ in }, random: { 0 })
        let store = RESTTrackingStore(client: client)
        #expect(try store.createExperiment(name: "socket") == "7")
        let got = server.received()
        #expect(got.count == 2)
        #expect(got.allSatisfy { $0 == #"POST /api/2.0/mlflow/experiments/create HTTP/1.1 {"name":"socket","tags":[]}"# })
    }
}
