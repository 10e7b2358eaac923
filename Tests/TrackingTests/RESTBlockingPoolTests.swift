import Foundation
import Synchronization
import Testing
import Tracking

/// ``RESTBlockingPool``: blocking work for async callers runs on the pool's own threads, at most
/// `maxThreads` at once, results and errors come back to the caller.
@Suite struct RESTBlockingPoolTests {
    struct Boom: Error, Equatable { var n: Int }

    /// How many jobs run at once (and the most seen), and on which threads.
    final class Busy: Sendable {
        let state = Mutex<(now: Int, peak: Int, onPool: Set<Bool>)>((0, 0, []))
    }

    @Test func runsOnItsOwnBoundedThreadsAndReturnsResults() async throws {
        let pool = RESTBlockingPool(maxThreads: 3, idleTimeout: 1)
        let busy = Busy()
        let got = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0 ..< 24 {
                group.addTask {
                    try await pool.run {
                        busy.state.withLock {
                            $0.now += 1
                            $0.peak = max($0.peak, $0.now)
                            $0.onPool.insert(RESTBlockingPool.onPoolThread)
                        }
                        Thread.sleep(forTimeInterval: 0.005)
                        busy.state.withLock { $0.now -= 1 }
                        return i * i
                    }
                }
            }
            var all: [Int] = []
            for try await v in group { all.append(v) }
            return all
        }
        #expect(got.sorted() == (0 ..< 24).map { $0 * $0 })
        let seen = busy.state.withLock { $0 }
        #expect(seen.peak <= 3 && seen.now == 0)
        #expect(seen.onPool == [true])
        #expect(!RESTBlockingPool.onPoolThread)
    }

    @Test func errorsReachTheCaller() async throws {
        let pool = RESTBlockingPool(maxThreads: 1)
        await #expect(throws: Boom(n: 7)) { try await pool.run { () throws -> Int in throw Boom(n: 7) } }
        #expect(try await pool.run { 42 } == 42)
    }
}
