import NIOPosix

/// A `TaskExecutor` that runs jobs on a `NIOThreadPool`, so async handlers over stores that block
/// (the SQLite registry answers its `async` requirements synchronously) keep off both the NIO
/// event loops and Swift's small cooperative pool. Used through `withTaskExecutorPreference`.
///
/// ```swift
/// let value = try await withTaskExecutorPreference(ThreadPoolExecutor.shared) {
///     try await registry.registeredModel(name: "churn")   // runs on a pool thread
/// }
/// ```
public final class ThreadPoolExecutor: TaskExecutor, @unchecked Sendable {
    /// Over NIO's shared pool, the one the synchronous API handlers already use.
    public static let shared = ThreadPoolExecutor(pool: .singleton)

    private let pool: NIOThreadPool

    public init(pool: NIOThreadPool) {
        self.pool = pool
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        // A stopped pool still calls the work item (with `.cancelled`): the job must run regardless,
        // or the task awaiting it would never resume.
        pool.submit { _ in job.runSynchronously(on: executor) }
    }
}
