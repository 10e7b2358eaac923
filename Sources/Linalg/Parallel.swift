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

    /// Sets the thread budget (clamped to at least 1) and OpenBLAS's thread count to match.
    public static func configure(threads: Int) {
        let n = max(1, threads)
        state.threads = n
        openblas_set_num_threads(Int32(clamping: n))
    }

    /// Runs `body` over `0 ..< count` split into contiguous chunks on up to `threads` threads.
    /// BLAS runs single-threaded inside, and its previous thread count is restored afterwards.
    /// Chunks are static and `body` decides nothing by thread identity, so results do not depend
    /// on scheduling when each index writes only its own outputs.
    public static func forEach(count: Int, threads: Int = Parallel.threads, minimumChunk: Int = 1,
                               _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = max(1, min(threads, (count + max(minimumChunk, 1) - 1) / max(minimumChunk, 1)))
        if workers == 1 {
            body(0 ..< count)
            return
        }
        let previous = openblas_get_num_threads()
        openblas_set_num_threads(1)
        // More chunks than workers balance uneven rows (ALS rows differ in length).
        let chunks = min(count, workers * 8)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = count * c / chunks, hi = count * (c + 1) / chunks
            if lo < hi { body(lo ..< hi) }
        }
        openblas_set_num_threads(previous)
    }
}

private final class ThreadState: Sendable {
    private let value = Mutex(max(1, ProcessInfo.processInfo.activeProcessorCount))
    var threads: Int {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
