import Foundation
import NIOPosix
import Testing
import TrackingServer

/// Work under ``ThreadPoolExecutor`` runs on the NIO thread pool's threads, also after a suspension.
@Suite struct ThreadPoolExecutorTests {
    /// The current thread's name (a synchronous helper: `Thread.current` is not for async code).
    static func threadName() -> String { Thread.current.name ?? "" }

    static func work() async -> [String] {
        let before = threadName()
        await Task.yield()
        return [before, threadName()]
    }

    @Test func jobsRunOnThePoolThreads() async throws {
        let names = await withTaskExecutorPreference(ThreadPoolExecutor.shared) { await Self.work() }
        #expect(names.count == 2 && names.allSatisfy { $0.hasPrefix("SGLTN-TP-#") }, "\(names)")
        let own = NIOThreadPool(numberOfThreads: 1)
        own.start()
        let mine = await withTaskExecutorPreference(ThreadPoolExecutor(pool: own)) { await Self.work() }
        #expect(mine.allSatisfy { $0.hasPrefix("TP-#") }, "\(mine)")
        try await own.shutdownGracefully()
    }
}
