import Foundation

/// A small pool of plain threads that run blocking work (a synchronous HTTP exchange of
/// ``RESTClient``) for async callers, so the blocking never happens on Swift concurrency's
/// cooperative threads (two of them on a two-core machine). Threads are started on demand up to
/// `maxThreads`, queue further work in submission order, and end after `idleTimeout` seconds
/// without work.
///
/// ```swift
/// let data = try await RESTBlockingPool.shared.run { try client.get("registered-models/get", query: [("name", "churn")]) }
/// ```
public final class RESTBlockingPool: @unchecked Sendable {
    // @unchecked: `jobs`, `threads` and `idle` are only touched under `condition`.
    /// The pool the async ``RESTClient`` methods use.
    public static let shared = RESTBlockingPool(maxThreads: 16)

    public let maxThreads: Int
    public let idleTimeout: TimeInterval
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private var threads = 0
    private var idle = 0

    private static let marker = "mltrack.rest-blocking-pool"

    /// Whether the calling code runs on a thread of some ``RESTBlockingPool``.
    public static var onPoolThread: Bool {
        Thread.current.threadDictionary[marker] as? Bool == true
    }

    public init(maxThreads: Int, idleTimeout: TimeInterval = 30) {
        self.maxThreads = Swift.max(1, maxThreads)
        self.idleTimeout = idleTimeout
    }

    /// Runs `body` on one of the pool's threads and returns (or throws) what it did.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            submit { continuation.resume(with: Result { try body() }) }
        }
    }

    private func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        let pending = jobs.count - head
        if idle < pending, threads < maxThreads {
            threads += 1
            // Named from inside: on Linux a name set before `start()` is not applied to the thread.
            Thread { [self] in
                Thread.current.name = "mltrack.rest"
                Thread.current.threadDictionary[Self.marker] = true
                work()
            }.start()
        } else {
            condition.signal()
        }
        condition.unlock()
    }

    private func work() {
        condition.lock()
        while true {
            while head == jobs.count {
                idle += 1
                let woken = condition.wait(until: Date(timeIntervalSinceNow: idleTimeout))
                idle -= 1
                if !woken, head == jobs.count {
                    threads -= 1
                    condition.unlock()
                    return
                }
            }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            job()
            condition.lock()
        }
    }
}
