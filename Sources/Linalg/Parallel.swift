import CBLAS
import Dispatch
import Foundation
import Synchronization

/// How many cores mltrack's own loops and OpenBLAS may use, set once so the two never
/// oversubscribe: while a ``Parallel`` loop runs on `n` threads each of its bodies calls BLAS
/// single-threaded; outside such loops BLAS gets all `n`.
///
/// ```swift
/// Parallel.configure(threads: 2)   // e.g. from --threads; default: active processor count
/// Parallel.forEach(count: users, threads: Parallel.threads) { range in … }
/// ```
public enum Parallel {
    private static let state = ThreadState()

    /// Threads for our loops and for BLAS outside them.
    public static var threads: Int { state.threads }

    /// Sets the thread budget (clamped to at least 1) and OpenBLAS's thread count to match (at
    /// once, or when the ``withSingleThreadedBLAS(_:)`` sections running now have all ended).
    public static func configure(threads: Int) {
        state.configure(max(1, threads))
    }

    /// Runs `body` with OpenBLAS single-threaded. Sections may overlap (concurrent loops, concurrent
    /// fits): the first to enter saves OpenBLAS's thread count and the last to leave restores it, so
    /// overlapping sections can neither leave BLAS stuck at one thread nor restore it early.
    ///
    /// ```swift
    /// try Parallel.withSingleThreadedBLAS { try fitRows() }   // our loops own the cores
    /// ```
    public static func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
        state.enterSingleThreaded()
        defer { state.leaveSingleThreaded() }
        return try body()
    }

    /// Runs `body` over `0 ..< count` split into contiguous chunks on up to `threads` threads
    /// (the caller's and `threads − 1` of our own, joined before returning: `body` is escaping only
    /// because those threads hold it, never after the call).
    /// BLAS runs single-threaded inside (``withSingleThreadedBLAS(_:)``), and its thread count is
    /// restored afterwards. Chunks are static and `body` decides nothing by thread identity, so
    /// results do not depend on scheduling when each index writes only its own outputs.
    public static func forEach(count: Int, threads: Int = Parallel.threads, minimumChunk: Int = 1,
                               _ body: @escaping @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = max(1, min(threads, (count + max(minimumChunk, 1) - 1) / max(minimumChunk, 1)))
        if workers == 1 {
            body(0 ..< count)
            return
        }
        // More chunks than workers balance uneven rows (ALS rows differ in length); workers claim
        // chunks from a shared counter. The workers are threads of our own rather than GCD's
        // process-wide pool, which a server's or a test runner's blocking work may occupy.
        let chunks = min(count, workers * 8)
        let next = Atomic<Int>(0)
        withSingleThreadedBLAS {
            let work: @Sendable () -> Void = {
                    while true {
                        let c = next.add(1, ordering: .relaxed).oldValue
                        guard c < chunks else { return }
                        let lo = count * c / chunks, hi = count * (c + 1) / chunks
                        if lo < hi { body(lo ..< hi) }
                    }
                }
            let done = DispatchSemaphore(value: 0)
            for _ in 1 ..< workers {
                let thread = Thread {
                    work()
                    done.signal()
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
            work()
            for _ in 1 ..< workers { done.wait() }
        }
    }
}

/// The thread budget and the single-threaded-BLAS sections now running, under one lock. The BLAS
/// thread count is read and set through `getBLAS`/`setBLAS` (OpenBLAS's; a fake in tests).
final class ThreadState: Sendable {
    private struct Value {
        var threads: Int
        /// ``Parallel/withSingleThreadedBLAS(_:)`` sections now running.
        var sections = 0
        /// The BLAS thread count to restore when the last section ends.
        var outside: Int32 = 1
    }

    private let value: Mutex<Value>
    private let getBLAS: @Sendable () -> Int32
    private let setBLAS: @Sendable (Int32) -> Void

    init(threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount),
         getBLAS: @escaping @Sendable () -> Int32 = { openblas_get_num_threads() },
         setBLAS: @escaping @Sendable (Int32) -> Void = { openblas_set_num_threads($0) }) {
        value = Mutex(Value(threads: threads))
        self.getBLAS = getBLAS
        self.setBLAS = setBLAS
    }

    var threads: Int { value.withLock { $0.threads } }

    func configure(_ n: Int) {
        value.withLock { v in
            v.threads = n
            if v.sections == 0 { setBLAS(Int32(clamping: n)) } else { v.outside = Int32(clamping: n) }
        }
    }

    func enterSingleThreaded() {
        value.withLock { v in
            if v.sections == 0 {
                v.outside = getBLAS()
                setBLAS(1)
            }
            v.sections += 1
        }
    }

    func leaveSingleThreaded() {
        value.withLock { v in
            v.sections -= 1
            if v.sections == 0 { setBLAS(v.outside) }
        }
    }
}
